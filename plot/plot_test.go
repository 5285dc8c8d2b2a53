package plot_test

import (
	"math"
	"testing"
	"time"
	_ "time/tzdata" // America/New_York on any machine

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/connectors"
	"github.com/dashkit/dashkit/plot"
)

func TestLineFromAResamplerHasGapsAndOneAxis(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	r := connectors.NewResampler[string](time.Hour)
	r.Add("a", t0, 1)
	r.Add("a", t0.Add(3*time.Hour), 4)
	r.Add("b", t0.Add(time.Hour), 2)
	l := plot.Line("t", r, []string{"a", "b"}, func(k string) string { return "key " + k }, connectors.Sum)
	require.Len(t, l.Times, 4)
	require.Equal(t, t0.Add(3*time.Hour), l.Times[3])
	require.Equal(t, "key a", l.Series[0].Name)
	require.Equal(t, 1.0, l.Series[0].Values[0])
	require.True(t, math.IsNaN(l.Series[0].Values[1]))
	require.True(t, math.IsNaN(l.Series[0].Values[2]), "an hour nobody sold in is a gap")
	require.Equal(t, []float64{0, 1, 0, 0}, plot.Line("t", r, []string{"a", "b"}, nil, connectors.Count).Series[1].Values)
	_, err := l.Render("line")
	require.NoError(t, err)

	empty := plot.Line("t", r, []string{"nobody"}, nil, connectors.Sum)
	require.Empty(t, empty.Times)
}

func TestMultiResamplerHelpers(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	r := connectors.NewMultiResampler[string](24*time.Hour, ny, "revenue", "orders")
	r.Add("north", time.Date(2026, 3, 7, 23, 30, 0, 0, ny), 10, 1)
	r.Add("north", time.Date(2026, 3, 9, 8, 0, 0, 0, ny), 30, 1)
	r.Add("south", time.Date(2026, 3, 8, 12, 0, 0, 0, ny), 5, math.NaN())

	l, err := plot.LineFields("north", r, "north", connectors.Sum, "revenue", "orders")
	require.NoError(t, err)
	require.Equal(t, []string{"2026-03-07", "2026-03-08", "2026-03-09"}, []string{l.Times[0].Format(time.DateOnly), l.Times[1].Format(time.DateOnly), l.Times[2].Format(time.DateOnly)})
	require.Equal(t, 30.0, l.Series[0].Values[2])
	require.True(t, math.IsNaN(l.Series[1].Values[1]))

	b, err := plot.BarTimes("daily", r, "south", "revenue", connectors.Sum, time.DateOnly)
	require.NoError(t, err)
	require.Equal(t, []string{"2026-03-08"}, b.Categories)

	bars, err := plot.BarKeys("by region", r, []string{"north", "south"}, nil, "orders", connectors.Count)
	require.NoError(t, err)
	require.Equal(t, []float64{2, 0}, bars.Series[0].Values)
	_, err = bars.Render("bars")
	require.NoError(t, err)

	_, err = plot.LineKeys("x", r, []string{"north"}, nil, "profit", connectors.Sum)
	require.ErrorIs(t, err, plot.ErrNoField)
	_, err = plot.LineFields("x", r, "north", connectors.Sum, "profit")
	require.ErrorIs(t, err, plot.ErrNoField)
}

func TestCardFromAnAggregate(t *testing.T) {
	var a connectors.Agg
	for _, v := range []float64{3721415.25, 0.25} {
		a.Add(v)
	}
	c := plot.Card("Revenue", a.Stat(), connectors.Sum, components.NumberFormat{Style: components.StyleCurrency})
	require.Equal(t, 3721415.5, c.Value)
	require.Equal(t, 3721415.25, plot.Card("Max", a.Stat(), connectors.Max, components.NumberFormat{}).Value)

	none := plot.Card("Revenue", connectors.Agg{}.Stat(), connectors.Mean, components.NumberFormat{})
	require.Equal(t, 0.0, none.Value)
	require.Equal(t, "No data", none.Subtitle)
	_, err := none.Render("card")
	require.NoError(t, err)
}
