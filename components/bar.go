package components

import (
	"cmp"
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
	ext, err := checked("Bar", id, b.check)
	if err != nil {
		return Rendered{}, err
	}
	label := describe("Bar chart", b.Title, b.Description, fmt.Sprintf("%d series over %d categories", len(b.Series), len(b.Categories)))
	opt := newOption(b.Title, label)
	f := numberFormatter(b.Format)
	opt.Tooltip = tooltip{Show: ptr(true), Trigger: "axis", ValueFormatter: f}
	opt.frame(len(b.Series) > 1, 8)
	category := axis{Type: "category", Data: b.Categories, AxisLabel: &labelOpt{Interval: ptr(0), HideOverlap: true}}
	value := valueAxis(ext[0], ext[1], b.Format)
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

// check validates the bar chart and returns the value axis' extent, zero
// included.
func (b Bar) check() ([2]float64, error) {
	const name = "Bar"
	if len(b.Categories) == 0 || len(b.Series) == 0 {
		return [2]float64{}, invalid(name, "%q: needs categories and series (have %d and %d)", b.Title, len(b.Categories), len(b.Series))
	}
	for _, s := range b.Series {
		if len(s.Values) != len(b.Categories) {
			return [2]float64{}, invalid(name, "%q: series %q has %d values for %d categories", b.Title, s.Name, len(s.Values), len(b.Categories))
		}
		for i, v := range s.Values {
			if math.IsInf(v, 0) {
				return [2]float64{}, invalid(name, "%q: series %q, category %q is %v", b.Title, s.Name, b.Categories[i], v)
			}
		}
	}
	lo, hi := withZero(b.extent())
	return [2]float64{lo, hi}, nil
}

// extent is the span the bars reach: each value, or with Stacked each
// category's sums of positive and of negative values.
func (b Bar) extent() (lo, hi float64) {
	if !b.Stacked {
		all := make([][]float64, len(b.Series))
		for i, s := range b.Series {
			all[i] = s.Values
		}
		return extent(all...)
	}
	pos, neg := make([]float64, len(b.Categories)), make([]float64, len(b.Categories))
	for _, s := range b.Series {
		for i, v := range s.Values {
			switch {
			case v > 0:
				pos[i] += v
			case v < 0:
				neg[i] += v
			}
		}
	}
	return extent(pos, neg)
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
	// SeriesName names the bars in the legend and the tooltip, such as
	// "Downtime"; empty is "Value".
	SeriesName string
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
	items, err := checked("Pareto", id, p.Items)
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
	opt.frame(true, 8)
	opt.XAxis = []axis{{Type: "category", Data: cats, AxisLabel: &labelOpt{Interval: ptr(0), HideOverlap: true}}}
	// Both axes have five intervals, so their ticks share grid lines.
	first, last, step := niceScale(0, items[0].Value, 5)
	if n := math.Round((last - first) / step); n != 5 {
		last = first + 5*step
	}
	value := axis{Type: "value", Min: ptr(first), Max: ptr(last), Interval: ptr(step), AxisLabel: &labelOpt{Formatter: tickFormatter(p.Format)}}
	opt.YAxis = []axis{
		value,
		{Type: "value", Min: ptr(0.0), Max: ptr(100.0), Interval: ptr(20.0), AxisLabel: &labelOpt{Formatter: templateFormatter("{value}%")}},
	}
	opt.Series = []series{
		{Type: "bar", Name: cmp.Or(p.SeriesName, "Value"), Data: bars, Tooltip: &tooltip{ValueFormatter: f}},
		{Type: "line", Name: "Cumulative %", Data: cum, YAxisIndex: 1, Smooth: ptr(false),
			Tooltip: &tooltip{ValueFormatter: numberFormatter(NumberFormat{Decimals: 1, Unit: "%"})}},
	}
	return chart(id, label, &opt)
}
