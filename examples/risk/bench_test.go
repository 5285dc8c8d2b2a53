package main

import (
	"context"
	"testing"

	"github.com/dashkit/dashkit/dashboard"
)

var paramsAll dashboard.Params // no filter: all sectors

// BenchmarkTick is one panel update at full size: the market moves a day,
// then the snapshot every panel reads is computed (the risk report over
// 50,000 instruments × 253 days, the VaR timeline, the backtest and the
// sector matrix), then each panel's component is built from it.
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
	for b.Loop() {
		if err := m.advance(); err != nil {
			b.Fatal(err)
		}
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
}
