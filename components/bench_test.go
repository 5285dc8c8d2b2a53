package components_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/internal/tools/gallery"
)

// BenchmarkRenderChart renders each chart of the gallery, and a line of
// growing size: the cost of building and encoding an ECharts option.
func BenchmarkRenderChart(b *testing.B) {
	for _, it := range gallery.Items() {
		r, err := it.Component.Render("b")
		if err != nil || r.Kind != components.KindChart {
			continue
		}
		b.Run(it.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := it.Component.Render("b"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{1_000, 10_000} {
		times := make([]time.Time, n)
		a, c := make([]float64, n), make([]float64, n)
		for i := range n {
			times[i] = t0.Add(time.Duration(i) * time.Minute)
			a[i] = math.Sin(float64(i) / 50)
			c[i] = math.Cos(float64(i) / 70)
		}
		l := components.Line{Title: "Load", Times: times, Series: []components.Series{{Name: "a", Values: a}, {Name: "c", Values: c}}}
		b.Run(fmt.Sprintf("line-%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var bytes int
			for b.Loop() {
				r, err := l.Render("b")
				if err != nil {
					b.Fatal(err)
				}
				bytes = len(r.Option)
			}
			b.ReportMetric(float64(bytes), "option-bytes")
		})
	}
}
