package dashboardtest_test

import (
	"context"
	"fmt"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/dashboard/dashboardtest"
)

// revenue is a data function under test: revenue of one region, or of all
// of them when the filter is absent (an "All" choice).
func revenue(_ context.Context, p dashboard.Params) (components.Component, error) {
	byRegion := map[string]float64{"north": 1200.5, "south": 800}
	total := 0.0
	for region, v := range byRegion {
		if r := p.Value("region"); r == "" || r == region {
			total += v
		}
	}
	return components.MetricCard{Title: "Revenue", Value: total, Format: components.NumberFormat{Style: components.StyleCurrency, Decimals: 2}}, nil
}

// Unit-test a data function with no dashboard and no HTTP server: the
// component comes back typed, with the update the page would get.
func Example() {
	ctx := context.Background()
	for _, query := range []string{"region=north", ""} {
		res, err := dashboardtest.Call(ctx, revenue, query)
		if err != nil {
			fmt.Println(err)
			return
		}
		card := res.Component.(components.MetricCard)
		fmt.Printf("%q: %.2f, a %s update\n", query, card.Value, res.Update.Kind)
	}
	// Output:
	// "region=north": 1200.50, a html update
	// "": 2000.50, a html update
}
