package components

import (
	"fmt"
	"math"
	"testing"
	"time"

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

func TestTick(t *testing.T) {
	usd := NumberFormat{Style: StyleCurrency, Compact: true, Decimals: 1}
	pct := NumberFormat{Style: StylePercent}
	for _, tc := range []struct {
		f       NumberFormat
		v, step float64
		want    string
	}{
		{usd, -1.2e9, 2e8, "-$1.2B"},
		{usd, -1e9, 2e8, "-$1B"},
		{usd, 6e8, 2e8, "$600M"},
		{usd, 0, 2e8, "$0"},
		{usd, 2.5e6, 5e5, "$2.5M"},
		{usd, 800e3, 2e5, "$800K"},
		{pct, 0.015, 0.005, "1.5%"},
		{pct, 0.01, 0.005, "1%"},
		{pct, 0.00007, 0.00001, "0.007%"},
		{NumberFormat{Unit: "h"}, 7.5, 2.5, "7.5 h"},
		{NumberFormat{}, 1200, 200, "1,200"},
	} {
		require.Equal(t, tc.want, tc.f.Tick(tc.v, tc.step), "%v at step %v", tc.v, tc.step)
	}
}

func TestNiceScale(t *testing.T) {
	for _, tc := range []struct {
		lo, hi, first, last, step float64
	}{
		{-1.23e9, 6.1e8, -1.5e9, 1e9, 5e8},
		{0, 97, 0, 100, 20},
		{2.61e6, 2.93e6, 2.6e6, 3e6, 1e5},
		{0.00667, 0.0075, 0.0066, 0.0076, 0.0002},
		{5, 5, 4.4, 5.6, 0.2},
		{0, 0, 0, 1, 0.2},
	} {
		first, last, step := niceScale(tc.lo, tc.hi, 5)
		require.InDelta(t, tc.first, first, 1e-12, "first of [%v, %v]", tc.lo, tc.hi)
		require.InDelta(t, tc.last, last, 1e-12, "last of [%v, %v]", tc.lo, tc.hi)
		require.InDelta(t, tc.step, step, 1e-12, "step of [%v, %v]", tc.lo, tc.hi)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		24 * time.Hour: "24 h", 10 * time.Minute: "10 min", 90 * time.Minute: "1 h 30 min",
		51 * time.Hour: "2 d 3 h", 45 * time.Second: "45 s", 250 * time.Millisecond: "250 ms",
		0: "0 s", -10 * time.Minute: "-10 min", time.Hour + 30*time.Second: "1 h",
	} {
		require.Equal(t, want, Duration(d), "%v", d)
	}
}

func TestDistinct(t *testing.T) {
	pct := NumberFormat{Style: StylePercent, Decimals: 2}
	require.Equal(t, 4, pct.Distinct([]float64{0.000067, 0.000075, 0.00007}).Decimals, "0.0067% and 0.0075% differ")
	require.Equal(t, "0.0067%", pct.Distinct([]float64{0.000067, 0.000075}).Format(0.000067))
	require.Equal(t, 2, pct.Distinct([]float64{0.12, 0.35}).Decimals, "never fewer than asked")
	require.Equal(t, 5, pct.Distinct([]float64{0.0000671, 0.0000671000001}).Decimals, "noise stops at three significant digits")
	require.Equal(t, 1, NumberFormat{}.Distinct([]float64{2.5, 2.6, math.NaN()}).Decimals)
}
