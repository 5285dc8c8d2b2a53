package dashboard

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
)

// A chart's result holds its option once — in the update — and the first
// paint's container is built from it, also after a trip through a shared
// store's JSON encoding.
func TestChartResultHoldsItsOptionOnce(t *testing.T) {
	r, err := components.Bar{Title: "Orders <today>", Categories: []string{"a", "b"}, Series: []components.Series{{Name: "n", Values: []float64{1, 2}}}}.Render("orders")
	require.NoError(t, err)
	res, err := encode(Update{Panel: "orders", Kind: r.Kind, Option: r.Option, Label: r.Label})
	require.NoError(t, err)

	var u Update
	require.NoError(t, json.Unmarshal(res.Update, &u))
	require.JSONEq(t, string(r.Option), string(u.Option))
	require.Equal(t, "orders", u.Panel)
	require.Equal(t, res.Hash, u.Hash)
	require.Empty(t, res.HTML, "no second copy in the first paint")

	stored, err := json.Marshal(res)
	require.NoError(t, err)
	require.Equal(t, 1, bytes.Count(stored, r.Option), "the option is stored once")

	var back PanelResult
	require.NoError(t, json.Unmarshal(stored, &back))
	for _, got := range []PanelResult{res, back} {
		h, err := got.firstPaint("orders")
		require.NoError(t, err)
		require.Equal(t, r.HTML, h, "the same container the component renders")
		require.True(t, strings.Contains(html.UnescapeString(string(h)), string(r.Option)))
	}

	_, err = PanelResult{Kind: components.KindChart, Update: res.Update}.firstPaint("orders")
	require.Error(t, err, "a chart result without its span is an error, not an empty chart")
}
