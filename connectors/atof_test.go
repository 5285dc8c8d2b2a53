package connectors

import (
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// floatCases are the edges of parseFloat64's fast path: signed zeros,
// the largest exact power of ten and the first inexact one, the first
// integer a float64 cannot hold, 19 and 20 significant digits, leading
// and trailing zeros, and every malformed spelling strconv refuses.
var floatCases = []string{
	"0", "-0", "+0", "0.0", "-0.0", "-0e5", "0e400", "-0.000000000000000000000000",
	"1", "-1", "+1", "1.", ".5", "-.5", "+.5e-3", "1.5e", "1e", "1e+", "1e-", "e5", "E5",
	".", "-", "+", "", "-.", "+e1", "1..2", "1.2.3", "1e5e5", "1e5.0", "--1", "+-1", " 1", "1 ",
	"1e22", "1e23", "-1e22", "1e-22", "1e-23", "9e22", "9.999999999999999e22",
	"9007199254740992", "9007199254740993", "9007199254740993e-5", "9007199254740991e-22",
	"4503599627370496.5", "4503599627370497.5",
	"1234567890123456789", "12345678901234567890", "0.1234567890123456789", "0.12345678901234567890",
	"9999999999999999999", "99999999999999999999",
	"000000000000000000000000001", "0.000000000000000000001", "0.0000000000000000000001",
	"100000000000000000000000", "1000000000000000000000000e-24", "1.000000000000000000000",
	"68.9984", "-2.2341", "98.3105", "50.0000", "0.1", "0.2", "0.3", "2.5e-3", "1E5", "1e05", "1e+05", "1e00005",
	"1e308", "1.7976931348623157e308", "1.8e308", "1e400", "-1e400", "4.9e-324", "1e-400",
	"NaN", "nan", "-NaN", "Inf", "-Inf", "+inf", "infinity", "-Infinity",
	"0x1p-2", "0x10", "1_000", "1_000.5", "0b101", "1f", "1d", "١",
}

// TestParseFloat64MatchesStrconv holds the fast path to strconv at its
// edges: the same bits, and the same error (kind and text) when it fails.
func TestParseFloat64MatchesStrconv(t *testing.T) {
	for _, s := range floatCases {
		t.Run(s, func(t *testing.T) { requireSameFloat(t, s) })
	}
}

// TestFastFloat64TakesThePlainDecimals: the fast path is taken for the
// benchmark file's values (it is not vacuously falling back).
func TestFastFloat64TakesThePlainDecimals(t *testing.T) {
	for _, s := range []string{"68.9984", "-2.2341", "0", "-0", "1e22", ".5", "1.", "9007199254740992"} {
		_, ok := fastFloat64([]byte(s))
		require.True(t, ok, s)
	}
	for _, s := range []string{"1e23", "9007199254740993", "12345678901234567890", "NaN", "1_0", "0x1"} {
		_, ok := fastFloat64([]byte(s))
		require.False(t, ok, s)
	}
}

func requireSameFloat(t *testing.T, s string) {
	t.Helper()
	got, err := parseFloat64([]byte(s))
	want, werr := strconv.ParseFloat(s, 64)
	if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
		t.Fatalf("parseFloat64(%q) = %v (%#x); strconv: %v (%#x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
	}
	if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
		t.Fatalf("parseFloat64(%q) error %v; strconv: %v", s, err, werr)
	}
}

// FuzzParseFloat64 holds parseFloat64 to strconv.ParseFloat for any input
// and for any decimal built from a mantissa and an exponent.
func FuzzParseFloat64(f *testing.F) {
	for _, s := range floatCases {
		f.Add(s, uint64(0), int8(0))
	}
	f.Add("", uint64(1)<<53+1, int8(-5))
	f.Add("", uint64(123456789), int8(-22))
	f.Add("", uint64(9999999999999999999), int8(3))
	f.Fuzz(func(t *testing.T, s string, mant uint64, exp int8) {
		requireSameFloat(t, s)
		m := strconv.FormatUint(mant, 10)
		requireSameFloat(t, m+"e"+strconv.Itoa(int(exp)))
		if k := int(exp); k < 0 && -k < len(m) {
			requireSameFloat(t, "-"+m[:len(m)+k]+"."+m[len(m)+k:])
		}
	})
}
