package components_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
)

func TestBadInputIsAnError(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	two := []components.Series{{Name: "s", Values: []float64{1, 2}}}
	nan, inf := math.NaN(), math.Inf(1)
	tgt := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		name string
		c    components.Component
		msg  string
	}{
		{"line without axis", components.Line{Series: two}, "set Times or Categories"},
		{"line with both axes", components.Line{Times: []time.Time{t0, t0}, Categories: []string{"a", "b"}, Series: two}, "not both"},
		{"line times out of order", components.Line{Times: []time.Time{t0, t0.Add(-1)}, Series: two}, "is before time 0"},
		{"line length", components.Line{Categories: []string{"a"}, Series: two}, "has 2 values for 1 points"},
		{"line infinity", components.Line{Categories: []string{"a", "b"}, Series: []components.Series{{Name: "s", Values: []float64{1, inf}}}}, "point 1 is +Inf"},
		{"line no series", components.Line{Categories: []string{"a"}}, "no series"},
		{"line event outside", components.Line{Categories: []string{"a", "b"}, Series: two, Events: []components.Event{{Index: 2, Label: "e"}}}, "outside the chart"},
		{"line event on a gap", components.Line{Categories: []string{"a", "b"}, Series: []components.Series{{Values: []float64{nan, 1}}}, Events: []components.Event{{Label: "e"}}}, "marks a gap"},
		{"line NaN limit", components.Line{Categories: []string{"a", "b"}, Series: two, Limits: []components.Limit{{Name: "l", Value: nan}}}, "limit"},
		{"bar length", components.Bar{Categories: []string{"a"}, Series: two}, "2 values for 1 categories"},
		{"bar empty", components.Bar{}, "needs categories and series"},
		{"pareto negative", components.Pareto{Categories: []string{"a"}, Values: []float64{-1}}, "non-negative"},
		{"pareto NaN", components.Pareto{Categories: []string{"a"}, Values: []float64{nan}}, "non-negative"},
		{"pareto length", components.Pareto{Categories: []string{"a", "b"}, Values: []float64{1}}, "2 categories for 1 values"},
		{"gauge range", components.Gauge{Min: 1, Max: 1}, "not below Max"},
		{"gauge NaN", components.Gauge{Value: nan}, "NaN"},
		{"gauge target outside", components.Gauge{Value: 0.5, Target: tgt(1.5)}, "target 1.5 outside"},
		{"heatmap colours", components.Heatmap{XLabels: []string{"a"}, YLabels: []string{"b"}, Values: [][]float64{{1}}, Colors: []string{"red", "#000000"}}, `colour "red"`},
		{"heatmap scale", components.Heatmap{XLabels: []string{"a"}, YLabels: []string{"b"}, Values: [][]float64{{1}}, Min: 2, Max: 1}, "not a range"},
		{"table mixed column", components.Table{Columns: []components.Column{{Title: "x", Text: []string{"a"}, Numbers: []float64{1}}}}, "more than one of"},
		{"table lengths", components.Table{Columns: []components.Column{{Title: "x", Text: []string{"a"}}, {Title: "y", Text: []string{}}}}, `column "y" has 0 cells`},
		{"table duplicate key", components.Table{Columns: []components.Column{{Title: "x", Text: []string{"a"}}, {Title: "x", Text: []string{"b"}}}}, "duplicate column key"},
		{"table sort key", components.Table{Columns: []components.Column{{Title: "x", Text: []string{"a"}}}, SortBy: "nope"}, `no column "nope"`},
		{"table highlight on text", components.Table{Columns: []components.Column{{Title: "x", Text: []string{"a"}, Highlights: []components.Highlight{{Tone: components.ToneGood}}}}}, "numbers only"},
		{"table tone", components.Table{Columns: []components.Column{{Title: "x", Numbers: []float64{1}, Highlights: []components.Highlight{{Tone: "pink"}}}}}, `unknown tone "pink"`},
		{"table page", components.Table{Columns: []components.Column{{Title: "x", Text: []string{"a"}}}, Page: -1}, "negative"},
		{"table infinity", components.Table{Columns: []components.Column{{Title: "x", Numbers: []float64{inf}}}}, "+Inf"},
		{"select no options", components.Select{Name: "f"}, "no options"},
		{"select name", components.Select{Name: "Bad Name", Options: []components.Option{{Value: "a"}}}, "filter name"},
		{"select duplicate", components.Select{Name: "f", Options: []components.Option{{Value: "a"}, {Value: "a"}}}, `duplicate option "a"`},
		{"select unknown selected", components.Select{Name: "f", Options: []components.Option{{Value: "a"}}, Selected: []string{"b"}}, `"b" is not an option`},
		{"single select, two values", components.Select{Name: "f", Options: []components.Option{{Value: "a"}, {Value: "b"}}, Selected: []string{"a", "b"}}, "2 values selected"},
		{"date range backwards", components.DateRange{Name: "d", From: t0, To: t0.AddDate(0, 0, -1)}, "is before from"},
		{"date range outside", components.DateRange{Name: "d", From: t0, Min: t0.AddDate(0, 0, 1)}, "outside the allowed range"},
		{"alert severity", components.Alerts{Items: []components.Alert{{Severity: "meh"}}}, `unknown severity "meh"`},
		{"grid width", components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{{Width: 13, Content: components.Alerts{}}}}}}, "width 13"},
		{"grid too wide", components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{{Width: 12, Content: components.Alerts{}}, {Content: components.Alerts{}}}}}}, "wider than 12"},
		{"grid empty cell", components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{{}}}}}, "no content"},
		{"grid child error", components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{{Content: components.MetricCard{Value: nan}}}}}}, "value is NaN"},
		{"sparkline infinity", components.MetricCard{Sparkline: []float64{1, inf}}, "sparkline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.Render("x")
			require.ErrorIs(t, err, components.ErrInvalid)
			require.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestParetoItemsSortDeterministicallyAndEndAtOne(t *testing.T) {
	items, err := components.Pareto{
		Categories: []string{"c", "a", "b", "d"},
		Values:     []float64{0.1, 0.2, 0.2, 0.3},
	}.Items()
	require.NoError(t, err)
	var order []string
	for _, it := range items {
		order = append(order, it.Category)
	}
	require.Equal(t, []string{"d", "a", "b", "c"}, order, "largest first, ties by name")
	require.Equal(t, 1.0, items[3].Cumulative, "exactly 100%, although 0.1+0.2+0.2+0.3 is not 0.8 in floating point")
	require.InDelta(t, 0.375, items[0].Cumulative, 1e-12)

	zero, err := components.Pareto{Categories: []string{"a", "b"}, Values: []float64{0, 0}}.Items()
	require.NoError(t, err)
	require.Equal(t, 0.0, zero[1].Cumulative, "no downtime: no share, not NaN")
}

func TestTableSortsPagesAndExports(t *testing.T) {
	tbl := components.Table{Columns: []components.Column{
		{Key: "name", Title: "Name", Text: []string{"a", "b", "c", "d", "e"}},
		{Key: "v", Title: "Value", Numbers: []float64{3, math.NaN(), 1, 3, 2}},
	}, SortBy: "v", PageSize: 2, Page: 9}

	rec, err := tbl.Records()
	require.NoError(t, err)
	require.Equal(t, [][]string{{"name", "v"}, {"c", "1"}, {"e", "2"}, {"a", "3"}, {"d", "3"}, {"b", ""}}, rec,
		"ascending, ties keep their order, an empty cell last; every page")

	tbl.Descending = true
	rec, err = tbl.Records()
	require.NoError(t, err)
	require.Equal(t, []string{"a", "d", "e", "c", "b"}, []string{rec[1][0], rec[2][0], rec[3][0], rec[4][0], rec[5][0]},
		"descending keeps ties in order and empty cells last")

	r, err := tbl.Render("t")
	require.NoError(t, err)
	require.Contains(t, string(r.HTML), "Rows 5–5 of 5 · page 3 of 3", "a page past the end shows the last")
	require.Contains(t, string(r.HTML), `data-page="2">Previous`)
}

func TestEmptyStates(t *testing.T) {
	r, err := components.Alerts{}.Render("a")
	require.NoError(t, err)
	require.Contains(t, string(r.HTML), `<p class="dk-empty">No active alerts.</p>`)
	r, err = components.Table{Columns: []components.Column{{Title: "x", Text: []string{}}}}.Render("t")
	require.NoError(t, err)
	require.Contains(t, string(r.HTML), `<td class="dk-empty" colspan="1">No rows.</td>`)
}

func TestSparklineBreaksAtGaps(t *testing.T) {
	r, err := components.MetricCard{Title: "x", Sparkline: []float64{1, 2, math.NaN(), 3, 4}}.Render("m")
	require.NoError(t, err)
	require.Contains(t, string(r.HTML), `<polyline points="0.00,22.00 25.00,15.33"/><polyline points="75.00,8.67 100.00,2.00"/>`)
}
