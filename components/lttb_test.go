package components_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
)

func TestLTTBKeepsEndsAndPeaks(t *testing.T) {
	n := 1000
	x, y := make([]float64, n), make([]float64, n)
	for i := range n {
		x[i] = float64(i)
		y[i] = math.Sin(float64(i) / 50)
	}
	y[333] = 10 // a spike
	y[777] = -10
	idx := components.LTTB(x, y, 50)
	require.Len(t, idx, 50)
	require.Equal(t, 0, idx[0])
	require.Equal(t, n-1, idx[49])
	require.Contains(t, idx, 333, "a spike survives")
	require.Contains(t, idx, 777, "a trough survives")
	for i := 1; i < len(idx); i++ {
		require.Less(t, idx[i-1], idx[i], "indices increase")
	}
}

// TestLTTBReference checks a small series against the result worked by hand
// from the algorithm's definition (Steinarsson 2013, section 4.2): 8 points
// down to 4, buckets {1,2,3} and {4,5,6}.
func TestLTTBReference(t *testing.T) {
	x := []float64{0, 1, 2, 3, 4, 5, 6, 7}
	y := []float64{0, 1, 5, 1, 0, -4, 0, 0}
	// Bucket 1 (points 1..3) against a=(0,0) and the mean of bucket 2,
	// (5, -4/3): doubled areas 6.33, 27.67, 9, so point 2.
	// Bucket 2 (points 4..6) against a=(2,5) and point 7 (7,0): doubled
	// areas 15, 30, 5, so point 5.
	require.Equal(t, []int{0, 2, 5, 7}, components.LTTB(x, y, 4))
}

func TestLTTBSmallInputsPassThrough(t *testing.T) {
	require.Equal(t, []int{0, 1, 2}, components.LTTB([]float64{1, 2, 3}, []float64{1, 2, 3}, 10))
	require.Equal(t, []int{0, 1, 2}, components.LTTB([]float64{1, 2, 3}, []float64{1, 2, 3}, 2))
}

func TestLineMaxPointsDownsamples(t *testing.T) {
	n := 5000
	cats := make([]string, n)
	a, b := make([]float64, n), make([]float64, n)
	for i := range n {
		cats[i] = "c"
		a[i] = math.Sin(float64(i) / 100)
		b[i] = math.Cos(float64(i) / 100)
	}
	l := components.Line{Categories: cats, Series: []components.Series{{Name: "a", Values: a}, {Name: "b", Values: b}}, MaxPoints: 200}
	r, err := l.Render("l")
	require.NoError(t, err)
	opt := decode(t, r.Option)
	for _, s := range opt["series"].([]any) {
		require.LessOrEqual(t, len(s.(map[string]any)["data"].([]any)), 200)
	}
	require.Contains(t, r.Label, "downsampled from 5000 points")
}

func decode(t *testing.T, opt []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(opt, &m))
	return m
}
