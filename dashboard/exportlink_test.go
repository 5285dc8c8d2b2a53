package dashboard_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// TestExportLinkOnlyWhereThereIsSomethingToExport: a card panel with Export
// shows no link (it would answer 404) and its mistake is logged once; a
// table panel shows its link, and its CSV writes numbers as the column's
// format says, not as float noise.
func TestExportLinkOnlyWhereThereIsSomethingToExport(t *testing.T) {
	var logs bytes.Buffer
	d := newDashboard(t, dashboard.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "card", Title: "Revenue", Export: true, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			return components.MetricCard{Title: "Revenue", Value: 1}, nil
		}},
		{ID: "top", Title: "Top products", Export: true, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			return components.Table{Columns: []components.Column{
				{Key: "product", Text: []string{"Widget"}},
				{Key: "revenue", Numbers: []float64{3721415.499999999}, Format: components.NumberFormat{Style: components.StyleCurrency, Decimals: 2}},
			}}, nil
		}},
	}}}})
	for range 2 {
		page := body(t, get(t, d, "/"))
		require.NotContains(t, page, "export/card.csv")
		require.Contains(t, page, "export/top.csv")
	}
	require.Equal(t, 1, strings.Count(logs.String(), "panel has Export but its component has no records"), logs.String())

	res := get(t, d, "/export/top.csv")
	require.Equal(t, http.StatusOK, res.StatusCode)
	records, err := csv.NewReader(res.Body).ReadAll()
	require.NoError(t, err)
	require.Equal(t, [][]string{{"product", "revenue"}, {"Widget", "3721415.50"}}, records)
}
