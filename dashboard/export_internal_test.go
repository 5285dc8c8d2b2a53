package dashboard

import (
	"bytes"
	"encoding/csv"
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

// FuzzNeutralise: whatever the cell, the escaped CSV field reads back as
// one field that either is the cell (a plain decimal, or no formula
// prefix) or is the cell behind an apostrophe; a formula character never
// leads.
func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"=cmd", "+1", "-12.5", "|calc", "%0A", "\t", "a,b", "\"q\"", "-", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		out := neutralise(cell)
		if out != cell {
			require.Equal(t, "'"+cell, out)
		}
		if out != "" {
			switch out[0] {
			case '=', '+', '@', '|', '%', '\t', '\r', '\n':
				t.Fatalf("%q leads with a formula character", out)
			case '-':
				require.True(t, plainDecimal(out), "%q", out)
			}
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		require.NoError(t, w.Write([]string{out}))
		w.Flush()
		rec, err := csv.NewReader(&buf).Read()
		if err == nil {
			require.Len(t, rec, 1)
		}
	})
}
