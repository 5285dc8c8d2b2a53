package components

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNumberFormat(t *testing.T) {
	for _, tc := range []struct {
		f    NumberFormat
		v    float64
		want string
	}{
		{NumberFormat{}, 0, "0"},
		{NumberFormat{}, 999, "999"},
		{NumberFormat{}, 1000, "1,000"},
		{NumberFormat{}, -1234567, "-1,234,567"},
		{NumberFormat{}, -0.4, "0"}, // rounds to zero: no "-0"
		{NumberFormat{Decimals: 2}, 1234.5, "1,234.50"},
		{NumberFormat{Decimals: -3}, 12.7, "13"}, // negative decimals mean none
		{NumberFormat{Compact: true, Decimals: 1}, 999, "999.0"},
		{NumberFormat{Compact: true, Decimals: 1}, 999_950, "1.0M"}, // rounds up a step
		{NumberFormat{Compact: true, Decimals: 1}, 2_400_000, "2.4M"},
		{NumberFormat{Compact: true, Decimals: 2}, -3_210_000_000, "-3.21B"},
		{NumberFormat{Compact: true}, 7.2e12, "7T"},
		{NumberFormat{Compact: true}, 1500, "2K"},
		{NumberFormat{Style: StylePercent, Decimals: 1}, 0.0526, "5.3%"},
		{NumberFormat{Style: StylePercent}, -0.25, "-25%"},
		{NumberFormat{Style: StyleCurrency}, 1234, "$1,234"},
		{NumberFormat{Style: StyleCurrency, Currency: "€", Decimals: 2}, -5.5, "-€5.50"},
		{NumberFormat{Style: StyleCurrency, Compact: true, Decimals: 1}, 2.4e6, "$2.4M"},
		{NumberFormat{Unit: "ms"}, 12, "12 ms"},
		{NumberFormat{}, math.NaN(), "n/a"},
		{NumberFormat{}, math.Inf(1), "∞"},
		{NumberFormat{}, math.Inf(-1), "-∞"},
	} {
		t.Run(fmt.Sprintf("%+v of %v", tc.f, tc.v), func(t *testing.T) {
			require.Equal(t, tc.want, tc.f.Format(tc.v))
		})
	}
}
