package pareto_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/pareto"
)

func TestRank(t *testing.T) {
	t.Run("largest first, ties by label, last share exactly 1", func(t *testing.T) {
		items := []pareto.Item[float64]{{Label: "c", Value: 0.1}, {Label: "b", Value: 0.2}, {Label: "a", Value: 0.2}, {Label: "d", Value: 0.3}}
		pareto.Rank(items)
		require.Equal(t, []string{"d", "a", "b", "c"}, []string{items[0].Label, items[1].Label, items[2].Label, items[3].Label})
		require.InDelta(t, 0.375, items[0].Cumulative, 1e-12)
		require.Equal(t, 1.0, items[3].Cumulative, "0.1+0.2+0.2+0.3 is not 0.8 in floating point")
	})
	t.Run("durations add up exactly", func(t *testing.T) {
		items := []pareto.Item[time.Duration]{{Label: "jam", Value: time.Minute}, {Label: "setup", Value: 3 * time.Minute}}
		pareto.Rank(items)
		require.Equal(t, "setup", items[0].Label)
		require.Equal(t, 0.75, items[0].Cumulative)
	})
	t.Run("zero total: shares are zero, not NaN", func(t *testing.T) {
		items := []pareto.Item[float64]{{Label: "a"}, {Label: "b"}}
		pareto.Rank(items)
		require.Equal(t, 0.0, items[1].Cumulative)
	})
	t.Run("empty", func(t *testing.T) {
		pareto.Rank[float64](nil)
	})
}
