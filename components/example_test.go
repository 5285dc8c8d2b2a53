package components_test

import (
	"fmt"
	"math"

	"github.com/dashkit/dashkit/components"
)

func ExampleMetricCard() {
	card := components.MetricCard{
		Title:  "1-day VaR (99%)",
		Value:  2.4e6,
		Format: components.NumberFormat{Style: components.StyleCurrency, Compact: true, Decimals: 1},
		Trend:  &components.Trend{Change: 0.052, Period: "vs yesterday", UpIsBad: true},
		Scheme: components.SchemeDanger,
	}
	r, err := card.Render("var")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Kind)
	fmt.Println(r.HTML)
	// Output:
	// html
	// <div class="dk-card dk-scheme-danger" id="var" role="group" aria-labelledby="var-title">
	// <div class="dk-card-title" id="var-title">1-day VaR (99%)</div>
	// <div class="dk-card-value">$2.4M</div>
	// <div class="dk-trend dk-trend-bad"><span class="dk-trend-arrow" aria-hidden="true">▲</span> <span class="dk-sr">up 5.2%</span><span aria-hidden="true">&#43;5.2%</span> <span class="dk-trend-period">vs yesterday</span></div>
	// </div>
}

func ExampleHeatmap() {
	hm := components.Heatmap{
		Title:   "Risk by sector",
		XLabels: []string{"Market", "Credit"},
		YLabels: []string{"Energy", "Tech"},
		Values: [][]float64{
			{1.5, math.NaN()}, // Energy: no credit data, drawn blank
			{2.5, 0.5},
		},
	}
	r, err := hm.Render("risk")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Kind, len(r.Option) > 0)
	// Output: chart true
}

func ExampleNumberFormat() {
	for _, f := range []components.NumberFormat{
		{},
		{Decimals: 2},
		{Compact: true, Decimals: 1},
		{Style: components.StyleCurrency, Compact: true, Decimals: 1},
		{Unit: "ms"},
	} {
		fmt.Println(f.Format(2412345.678))
	}
	fmt.Println(components.NumberFormat{Style: components.StylePercent, Decimals: 1}.Format(0.052))
	// Output:
	// 2,412,346
	// 2,412,345.68
	// 2.4M
	// $2.4M
	// 2,412,346 ms
	// 5.2%
}
