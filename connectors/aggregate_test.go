package connectors

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// Partials over chunks merge to the one-pass result, checked against a
// direct two-pass computation.
func TestAggMergesExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 10_007)
	for i := range xs {
		xs[i] = 1e6 + rng.NormFloat64()*3 // a large offset tests stability
	}
	var whole Agg
	for _, x := range xs {
		whole.Add(x)
	}
	var merged Agg
	for i := 0; i < len(xs); i += 997 {
		var part Agg
		for _, x := range xs[i:min(i+997, len(xs))] {
			part.Add(x)
		}
		merged.Merge(part)
	}
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	ss, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	for _, a := range []Agg{whole, merged} {
		require.Equal(t, int64(len(xs)), a.N)
		require.InEpsilon(t, mean, a.Mean(), 1e-12)
		require.InEpsilon(t, ss/float64(len(xs)-1), a.Variance(), 1e-9)
		require.Equal(t, lo, a.Min)
		require.Equal(t, hi, a.Max)
	}
	var empty Agg
	empty.Merge(Agg{})
	require.Zero(t, empty.Variance())
}

// TestAggMinMaxSignedZerosAndNaN: Min and Max follow math.Min and
// math.Max — −0 is below +0 in either order, and a NaN (which Add
// leaves to the caller to filter) is kept, not lost to a comparison.
func TestAggMinMaxSignedZerosAndNaN(t *testing.T) {
	negZero := math.Copysign(0, -1)
	for _, xs := range [][]float64{{0, negZero}, {negZero, 0}, {1, 0, negZero, 2}} {
		var a Agg
		for _, x := range xs {
			a.Add(x)
		}
		require.True(t, a.Min == 0 && math.Signbit(a.Min), "Min of %v is −0, got %v", xs, a.Min)
		require.False(t, math.Signbit(a.Max), "Max of %v is not −0", xs)
	}
	for _, xs := range [][]float64{{1, math.NaN(), 2}, {math.NaN(), 1}, {1, 2, math.NaN()}} {
		var a Agg
		for _, x := range xs {
			a.Add(x)
		}
		require.True(t, math.IsNaN(a.Min) && math.IsNaN(a.Max), "Min, Max of %v are NaN, got %v, %v", xs, a.Min, a.Max)
	}
}
