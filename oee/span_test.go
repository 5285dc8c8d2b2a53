package oee

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// maxSpan is the largest Duration as a Span; past it a Duration would wrap.
var maxSpan = SpanOf(math.MaxInt64)

func TestSpanArithmetic(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  Span
		want Span
	}{
		{"carry into the high word", maxSpan.Add(maxSpan).Add(maxSpan).Sub(maxSpan).Sub(maxSpan), maxSpan},
		{"borrow from the high word", SpanOf(math.MinInt64).Sub(SpanOf(1)).Add(SpanOf(1)), SpanOf(math.MinInt64)},
		{"negative plus positive", SpanOf(-time.Hour).Add(SpanOf(3 * time.Hour)), SpanOf(2 * time.Hour)},
		{"neg", SpanOf(time.Minute).Neg(), SpanOf(-time.Minute)},
		{"neg of the smallest Duration", SpanOf(math.MinInt64).Neg(), maxSpan.Add(SpanOf(1))},
		{"div past 2⁶⁴", maxSpan.Add(maxSpan).Add(maxSpan).div(3), maxSpan},
		{"div truncates toward zero", SpanOf(-7).div(2), SpanOf(-3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.got)
		})
	}
}

func TestSpanConversions(t *testing.T) {
	twice := maxSpan.Add(maxSpan)
	for _, tc := range []struct {
		name    string
		s       Span
		fits    bool
		hours   float64
		str     string
		compare int // with zero
	}{
		{"zero", Span{}, true, 0, "0s", 0},
		{"an 8-hour shift", SpanOf(8*time.Hour + 30*time.Second), true, 8 + 30.0/3600, "8h0m30s", 1},
		{"a negative loss", SpanOf(-47 * time.Minute), true, -47.0 / 60, "-47m0s", -1},
		{"the largest Duration", maxSpan, true, time.Duration(math.MaxInt64).Hours(), time.Duration(math.MaxInt64).String(), 1},
		{"one past it", maxSpan.Add(SpanOf(1)), false, float64(1<<63) / 3.6e12, "2562047h47m16.854775808s", 1},
		{"twice it", twice, false, 2 * float64(math.MaxInt64) / 3.6e12, "5124095h34m33.709551614s", 1},
		{"minus twice it", twice.Neg(), false, -2 * float64(math.MaxInt64) / 3.6e12, "-5124095h34m33.709551614s", -1},
		{"304 machine-years exactly", SpanOf(24 * time.Hour).mul(300 * 370), false, 300 * 370 * 24, "2664000h0m0s", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := tc.s.Duration()
			require.Equal(t, tc.fits, ok)
			if ok {
				require.Equal(t, tc.s, SpanOf(d))
			} else {
				require.Zero(t, d)
			}
			require.InEpsilon(t, tc.hours+1, tc.s.Hours()+1, 1e-15)
			require.InEpsilon(t, tc.hours*60+1, tc.s.Minutes()+1, 1e-15)
			require.InEpsilon(t, tc.hours*3600+1, tc.s.Seconds()+1, 1e-15)
			require.Equal(t, tc.str, tc.s.String())
			require.Equal(t, tc.compare, tc.s.Sign())
			require.Equal(t, -tc.compare, Span{}.Cmp(tc.s))

			text, err := json.Marshal(tc.s) // as text: an exact decimal string
			require.NoError(t, err)
			var back Span
			require.NoError(t, json.Unmarshal(text, &back))
			require.Equal(t, tc.s, back, "%s", text)
		})
	}
}

func TestSpanUnmarshalRefusesWhatItCannotHold(t *testing.T) {
	for _, text := range []string{"", "1.5", "12h", "170141183460469231731687303715884105728", "-170141183460469231731687303715884105729"} {
		t.Run(text, func(t *testing.T) {
			var s Span
			require.ErrorIs(t, s.UnmarshalText([]byte(text)), ErrInput)
		})
	}
	var s Span
	require.NoError(t, s.UnmarshalText([]byte("170141183460469231731687303715884105727")))
	require.Equal(t, Span{hi: math.MaxInt64, lo: math.MaxUint64}, s, "2¹²⁷ − 1")
}

// mul is s × n for tests.
func (s Span) mul(n int) Span {
	var out Span
	for range n {
		out = out.Add(s)
	}
	return out
}
