package components

import (
	"fmt"
	"math"
)

// Step is one bar of a [Waterfall]: a change of the running total, or,
// with Total, a total drawn from zero that the running total becomes.
type Step struct {
	Name  string
	Value float64
	Total bool
}

// Waterfall is a waterfall chart: each change floats from the running total
// before it to the total after it (increases up, decreases down, in their
// own colours), and totals stand on zero. Planned production time, its
// losses one by one, and the fully productive time left is one.
type Waterfall struct {
	Title       string
	Description string // read by screen readers; empty generates one
	// Steps are the bars, left to right; the first is usually a Total.
	Steps []Step
	// Format writes the value axis and the tooltip.
	Format NumberFormat
}

// The colours of a waterfall's bars: they keep a 3:1 contrast with the
// panel in both themes.
const (
	waterfallUp    = colorGood
	waterfallDown  = colorBad
	waterfallTotal = "#4a6fd0"
)

// Render implements [Component].
func (w Waterfall) Render(id string) (Rendered, error) {
	l, err := checked("Waterfall", id, w.layout)
	if err != nil {
		return Rendered{}, err
	}
	n := len(l.cats)
	label := describe("Waterfall chart", w.Title, w.Description, fmt.Sprintf("%d steps from %s to %s", n, l.cats[0], l.cats[n-1]))
	opt := newOption(w.Title, label)
	f := numberFormatter(w.Format)
	opt.Tooltip = tooltip{Show: ptr(true), Trigger: "item", ValueFormatter: f}
	opt.frame(true, 8)
	opt.XAxis = []axis{{Type: "category", Data: l.cats, AxisLabel: &labelOpt{Interval: ptr(0), HideOverlap: true}}}
	opt.YAxis = []axis{valueAxis(l.lo, l.hi, w.Format)}
	bars := func(name, color string, values []float64) series {
		return series{Type: "bar", Name: name, Stack: "waterfall", Data: barItems(values), ItemStyle: &fillStyle{Color: color}}
	}
	opt.Series = []series{
		{Type: "bar", Name: "", Stack: "waterfall", Data: barItems(l.base), Silent: true,
			ItemStyle: &fillStyle{Color: "transparent"}, Tooltip: &tooltip{Show: ptr(false)}},
		bars("Total", waterfallTotal, l.total),
		bars("Increase", waterfallUp, l.up),
		bars("Decrease", waterfallDown, l.down),
	}
	if !allNaN(l.upBelow) {
		opt.Series = append(opt.Series, bars("Increase", waterfallUp, l.upBelow))
	}
	if !allNaN(l.downBelow) {
		opt.Series = append(opt.Series, bars("Decrease", waterfallDown, l.downBelow))
	}
	return chart(id, label, &opt)
}

// waterfallLayout is where a waterfall's bars stand, one value per step
// (NaN where a stack has no bar). base is the invisible part under a
// floating bar; up, down and total are the bars, and upBelow, downBelow
// the part of a change that crosses zero below it. lo and hi bound them
// all, zero included.
type waterfallLayout struct {
	cats                                      []string
	base, up, down, total, upBelow, downBelow []float64
	lo, hi                                    float64
}

// layout checks the steps and stacks their bars.
func (w Waterfall) layout() (waterfallLayout, error) {
	const name = "Waterfall"
	if len(w.Steps) == 0 {
		return waterfallLayout{}, invalid(name, "%q: no steps", w.Title)
	}
	n := len(w.Steps)
	l := waterfallLayout{cats: make([]string, n)}
	stacks := []*[]float64{&l.base, &l.up, &l.down, &l.total, &l.upBelow, &l.downBelow}
	for _, p := range stacks {
		*p = make([]float64, n)
		for i := range *p {
			(*p)[i] = math.NaN()
		}
	}
	run := 0.0
	for i, s := range w.Steps {
		if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			return waterfallLayout{}, invalid(name, "%q: step %q is %v", w.Title, s.Name, s.Value)
		}
		l.cats[i] = s.Name
		before, after := run, run+s.Value
		if s.Total {
			before, after = 0, s.Value
		}
		run = after
		a, b := math.Min(before, after), math.Max(before, after)
		l.lo, l.hi = math.Min(l.lo, a), math.Max(l.hi, b)
		bar, below := l.up, l.upBelow
		switch {
		case s.Total:
			bar, below = l.total, l.total
		case s.Value < 0:
			bar, below = l.down, l.downBelow
		}
		switch {
		case a >= 0:
			bar[i] = b - a
			if a > 0 {
				l.base[i] = a
			}
		case b <= 0:
			bar[i] = a - b
			if b < 0 {
				l.base[i] = b
			}
		default:
			bar[i], below[i] = b, a
		}
	}
	return l, nil
}

// barItems are values as bars, a NaN as no bar.
func barItems(values []float64) []barItem {
	data := make([]barItem, len(values))
	for j := range values {
		if !math.IsNaN(values[j]) {
			data[j].Value = &values[j]
		}
	}
	return data
}

func allNaN(values []float64) bool {
	for _, v := range values {
		if !math.IsNaN(v) {
			return false
		}
	}
	return true
}
