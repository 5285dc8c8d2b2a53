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
// of the eight panels' components is built from it. advance-ms/op is the
// market's move alone (drawing 50,000 prices and the push).
//
// "cold" times the first ticks of a new market: the heap is still growing
// to its working size, so every page the ticks allocate is fresh, and a
// first touch costs a page fault (about 15 µs on this VM: 600 faults make
// a tick 3× slower). "steady" times ticks after 200 untimed ones, when the
// garbage collector has cycled and the heap's pages are reused: the state
// of a server that has run for a while.
func BenchmarkTick(b *testing.B) {
	b.Run("cold", func(b *testing.B) { benchTick(b, 0) })
	b.Run("steady", func(b *testing.B) { benchTick(b, 200) })
}

// benchTick times ticks after warm untimed ones.
func benchTick(b *testing.B, warm int) {
	m := newMarket(50_000, 253, 42)
	d, err := newDashboard(m, dashboard.Options{Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close(context.Background())
	s, _ := m.current(context.Background())
	ap := &app{m: m, limit: 1.25 * s.report.Figures[0].HistoricalVaR}
	ctx := context.Background()
	panels := []func() error{
		func() error { _, err := ap.varCard(ctx, paramsAll); return err },
		func() error { _, err := ap.esCard(ctx, paramsAll); return err },
		func() error { _, err := ap.valueCard(ctx, paramsAll); return err },
		func() error { _, err := ap.backtestCard(ctx, paramsAll); return err },
		func() error { _, err := ap.heatmap(ctx, paramsAll); return err },
		func() error { _, err := ap.timeline(ctx, paramsAll); return err },
		func() error { _, err := ap.top(ctx, paramsAll); return err },
		func() error { _, err := ap.stress(ctx, paramsAll); return err },
	}
	tick := func() time.Duration {
		t0 := time.Now()
		if err := m.advance(); err != nil {
			b.Fatal(err)
		}
		moved := time.Since(t0)
		if _, err := m.current(ctx); err != nil {
			b.Fatal(err)
		}
		for _, f := range panels {
			if err := f(); err != nil {
				b.Fatal(err)
			}
		}
		return moved
	}
	for range warm {
		tick()
	}
	b.ReportAllocs()
	var moving time.Duration
	cpu := cpuTime()
	for b.Loop() {
		moving += tick()
	}
	b.ReportMetric(float64(moving.Microseconds())/1e3/float64(b.N), "advance-ms/op")
	if d := cpuTime() - cpu; d > 0 {
		b.ReportMetric(float64(d.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
	}
}
