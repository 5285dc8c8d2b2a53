// Package gallery holds one deterministic sample of every component, for
// golden files, the browser gallery and the README's screenshots.
package gallery

import (
	"math"
	"time"

	"github.com/dashkit/dashkit/components"
)

// Item is a named sample.
type Item struct {
	Name      string
	Title     string
	Width     int // of 12, in the gallery page
	Component components.Component
}

// Epoch is the fixed time the samples are built around.
var Epoch = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// Items returns every sample, in gallery order.
func Items() []Item {
	days := make([]time.Time, 30)
	var1, var2, pnl := make([]float64, 30), make([]float64, 30), make([]float64, 30)
	for i := range days {
		days[i] = Epoch.AddDate(0, 0, i-29)
		var1[i] = 1.8e6 + 2e5*math.Sin(float64(i)/4)
		var2[i] = 2.6e6 + 3e5*math.Sin(float64(i)/4+0.5)
		pnl[i] = 1.2e6 * math.Sin(float64(i)*1.7)
	}
	pnl[12] = math.NaN() // a missing day: a gap
	return []Item{
		{Name: "card-var", Title: "VaR card", Width: 3, Component: components.MetricCard{
			Title: "1-day VaR (99%)", Value: 2.41e6,
			Format:    components.NumberFormat{Style: components.StyleCurrency, Compact: true, Decimals: 2},
			Subtitle:  "Historical, 250 days",
			Trend:     &components.Trend{Change: 0.052, Period: "vs yesterday", UpIsBad: true},
			Scheme:    components.SchemeDanger,
			Sparkline: var1,
		}},
		{Name: "card-oee", Title: "OEE card", Width: 3, Component: components.MetricCard{
			Title: "Global OEE", Value: 0.784,
			Format: components.NumberFormat{Style: components.StylePercent, Decimals: 1},
			Trend:  &components.Trend{Change: 0.013, Period: "vs last week"},
			Scheme: components.SchemeSuccess,
		}},
		{Name: "card-downtime", Title: "Downtime card", Width: 3, Component: components.MetricCard{
			Title: "Unplanned downtime", Value: 312,
			Format: components.NumberFormat{Unit: "min"},
			Trend:  &components.Trend{Change: -0.21, Period: "vs yesterday", UpIsBad: true},
			Scheme: components.SchemeWarning,
		}},
		{Name: "gauge", Title: "Gauge", Width: 3, Component: components.Gauge{
			Title: "OEE vs world class", Value: 0.784, Target: ptr(0.85),
			Format: components.NumberFormat{Style: components.StylePercent},
		}},
		{Name: "heatmap", Title: "Heatmap", Width: 6, Component: components.Heatmap{
			Title:   "Risk by sector and type",
			XLabels: []string{"Market", "Credit", "Liquidity", "Operational"},
			YLabels: []string{"Energy", "Financials", "Technology", "Utilities"},
			Values: [][]float64{
				{42, 18, 35, 12},
				{55, 61, 22, math.NaN()},
				{73, 9, 14, 20},
				{21, 30, math.NaN(), 8},
			},
		}},
		{Name: "line", Title: "Time series", Width: 6, Component: components.Line{
			Title: "VaR timeline", Times: days,
			Series:  []components.Series{{Name: "VaR 95%", Values: var1}, {Name: "VaR 99%", Values: var2, Area: true}},
			YFormat: components.NumberFormat{Style: components.StyleCurrency, Compact: true, Decimals: 1},
			Limits:  []components.Limit{{Name: "Limit $3M", Value: 3e6}},
			Events:  []components.Event{{Series: 1, Index: 20, Label: "Exception"}},
			Zoom:    true,
		}},
		{Name: "line-categories", Title: "Line over categories", Width: 6, Component: components.Line{
			Title: "Daily P&L", Categories: labels(days),
			Series:  []components.Series{{Name: "P&L", Values: pnl, Smooth: true}},
			YFormat: components.NumberFormat{Style: components.StyleCurrency, Compact: true},
		}},
		{Name: "bar", Title: "Grouped bars", Width: 6, Component: components.Bar{
			Title:      "Efficiency by facility",
			Categories: []string{"Lyon", "Porto", "Gdańsk", "Monterrey", "Pune"},
			Series: []components.Series{
				{Name: "Availability", Values: []float64{0.91, 0.87, 0.93, 0.82, 0.89}},
				{Name: "Performance", Values: []float64{0.94, 0.9, 0.88, 0.91, math.NaN()}},
			},
			Format: components.NumberFormat{Style: components.StylePercent},
		}},
		{Name: "bar-stacked", Title: "Stacked horizontal bars", Width: 6, Component: components.Bar{
			Title:      "Downtime by shift (minutes)",
			Categories: []string{"Press 1", "Press 2", "Lathe 4", "Paint"},
			Series: []components.Series{
				{Name: "Night", Values: []float64{30, 12, 44, 5}},
				{Name: "Day", Values: []float64{18, 25, 9, 31}},
			},
			Stacked: true, Horizontal: true,
		}},
		{Name: "pareto", Title: "Pareto", Width: 6, Component: components.Pareto{
			Title:      "Downtime by reason",
			Categories: []string{"Setup", "Breakdown", "Minor stops", "Material", "Quality hold", "Other"},
			Values:     []float64{140, 310, 95, 60, 60, 15},
			Format:     components.NumberFormat{Unit: "min"},
		}},
		{Name: "table", Title: "Table", Width: 6, Component: components.Table{
			Caption: "Top risk contributors",
			Columns: []components.Column{
				{Key: "instrument", Title: "Instrument", Text: []string{"EQ-US-0412", "FI-DE-0091", "EQ-JP-1120", "FX-EURUSD", "CM-BRENT"}},
				{Key: "sector", Title: "Sector", Text: []string{"Technology", "Financials", "Industrials", "FX", "Energy"}},
				{Key: "cvar", Title: "Component VaR", Numbers: []float64{412_000, 388_500, 120_250, math.NaN(), 301_000},
					Format:     components.NumberFormat{Style: components.StyleCurrency},
					Highlights: []components.Highlight{{Value: 300_000, Tone: components.ToneWarning}, {Value: 400_000, Tone: components.ToneDanger}}},
				{Key: "asof", Title: "As of", Times: []time.Time{Epoch, Epoch, Epoch.Add(-time.Hour), Epoch, {}}},
			},
			SortBy: "cvar", Descending: true, PageSize: 4,
		}},
		{Name: "alerts", Title: "Alerts", Width: 6, Component: components.Alerts{Items: []components.Alert{
			{Severity: components.SeverityCritical, Message: "OEE 61% below 70% for 30 minutes", Source: "Porto / Press 2", Time: Epoch.Add(-5 * time.Minute)},
			{Severity: components.SeverityWarning, Message: "Unplanned downtime 48 min in the last hour", Source: "Pune", Time: Epoch.Add(-22 * time.Minute)},
			{Severity: components.SeverityInfo, Message: "Shift change", Source: "Lyon"},
		}}},
		{Name: "alerts-empty", Title: "No alerts", Width: 3, Component: components.Alerts{}},
		{Name: "select", Title: "Select", Width: 3, Component: components.Select{
			Name: "facility", Label: "Facility",
			Options:  []components.Option{{Value: "all", Label: "All facilities"}, {Value: "lyon", Label: "Lyon"}, {Value: "porto", Label: "Porto"}},
			Selected: []string{"all"},
		}},
		{Name: "select-multi", Title: "Multiple select", Width: 3, Component: components.Select{
			Name: "sectors", Label: "Sectors", Multiple: true,
			Options:  []components.Option{{Value: "energy", Label: "Energy"}, {Value: "tech", Label: "Technology"}, {Value: "util", Label: "Utilities"}},
			Selected: []string{"energy", "util"},
		}},
		{Name: "daterange", Title: "Date range", Width: 3, Component: components.DateRange{
			Name: "period", Label: "Period", From: Epoch.AddDate(0, 0, -7), To: Epoch, Min: Epoch.AddDate(-1, 0, 0), Max: Epoch,
		}},
		{Name: "grid", Title: "Grid of cards", Width: 12, Component: components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{
			{Content: components.MetricCard{Title: "Availability", Value: 0.9, Format: components.NumberFormat{Style: components.StylePercent}}},
			{Content: components.MetricCard{Title: "Performance", Value: 0.95, Format: components.NumberFormat{Style: components.StylePercent}}},
			{Content: components.MetricCard{Title: "Quality", Value: 0.999, Format: components.NumberFormat{Style: components.StylePercent, Decimals: 1}}},
			{Content: components.Gauge{Title: "OEE", Value: 0.854, Target: ptr(0.85), Format: components.NumberFormat{Style: components.StylePercent}}},
		}}}}},
	}
}

func labels(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format("Jan 2")
	}
	return out
}
