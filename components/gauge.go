package components

import (
	"fmt"
	"math"
)

// Gauge shows one KPI on a dial against a target, such as OEE against 85%.
type Gauge struct {
	Title       string
	Description string // read by screen readers; empty generates one
	Value       float64
	// Min and Max bound the dial; both zero means 0 to 1 (a fraction).
	Min, Max float64
	// Target, when not nil, splits the dial: the side that meets it is
	// green, the other red.
	Target *float64
	// LowerIsBetter says the target is met below it (scrap, downtime).
	LowerIsBetter bool
	// Format writes the value and the dial's labels.
	Format NumberFormat
}

// Render implements [Component]. A value outside [Min, Max] is drawn at the
// end of the dial and written as it is.
func (g Gauge) Render(id string) (Rendered, error) {
	const name = "Gauge"
	if err := checkID(name, id); err != nil {
		return Rendered{}, err
	}
	lo, hi := g.Min, g.Max
	if lo == 0 && hi == 0 {
		hi = 1
	}
	for _, v := range []float64{g.Value, lo, hi} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Rendered{}, invalid(name, "%q: value or bound is %v", g.Title, v)
		}
	}
	if lo >= hi {
		return Rendered{}, invalid(name, "%q: Min %v is not below Max %v", g.Title, lo, hi)
	}
	good, bad := colorGood, colorBad
	bands := [][2]any{{1, palette()[0]}}
	detail := fmt.Sprintf("%s on a scale from %s to %s", g.Format.Format(g.Value), g.Format.Format(lo), g.Format.Format(hi))
	if t := g.Target; t != nil {
		if math.IsNaN(*t) || *t < lo || *t > hi {
			return Rendered{}, invalid(name, "%q: target %v outside [%v, %v]", g.Title, *t, lo, hi)
		}
		below, above := bad, good
		if g.LowerIsBetter {
			below, above = good, bad
		}
		bands = [][2]any{{(*t - lo) / (hi - lo), below}, {1, above}}
		detail += ", target " + g.Format.Format(*t)
	}
	label := describe("Gauge", g.Title, g.Description, detail)
	opt := newOption(g.Title, label)
	f := numberFormatter(g.Format)
	opt.Series = []series{{
		Type: "gauge", Name: g.Title,
		Data: []gaugeItem{{Name: g.Title, Value: g.Value}},
		Min:  &lo, Max: &hi,
		Progress:    &shown{Show: false},
		AxisLine:    &axisLine{LineStyle: lineStyle{Width: 14, Color: bands}},
		SplitNumber: 4,
		AxisTick:    &shown{Show: false},
		SplitLine:   &splitLine{Length: 8, Distance: 2},
		AxisLabel:   &labelOpt{Formatter: f, Distance: 20, FontSize: 10},
		// A flatter dial (200° to -20°) leaves the value room under
		// the ends of the scale: the value never touches their labels.
		// The dial's lower part is empty: it sits lower and larger.
		StartAngle: ptr(200), EndAngle: ptr(-20), Center: []string{"50%", "58%"}, Radius: "86%",
		Detail:  &gaugeDetail{Formatter: f, FontSize: 22, OffsetCenter: [2]any{0, "72%"}},
		Title:   &shown{Show: false},
		Pointer: &pointer{Width: 5},
	}}
	opt.Tooltip = tooltip{Show: ptr(false)}
	return chartClass(id, label, "dk-chart-gauge", &opt)
}
