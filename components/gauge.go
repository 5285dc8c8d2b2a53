package components

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
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
	good, bad := "#1e7b3a", "#b3261e"
	bands := []any{[]any{1, "#5470c6"}}
	detail := fmt.Sprintf("%s on a scale from %s to %s", g.Format.Format(g.Value), g.Format.Format(lo), g.Format.Format(hi))
	if t := g.Target; t != nil {
		if math.IsNaN(*t) || *t < lo || *t > hi {
			return Rendered{}, invalid(name, "%q: target %v outside [%v, %v]", g.Title, *t, lo, hi)
		}
		below, above := bad, good
		if g.LowerIsBetter {
			below, above = good, bad
		}
		bands = []any{[]any{(*t - lo) / (hi - lo), below}, []any{1, above}}
		detail += ", target " + g.Format.Format(*t)
	}
	c := charts.NewGauge()
	c.AddSeries(g.Title, []opts.GaugeData{{Name: g.Title, Value: g.Value}})
	label := describe("Gauge", g.Title, g.Description, detail)
	patch := base(g.Title, label)
	patch["series"] = []any{map[string]any{
		"min": lo, "max": hi,
		"progress":    map[string]any{"show": false},
		"axisLine":    map[string]any{"lineStyle": map[string]any{"width": 14, "color": bands}},
		"splitNumber": 4,
		"axisTick":    map[string]any{"show": false},
		"splitLine":   map[string]any{"length": 8, "distance": 2},
		"axisLabel":   map[string]any{"formatter": formatter(g.Format), "distance": 20, "fontSize": 10},
		"detail":      map[string]any{"formatter": formatter(g.Format), "fontSize": 22, "offsetCenter": []any{0, "60%"}},
		"title":       map[string]any{"show": false},
		"pointer":     map[string]any{"width": 5},
	}}
	patch["tooltip"] = map[string]any{"show": false}
	return chart(id, label, c, patch)
}
