package dashboard_test

import (
	"context"
	"html"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// TestCardDoesNotRepeatItsPanelsTitle: a card that says what its panel's
// title says shows no title of its own (the page reads "Orders today"
// once); a card with a title of its own keeps it.
func TestCardDoesNotRepeatItsPanelsTitle(t *testing.T) {
	card := func(title string) dashboard.DataFunc {
		return func(context.Context, dashboard.Params) (components.Component, error) {
			return components.MetricCard{Title: title, Value: 12}, nil
		}
	}
	d := newDashboard(t, dashboard.Options{Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "orders", Title: "Orders today", Data: card("orders  Today")},
		{ID: "revenue", Title: "Revenue", Data: card("Revenue, EUR")},
	}}}})
	page := html.UnescapeString(body(t, get(t, d, "/")))
	require.Equal(t, 1, strings.Count(strings.ToLower(page), "orders today"), "the panel's title only")
	require.NotContains(t, page, `id="orders-title"`)
	require.Contains(t, page, `<div class="dk-card-title" id="revenue-title">Revenue, EUR</div>`)
	require.Contains(t, body(t, get(t, d, "/panels/orders")), `role=\"group\"\u003e`)
}
