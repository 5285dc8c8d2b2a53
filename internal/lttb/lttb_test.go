package lttb

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLTTBMatchesPublishedReferences(t *testing.T) {
	seq := func(n int) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(i)
		}
		return xs
	}
	// resistics (github.com/resistics/resistics, tests/test_plot.py,
	// test_lttb_downsample): y = [0 1 3 4 2 3 4 3 4 5 5 5] to 5 points keeps
	// x = [0 3 4 9 11], y = [0 4 2 5 5].
	y := []float64{0, 1, 3, 4, 2, 3, 4, 3, 4, 5, 5, 5}
	idx := Indices(seq(12), y, 5)
	require.Equal(t, []int{0, 3, 4, 9, 11}, idx)
	var ys []float64
	for _, i := range idx {
		ys = append(ys, y[i])
	}
	require.Equal(t, []float64{0, 4, 2, 5, 5}, ys)

	// clj-lttb (github.com/viesti/clj-lttb, test/lttb/core_test.clj): a
	// straight line 0..9 to 5 points keeps x = [0 1 3 6 9] (equal areas:
	// the first point of each bucket wins, as in Steinarsson's code).
	require.Equal(t, []int{0, 1, 3, 6, 9}, Indices(seq(10), seq(10), 5))
}

func TestLTTBKeepsPeaksAndBounds(t *testing.T) {
	n := 10_000
	x, y := make([]float64, n), make([]float64, n)
	for i := range n {
		x[i] = float64(i)
		y[i] = math.Sin(float64(i) / 300)
	}
	y[5_000] = 40 // a spike bucket means would smear away
	idx := Indices(x, y, 200)
	require.Len(t, idx, 200)
	require.Equal(t, 0, idx[0])
	require.Equal(t, n-1, idx[len(idx)-1])
	require.Contains(t, idx, 5_000)
	for i := 1; i < len(idx); i++ {
		require.Less(t, idx[i-1], idx[i])
	}
	require.Equal(t, []int{0, 1, 2}, Indices([]float64{1, 2, 3}, []float64{1, 2, 3}, 10))
	require.Equal(t, []int{0, 1, 2}, Indices([]float64{1, 2, 3}, []float64{1, 2, 3}, 2))
	require.Empty(t, Indices(nil, nil, 10))
}
