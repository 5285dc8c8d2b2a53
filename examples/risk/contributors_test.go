package main

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/risk"
)

// The contributors table splits the figure of the ES card: its components,
// over every instrument, add up to the card's historical 97.5% ES, and its
// caption says which measure it splits. The heatmap's Market column is the
// same split by sector, so its shares add up to one.
func TestContributorsAddUpToTheCard(t *testing.T) {
	ctx := context.Background()
	m := newMarket(2000, 253, 42)
	s, err := m.current(ctx)
	require.NoError(t, err)
	ap := &app{m: m, limit: 1}

	card, err := ap.esCard(ctx, paramsAll)
	require.NoError(t, err)
	es := card.(components.MetricCard).Value
	require.Equal(t, risk.MethodHistorical, s.split.Method)
	require.Equal(t, risk.MeasureES, s.split.Measure)
	sum := 0.0
	for _, v := range s.split.Component {
		sum += v
	}
	require.InDelta(t, es, sum, 1e-9*es, "the components add up to the card")

	c, err := ap.top(ctx, paramsAll)
	require.NoError(t, err)
	table := c.(components.Table)
	require.Contains(t, table.Caption, "component ES 97.5%, historical")
	require.Equal(t, "Component ES", table.Columns[3].Title)
	require.Equal(t, "Share of ES", table.Columns[4].Title)
	require.Len(t, table.Columns[3].Numbers, 20)
	require.Equal(t, s.split.Top[0].Component, table.Columns[3].Numbers[0])

	share := 0.0
	for _, row := range s.matrix {
		share += row[0]
	}
	require.InDelta(t, 1, share, 1e-9, "the Market column is the same split by sector")
	h, err := ap.heatmap(ctx, paramsAll)
	require.NoError(t, err)
	require.Contains(t, h.(components.Heatmap).Description, "component ES 97.5%, historical")
	require.False(t, math.IsNaN(es))
}
