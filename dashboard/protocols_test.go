package dashboard_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// longLine is a 20,000-point line chart.
func longLine() components.Line {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ts := make([]time.Time, 20_000)
	vs := make([]float64, len(ts))
	for i := range ts {
		ts[i] = start.Add(time.Duration(i) * time.Minute)
		vs[i] = float64(i%97) * 1.5
	}
	return components.Line{Title: "Load", Times: ts, Series: []components.Series{{Name: "load", Values: vs}}}
}

// pointsSent counts the data points of every series in the chart options a
// panel's update carries, inside a grid's HTML too.
func pointsSent(t *testing.T, d http.Handler, panel string) (points, bytes int) {
	t.Helper()
	res := get(t, d, "/panels/"+panel)
	require.Equal(t, http.StatusOK, res.StatusCode)
	b := body(t, res)
	var u struct {
		Kind   string          `json:"kind"`
		Option json.RawMessage `json:"option"`
		HTML   string          `json:"html"`
	}
	require.NoError(t, json.Unmarshal([]byte(b), &u))
	// A grid sends its cells' options inside the HTML's data attributes;
	// a point is one {"value":[time,value]} either way.
	points = strings.Count(string(u.Option), `"value":[`) + strings.Count(html.UnescapeString(u.HTML), `"value":[`)
	return points, len(b)
}

// Wrapping a component in a Grid must not turn its protocols off: a long
// line inside a grid is downsampled like one on its own (before the grid
// forwarded nothing and sent all 20,000 points), and a table inside a grid
// exports.
func TestGridForwardsComponentProtocols(t *testing.T) {
	const max = 500
	d := newDashboard(t, dashboard.Options{MaxDataPoints: max, Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "alone", Title: "Alone", Data: func(context.Context, dashboard.Params) (components.Component, error) {
			return longLine(), nil
		}},
		{ID: "boxed", Title: "Boxed", Export: true, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			tbl, err := table(context.Background(), dashboard.Params{})
			return components.Grid{Rows: []components.GridRow{
				{Cells: []components.Cell{{Content: longLine()}}},
				{Cells: []components.Cell{{Content: components.MetricCard{Title: "n", Value: 1}}, {Content: tbl}}},
			}}, err
		}},
		{ID: "cards", Title: "Cards", Export: true, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			return components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{{Content: components.MetricCard{Title: "n", Value: 1}}}}}}, nil
		}},
	}}}})

	alone, _ := pointsSent(t, d, "alone")
	require.Greater(t, alone, max/2, "the line is drawn")
	require.LessOrEqual(t, alone, max)
	boxed, size := pointsSent(t, d, "boxed")
	require.Greater(t, boxed, max/2, "the grid's line is drawn")
	require.LessOrEqual(t, boxed, max, "the grid's line is downsampled (%d bytes sent)", size)

	res := get(t, d, "/export/boxed.csv")
	require.Equal(t, http.StatusOK, res.StatusCode)
	records, err := csv.NewReader(res.Body).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"name", "v"}, records[0])
	require.Len(t, records, 10)

	require.Equal(t, http.StatusNotFound, get(t, d, "/export/cards.csv").StatusCode, "a grid without a table has nothing to export")
}

// Export takes the one path every view takes: a panicking data function is
// a 500 with the generic message (before, the panic reached http.Server),
// and an export is served from the computation the page made in the same
// interval (before, every export called the data function).
func TestExportGoesThroughTheCachedPath(t *testing.T) {
	var calls atomic.Int64
	var panics atomic.Bool
	d := newDashboard(t, dashboard.Options{Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "rows", Title: "Rows", Export: true, Refresh: time.Hour, Data: func(ctx context.Context, p dashboard.Params) (components.Component, error) {
			calls.Add(1)
			if panics.Load() {
				panic("boom: secret detail")
			}
			return table(ctx, p)
		}},
	}}}})

	require.Equal(t, http.StatusOK, get(t, d, "/").StatusCode)
	require.Equal(t, int64(1), calls.Load())
	for range 3 {
		res := get(t, d, "/export/rows.csv")
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.Contains(t, body(t, res), "'=HYPERLINK")
	}
	require.Equal(t, int64(1), calls.Load(), "the page and three exports share one computation")

	panicky := newDashboard(t, dashboard.Options{Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "rows", Title: "Rows", Export: true, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			panic("boom: secret detail")
		}},
	}}}})
	res := get(t, panicky, "/export/rows.csv")
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)
	b := body(t, res)
	require.Contains(t, b, "This panel is unavailable right now.")
	require.NotContains(t, b, "secret")
	require.NotContains(t, b, "boom")
}
