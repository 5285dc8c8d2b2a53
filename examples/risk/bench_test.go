package main

import (
	"context"
	"testing"
	"time"

	"github.com/dashkit/dashkit/dashboard"
)

var paramsAll dashboard.Params // no filter: all sectors

// BenchmarkTick is one tick at full size: the market moves a day (one
// push into the window of 50,000 instruments × 252 days), then the
// snapshot every panel reads is computed (the risk report over the
// window, the VaR timeline, the backtest and the sector matrix), then each
// panel's component is built from it. advance-ms/op is the market's move
// alone (drawing 50,000 prices and the push).
func BenchmarkTick(b *testing.B) {
	m := newMarket(50_000, 253, 42)
	d, err := newDashboard(m, dashboard.Options{Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close(context.Background())
	s, _ := m.current(context.Background())
	ap := &app{m: m, limit: 1.25 * s.report.Figures[0].HistoricalVaR}
	ctx := context.Background()
	b.ReportAllocs()
	var moving time.Duration
	cpu := cpuTime()
	for b.Loop() {
		t0 := time.Now()
		if err := m.advance(); err != nil {
			b.Fatal(err)
		}
		moving += time.Since(t0)
		if _, err := m.current(ctx); err != nil {
			b.Fatal(err)
		}
		for _, f := range []func() error{
			func() error { _, err := ap.varCard(ctx, paramsAll); return err },
			func() error { _, err := ap.heatmap(ctx, paramsAll); return err },
			func() error { _, err := ap.timeline(ctx, paramsAll); return err },
			func() error { _, err := ap.top(ctx, paramsAll); return err },
			func() error { _, err := ap.stress(ctx, paramsAll); return err },
		} {
			if err := f(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(moving.Microseconds())/1e3/float64(b.N), "advance-ms/op")
	if d := cpuTime() - cpu; d > 0 {
		b.ReportMetric(float64(d.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
	}
}
