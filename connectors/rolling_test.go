package connectors

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// The original's 7-row rolling mean, and its friends, against a direct
// recomputation of every window.
func TestRollingMatchesDirectWindows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := make([]float64, 5_000)
	for i := range xs {
		xs[i] = 1e5 + rng.NormFloat64()*2
		if i%500 == 0 {
			xs[i] = 1e5 + 50 // spikes for min/max eviction
		}
	}
	for _, w := range []int{1, 2, 7, 100} {
		r := NewRolling(w)
		for i, x := range xs {
			r.Add(x)
			win := xs[max(0, i+1-w) : i+1]
			require.Equal(t, i+1 >= w, r.Ready())
			require.Equal(t, len(win), r.Len())
			var sum float64
			for _, v := range win {
				sum += v
			}
			mean := sum / float64(len(win))
			require.InEpsilon(t, mean, r.Mean(), 1e-12, "w=%d i=%d", w, i)
			require.InEpsilon(t, sum, r.Sum(), 1e-12)
			require.Equal(t, slices.Min(win), r.Min())
			require.Equal(t, slices.Max(win), r.Max())
			if len(win) > 1 {
				var ss float64
				for _, v := range win {
					ss += (v - mean) * (v - mean)
				}
				require.InDelta(t, ss/float64(len(win)-1), r.Variance(), 1e-6*(ss/float64(len(win)-1))+1e-8, "w=%d i=%d", w, i)
			} else {
				require.True(t, math.IsNaN(r.Variance()))
			}
		}
	}
	e := NewRolling(3)
	require.True(t, math.IsNaN(e.Mean()))
	require.True(t, math.IsNaN(e.Min()))
	require.Panics(t, func() { NewRolling(0) })
}
