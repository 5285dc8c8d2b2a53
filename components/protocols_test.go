package components_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
)

func TestGridForwardsProtocols(t *testing.T) {
	tbl := components.Table{Columns: []components.Column{{Key: "k", Title: "K", Text: []string{"a", "b"}}}}
	card := components.MetricCard{Title: "n", Value: 1}
	nested := components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{
		{Content: card},
		{Content: components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{{Content: tbl}}}}}},
	}}}}
	t.Run("records of a nested table", func(t *testing.T) {
		rec, err := nested.Records()
		require.NoError(t, err)
		require.Equal(t, [][]string{{"k"}, {"a"}, {"b"}}, rec)
	})
	t.Run("no table", func(t *testing.T) {
		_, err := components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{{Content: card}}}}}.Records()
		require.ErrorIs(t, err, components.ErrNoRecords)
	})
	t.Run("two tables", func(t *testing.T) {
		_, err := components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{{Content: tbl}, {Content: tbl}}}}}.Records()
		require.ErrorIs(t, err, components.ErrInvalid)
	})
	t.Run("view reaches the nested table", func(t *testing.T) {
		c, err := nested.WithView("k", true, 0)
		require.NoError(t, err)
		rec, err := c.(components.Recorder).Records()
		require.NoError(t, err)
		require.Equal(t, [][]string{{"k"}, {"b"}, {"a"}}, rec)
		_, err = nested.WithView("nope", false, 0)
		require.ErrorIs(t, err, components.ErrNoColumn)
		_, err = nested.WithView("", false, 3)
		require.ErrorIs(t, err, components.ErrNoPage, "the nested table has one page")
		rec, _ = nested.Records()
		require.Equal(t, "a", rec[1][0], "the original grid is unchanged")
	})
}

// A grid exports its table, so a panel that wraps a table in a grid keeps
// its CSV export.
func ExampleGrid_Records() {
	g := components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{
		{Width: 4, Content: components.MetricCard{Title: "Sites", Value: 2}},
		{Content: components.Table{Columns: []components.Column{{Key: "site", Title: "Site", Text: []string{"Leeds", "Lyon"}}}}},
	}}}}
	rec, err := g.Records()
	fmt.Println(rec, err)
	// Output: [[site] [Leeds] [Lyon]] <nil>
}

// ChartContainer builds a chart's first paint from an option kept
// elsewhere, such as inside an encoded live update.
func ExampleChartContainer() {
	h, err := components.ChartContainer("orders", "Orders by day", json.RawMessage(`{"series":[]}`))
	fmt.Println(h, err)
	// Output: <div class="dk-chart" id="orders" role="img" aria-label="Orders by day" data-option="{&#34;series&#34;:[]}"></div> <nil>
}
