package dashboard

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Hardening #15, row "CSV injection": every cell a spreadsheet could read
// as a formula is prefixed, per OWASP, but a plain decimal number. On main
// +1, +Inf, -Infinity, +0x1p4, |calc and %0A stayed as they were.
func TestNeutraliseEveryFormulaPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "@SUM(A1)": "'@SUM(A1)", "\tTab": "'\tTab", "\rCR": "'\rCR", "\nLF": "'\nLF",
		"+7": "'+7", "+1": "'+1", "+Inf": "'+Inf", "-Infinity": "'-Infinity", "+0x1p4": "'+0x1p4",
		"|calc": "'|calc", "%0A": "'%0A", "-1e5": "'-1e5", "-": "'-", "-.5": "'-.5", "-1.": "'-1.", "-NaN": "'-NaN",
		"-12.5": "-12.5", "-3": "-3", "0": "0", "1e5": "1e5", "plain": "plain", "": "",
	} {
		require.Equal(t, want, neutralise(in), "%q", in)
	}
}

// FuzzNeutralise: whatever the cell, the exported field — the cell
// neutralised, written by encoding/csv and read back as a spreadsheet
// would split it — is one field, and is the cell itself or the cell behind
// an apostrophe; it starts with a formula character (=, +, -, @, |, %,
// tab, CR, LF) only when it is a plain decimal number, judged by a regular
// expression written from the rule rather than by plainDecimal; and every
// other cell that starts with one is prefixed.
func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"=cmd", "+1", "-12.5", "|calc", "%0A", "\t", "a,b", "\"q\"", "-", "", "-1e5", "-0x1p4", "-1.", "-.5", "- 1", "-１", "\r\n=1", "=1\r\n2"} {
		f.Add(s)
	}
	decimal := regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	formula := func(s string) bool { return s != "" && strings.IndexByte("=+-@|%\t\r\n", s[0]) >= 0 }
	f.Fuzz(func(t *testing.T, cell string) {
		out := neutralise(cell)
		switch {
		case formula(cell) && !decimal.MatchString(cell):
			require.Equal(t, "'"+cell, out, "%q leads with a formula character", cell)
		default:
			require.Equal(t, cell, out)
		}
		if formula(out) && !decimal.MatchString(out) {
			t.Fatalf("%q → %q leads with a formula character", cell, out)
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		require.NoError(t, w.Write([]string{out, "next"}))
		w.Flush()
		rec, err := csv.NewReader(&buf).Read()
		require.NoError(t, err, "%q", buf.String())
		require.Len(t, rec, 2, "one field stays one field")
		require.Equal(t, strings.ReplaceAll(out, "\r\n", "\n"), rec[0])
	})
}
