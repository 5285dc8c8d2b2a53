package components

import (
	"fmt"
	"math"

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
	label := describe("Bar chart", b.Title, b.Description, fmt.Sprintf("%d series over %d categories", len(b.Series), len(b.Categories)))
	opt := newOption(b.Title, label)
	f := numberFormatter(b.Format)
	opt.Tooltip = tooltip{Show: ptr(true), Trigger: "axis", ValueFormatter: f}
	opt.Legend = &legend{Show: len(b.Series) > 1, Top: "0", Right: "0"}
	opt.Grid = []grid{{Top: "40", Bottom: "8", Left: "8", Right: "16", ContainLabel: true}}
	category := axis{Type: "category", Data: b.Categories, AxisLabel: &labelOpt{Interval: ptr(0), HideOverlap: true}}
	value := axis{Type: "value", AxisLabel: &labelOpt{Formatter: f}}
	if b.Horizontal {
		category.Inverse = true // first category on top, as it reads
		opt.XAxis, opt.YAxis = []axis{value}, []axis{category}
	} else {
		opt.XAxis, opt.YAxis = []axis{category}, []axis{value}
	}
	opt.Series = make([]series, len(b.Series))
	for i, s := range b.Series {
		data := make([]barItem, len(s.Values))
		for j := range s.Values {
			if !math.IsNaN(s.Values[j]) {
				data[j].Value = &s.Values[j]
			}
		}
		opt.Series[i] = series{Type: "bar", Name: s.Name, Data: data, Select: selected()}
		if b.Stacked {
			opt.Series[i].Stack = "total"
		}
	}
	return chart(id, label, &opt)
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
	bars := make([]barItem, len(items))
	cum := make([]barItem, len(items))
	for i, it := range items {
		cats[i] = it.Category
		bars[i].Value = &items[i].Value
		cum[i].Value = ptr(math.Round(it.Cumulative*1e6) / 1e4) // percent, 4 decimals
	}
	label := describe("Pareto chart", p.Title, p.Description, fmt.Sprintf("%d categories, largest first, with the cumulative share", len(items)))
	opt := newOption(p.Title, label)
	f := numberFormatter(p.Format)
	opt.Tooltip = tooltip{Show: ptr(true), Trigger: "axis"}
	opt.Legend = &legend{Show: true, Top: "0", Right: "0"}
	opt.Grid = []grid{{Top: "40", Bottom: "8", Left: "8", Right: "8", ContainLabel: true}}
	opt.XAxis = []axis{{Type: "category", Data: cats, AxisLabel: &labelOpt{Interval: ptr(0), HideOverlap: true}}}
	opt.YAxis = []axis{
		{Type: "value", AxisLabel: &labelOpt{Formatter: f}},
		{Type: "value", Min: ptr(0.0), Max: ptr(100.0), AxisLabel: &labelOpt{Formatter: templateFormatter("{value}%")}},
	}
	opt.Series = []series{
		{Type: "bar", Name: "Value", Data: bars, Tooltip: &tooltip{ValueFormatter: f}},
		{Type: "line", Name: "Cumulative %", Data: cum, YAxisIndex: 1, Smooth: ptr(false),
			Tooltip: &tooltip{ValueFormatter: numberFormatter(NumberFormat{Decimals: 1, Unit: "%"})}},
	}
	return chart(id, label, &opt)
}
