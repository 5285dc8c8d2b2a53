package components

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/dashkit/dashkit/internal/pareto"
)

// Bar is a bar chart of one or more series over categories: grouped side by
// side, or stacked, vertical or horizontal. An efficiency comparison across
// facilities is one.
type Bar struct {
	Title       string
	Description string // read by screen readers; empty generates one
	Categories  []string
	// Series hold one value per category; a NaN is a missing bar.
	Series []Series
	// Stacked stacks the series instead of grouping them.
	Stacked bool
	// Horizontal draws bars left to right, categories down the side.
	Horizontal bool
	// Format writes the value axis labels and tooltip values.
	Format NumberFormat
}

// Render implements [Component].
func (b Bar) Render(id string) (Rendered, error) {
	const name = "Bar"
	if err := checkID(name, id); err != nil {
		return Rendered{}, err
	}
	if len(b.Categories) == 0 || len(b.Series) == 0 {
		return Rendered{}, invalid(name, "%q: needs categories and series (have %d and %d)", b.Title, len(b.Categories), len(b.Series))
	}
	for _, s := range b.Series {
		if len(s.Values) != len(b.Categories) {
			return Rendered{}, invalid(name, "%q: series %q has %d values for %d categories", b.Title, s.Name, len(s.Values), len(b.Categories))
		}
		for i, v := range s.Values {
			if math.IsInf(v, 0) {
				return Rendered{}, invalid(name, "%q: series %q, category %q is %v", b.Title, s.Name, b.Categories[i], v)
			}
		}
	}
	c := charts.NewBar()
	c.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(b.Series) > 1), Top: "0", Right: "0"}),
		charts.WithGridOpts(opts.Grid{Top: "40", Bottom: "8", Left: "8", Right: "16", ContainLabel: opts.Bool(true)}),
	)
	patchSeries := make([]any, len(b.Series))
	for i, s := range b.Series {
		data := make([]opts.BarData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.BarData{Value: nullable(v)}
		}
		c.AddSeries(s.Name, data)
		ps := map[string]any{}
		if b.Stacked {
			ps["stack"] = "total"
		}
		patchSeries[i] = ps
	}
	label := describe("Bar chart", b.Title, b.Description, fmt.Sprintf("%d series over %d categories", len(b.Series), len(b.Categories)))
	patch := base(b.Title, label)
	category := map[string]any{"type": "category", "data": b.Categories, "axisLabel": map[string]any{"interval": 0, "hideOverlap": true}}
	value := map[string]any{"type": "value", "axisLabel": map[string]any{"formatter": formatter(b.Format)}}
	if b.Horizontal {
		category["inverse"] = true // first category on top, as it reads
		patch["xAxis"], patch["yAxis"] = []any{value}, []any{category}
	} else {
		patch["xAxis"], patch["yAxis"] = []any{category}, []any{value}
	}
	patch["tooltip"] = map[string]any{"valueFormatter": formatter(b.Format)}
	patch["series"] = patchSeries
	return chart(id, label, c, patch)
}

// Pareto is a downtime-style Pareto chart: bars sorted from the largest,
// and a line of the cumulative share on a 0–100% axis.
type Pareto struct {
	Title       string
	Description string // read by screen readers; empty generates one
	Categories  []string
	// Values are non-negative, one per category, in any order.
	Values []float64
	// Format writes the bar values.
	Format NumberFormat
}

// ParetoItem is one bar of a Pareto chart with its cumulative share.
type ParetoItem struct {
	Category   string
	Value      float64
	Cumulative float64 // share of the total up to and including this item, 0..1
}

// Items sorts the categories for a Pareto chart: by value, largest first,
// ties by category name so the order is deterministic. The cumulative share
// of the last item is exactly 1.
func (p Pareto) Items() ([]ParetoItem, error) {
	const name = "Pareto"
	if len(p.Categories) == 0 || len(p.Categories) != len(p.Values) {
		return nil, invalid(name, "%q: %d categories for %d values", p.Title, len(p.Categories), len(p.Values))
	}
	ranked := make([]pareto.Item[float64], len(p.Values))
	for i, v := range p.Values {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, invalid(name, "%q: value of %q is %v; want a finite non-negative number", p.Title, p.Categories[i], v)
		}
		ranked[i] = pareto.Item[float64]{Label: p.Categories[i], Value: v}
	}
	pareto.Rank(ranked)
	items := make([]ParetoItem, len(ranked))
	for i, it := range ranked {
		items[i] = ParetoItem{Category: it.Label, Value: it.Value, Cumulative: it.Cumulative}
	}
	return items, nil
}

// Render implements [Component].
func (p Pareto) Render(id string) (Rendered, error) {
	if err := checkID("Pareto", id); err != nil {
		return Rendered{}, err
	}
	items, err := p.Items()
	if err != nil {
		return Rendered{}, err
	}
	cats := make([]string, len(items))
	bars := make([]opts.BarData, len(items))
	cum := make([]opts.LineData, len(items))
	for i, it := range items {
		cats[i] = it.Category
		bars[i] = opts.BarData{Value: it.Value}
		cum[i] = opts.LineData{Value: math.Round(it.Cumulative*1e6) / 1e4} // percent, 4 decimals
	}
	c := charts.NewBar()
	c.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Right: "0"}),
		charts.WithGridOpts(opts.Grid{Top: "40", Bottom: "8", Left: "8", Right: "8", ContainLabel: opts.Bool(true)}),
	)
	c.AddSeries("Value", bars)
	line := charts.NewLine()
	line.AddSeries("Cumulative %", cum)
	c.Overlap(line)

	label := describe("Pareto chart", p.Title, p.Description, fmt.Sprintf("%d categories, largest first, with the cumulative share", len(items)))
	patch := base(p.Title, label)
	patch["xAxis"] = []any{map[string]any{"type": "category", "data": cats, "axisLabel": map[string]any{"interval": 0, "hideOverlap": true}}}
	patch["yAxis"] = []any{
		map[string]any{"type": "value", "axisLabel": map[string]any{"formatter": formatter(p.Format)}},
		map[string]any{"type": "value", "min": 0, "max": 100, "axisLabel": map[string]any{"formatter": "{value}%"}},
	}
	patch["series"] = []any{
		map[string]any{"tooltip": map[string]any{"valueFormatter": formatter(p.Format)}},
		map[string]any{"yAxisIndex": 1, "smooth": false, "tooltip": map[string]any{"valueFormatter": formatter(NumberFormat{Decimals: 1, Unit: "%"})}},
	}
	return chart(id, label, c, patch)
}
