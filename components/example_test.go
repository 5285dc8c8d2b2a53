package components_test

import (
	"fmt"
	"math"
	"strings"
	"time"

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

func ExampleLine() {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	line := components.Line{
		Title:   "VaR timeline",
		Times:   []time.Time{day(23), day(24), day(25)},
		Series:  []components.Series{{Name: "VaR 99%", Values: []float64{2.1e6, 2.4e6, 3.2e6}}},
		YFormat: components.NumberFormat{Style: components.StyleCurrency, Compact: true, Decimals: 1},
		Limits:  []components.Limit{{Name: "Limit", Value: 3e6}},
		Events:  []components.Event{{Series: 0, Index: 2, Label: "Exception"}},
	}
	r, err := line.Render("var-timeline")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Kind, r.Label)
	// Output: chart VaR timeline: 1 series over 3 points
}

func ExamplePareto_Items() {
	p := components.Pareto{
		Categories: []string{"Setup", "Breakdown", "Material"},
		Values:     []float64{140, 310, 50},
	}
	items, err := p.Items()
	if err != nil {
		panic(err)
	}
	for _, it := range items {
		fmt.Printf("%-9s %3.0f %5.1f%%\n", it.Category, it.Value, it.Cumulative*100)
	}
	// Output:
	// Breakdown 310  62.0%
	// Setup     140  90.0%
	// Material   50 100.0%
}

func ExampleGauge() {
	target := 0.85
	r, err := components.Gauge{
		Title:  "OEE",
		Value:  0.78,
		Target: &target,
		Format: components.NumberFormat{Style: components.StylePercent},
	}.Render("oee")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Label)
	// Output: OEE: 78% on a scale from 0% to 100%, target 85%
}

func ExampleBar() {
	r, err := components.Bar{
		Title:      "OEE by facility",
		Categories: []string{"Lyon", "Porto"},
		Series:     []components.Series{{Name: "OEE", Values: []float64{0.81, 0.74}}},
		Horizontal: true,
		Format:     components.NumberFormat{Style: components.StylePercent},
	}.Render("by-facility")
	fmt.Println(r.Kind, err)
	// Output: chart <nil>
}

func ExampleTable() {
	t := components.Table{
		Caption: "Top contributors",
		Columns: []components.Column{
			{Key: "name", Title: "Instrument", Text: []string{"A", "B", "C"}},
			{Key: "var", Title: "Component VaR", Numbers: []float64{120, 410, 95},
				Highlights: []components.Highlight{{Value: 400, Tone: components.ToneDanger}}},
		},
		SortBy: "var", Descending: true,
	}
	records, err := t.Records()
	if err != nil {
		panic(err)
	}
	fmt.Println(records)
	// Output: [[name var] [B 410] [A 120] [C 95]]
}

func ExampleSelect() {
	r, err := components.Select{
		Name:     "facility",
		Label:    "Facility",
		Options:  []components.Option{{Value: "lyon", Label: "Lyon"}, {Value: "porto", Label: "Porto"}},
		Selected: []string{"porto"},
	}.Render("facility-picker")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.HTML)
	// Output:
	// <div class="dk-field" id="facility-picker">
	// <label for="facility-picker-input">Facility</label>
	// <select id="facility-picker-input" name="facility" data-filter="facility">
	// <option value="lyon">Lyon</option>
	// <option value="porto" selected>Porto</option>
	// </select>
	// </div>
}

func ExampleDateRange() {
	r, err := components.DateRange{
		Name: "period",
		From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		To:   time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
	}.Render("period")
	fmt.Println(r.Kind, err)
	// Output: html <nil>
}

func ExampleAlerts() {
	r, err := components.Alerts{}.Render("alerts")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.HTML)
	// Output:
	// <div class="dk-alerts" id="alerts">
	// <p class="dk-empty">No active alerts.</p>
	// </div>
}

func ExampleGrid() {
	g := components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{
		{Content: components.MetricCard{Title: "Availability", Value: 0.9, Format: components.NumberFormat{Style: components.StylePercent}}},
		{Content: components.MetricCard{Title: "Quality", Value: 0.99, Format: components.NumberFormat{Style: components.StylePercent}}},
	}}}}
	r, err := g.Render("kpis")
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.Count(string(r.HTML), `class="dk-cell dk-w-6"`))
	// Output: 2
}

func ExampleWaterfall() {
	w := components.Waterfall{
		Title: "Lyon, last 24 h",
		Steps: []components.Step{
			{Name: "Planned production time", Value: 22, Total: true},
			{Name: "Breakdowns", Value: -1.5},
			{Name: "Minor stops", Value: -0.75},
			{Name: "Fully productive time", Value: 19.75, Total: true},
		},
		Format: components.NumberFormat{Decimals: 1, Unit: "h"},
	}
	r, err := w.Render("waterfall")
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Kind, r.Label)
	// Output:
	// chart Lyon, last 24 h: 4 steps from Planned production time to Fully productive time
}

func ExampleNumberFormat_Tick() {
	f := components.NumberFormat{Style: components.StyleCurrency, Compact: true}
	for _, v := range []float64{-1.2e9, -1e9, 6e8, 0} {
		fmt.Println(f.Tick(v, 2e8))
	}
	// Output:
	// -$1.2B
	// -$1B
	// $600M
	// $0
}

func ExampleDuration() {
	fmt.Println(components.Duration(24 * time.Hour))
	fmt.Println(components.Duration(10 * time.Minute))
	fmt.Println(components.Duration(90 * time.Minute))
	// Output:
	// 24 h
	// 10 min
	// 1 h 30 min
}

func ExampleNumberFormat_Distinct() {
	shares := []float64{0.000067, 0.000071, 0.000075}
	f := components.NumberFormat{Style: components.StylePercent, Decimals: 2}
	fmt.Println(f.Format(shares[0]), f.Format(shares[2]))
	g := f.Distinct(shares)
	fmt.Println(g.Format(shares[0]), g.Format(shares[2]))
	// Output:
	// 0.01% 0.01%
	// 0.0067% 0.0075%
}
