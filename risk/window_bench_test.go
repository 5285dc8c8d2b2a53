package risk

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// The window benchmarks of issue 20, meant to run side by side in one
// `go test -bench 'Window'` run: the memory floor (one pass over the
// returns), VaR+ES, the full report and Push at 50,000 instruments ×
// 252 days, the instrument-major layout for comparison, and the cost
// growth over sizes.

// benchWindow is a window of n instruments × T days with equal positions
// worth 1e9 and the synthetic sectors.
func benchWindow(b *testing.B, T, n int) (*Window, []float64, []int) {
	b.Helper()
	prices, sectors := syntheticPrices(T+1, n, 42)
	w, err := NewWindow(context.Background(), prices, MissingError)
	if err != nil {
		b.Fatal(err)
	}
	pos, _ := EqualPositions(n, 1e9)
	return w, pos, sectors
}

// reportBandwidth reports the returns read per op in GB/s.
func reportBandwidth(b *testing.B, bytes int, passes float64) {
	b.ReportMetric(float64(bytes)*passes/1e9/(b.Elapsed().Seconds()/float64(b.N)), "GB/s")
}

// floorPass is the memory floor: one pass over the block on two
// goroutines, summing it with gonum's floats.Sum (SIMD assembly), no
// other work. An earlier floor with eight scalar accumulators was slower
// than the P&L pass by floats.Dot, so it measured additions, not memory.
func floorPass(data []float64) float64 {
	const workers = 2
	var sums [workers]float64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			sums[w] = floats.Sum(data[len(data)*w/workers : len(data)*(w+1)/workers])
		})
	}
	wg.Wait()
	return sums[0] + sums[1]
}

var sink float64

// BenchmarkWindow is the set of issue 20 at 50,000 × 252, in one run.
func BenchmarkWindow(b *testing.B) {
	const T, n = 252, 50_000
	w, pos, sectors := benchWindow(b, T, n)
	ctx := context.Background()
	bytes := len(w.returns) * 8
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		for b.Loop() {
			sink += floorPass(w.returns)
		}
		reportBandwidth(b, bytes, 1)
	})
	b.Run("VaR+ES", func(b *testing.B) {
		// The P&L pass, then historical VaR and ES at 95% and 99%.
		pnl := make([]float64, T)
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		for b.Loop() {
			var err error
			if pnl, err = w.PnL(ctx, pnl, pos); err != nil {
				b.Fatal(err)
			}
			for _, c := range []float64{0.95, 0.99} {
				if _, _, err := Historical(pnl, c, HistoricalOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		}
		reportBandwidth(b, bytes, 1)
	})
	b.Run("report", func(b *testing.B) {
		// The full report for new positions: two levels, three horizons,
		// the delta-normal and historical splits by instrument and sector
		// (the sector matrix's input), top 20, a stress test; no daily
		// P&L per sector (SkipSectorPnL), which only SectorMonteCarlo
		// reads.
		in := ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11), SkipSectorPnL: true,
			Scenarios: []Scenario{{Name: "market -20%", All: -0.2, BySector: map[int]float64{3: -0.35}}}}
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if _, err := w.Report(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
		reportBandwidth(b, bytes, 2)
	})
	b.Run("report-into", func(b *testing.B) {
		// The same report for new positions written over the last one's
		// vectors (Window.ReportInto), as a desk whose positions change
		// every tick would.
		in := ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11), SkipSectorPnL: true,
			Scenarios: []Scenario{{Name: "market -20%", All: -0.2, BySector: map[int]float64{3: -0.35}}}}
		var last *Report
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			var err error
			if last, err = w.ReportInto(ctx, last, in); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
		reportBandwidth(b, bytes, 2)
	})
	b.Run("report+sector-pnl", func(b *testing.B) {
		// The same with each sector's daily P&L.
		in := ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11),
			Scenarios: []Scenario{{Name: "market -20%", All: -0.2, BySector: map[int]float64{3: -0.35}}}}
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if _, err := w.Report(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
	b.Run("push+tracked-report", func(b *testing.B) {
		// A push, then the report of a Tracker (as "report-no-sector-pnl"),
		// which updates its P&L and sums by one day instead of a pass.
		tr, err := w.Track(ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11), SkipSectorPnL: true})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		cpu := cpuTime()
		pushAndReport(b, w, tr)
		reportCPU(b, cpu)
	})
	b.Run("push", func(b *testing.B) {
		// Alternate two days so that every price is valid.
		days := [2][]float64{make([]float64, n), make([]float64, n)}
		for i := range n {
			days[0][i], days[1][i] = 100, 101
		}
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		k := 0
		for b.Loop() {
			if err := w.Push(days[k&1]); err != nil {
				b.Fatal(err)
			}
			k++
		}
	})
}

// BenchmarkWindowLayout compares the day-major ring with an
// instrument-major block (each instrument's T returns adjacent) for the
// two operations that touch every element or every instrument: the P&L
// pass and a push.
func BenchmarkWindowLayout(b *testing.B) {
	const T, n = 252, 50_000
	w, pos, _ := benchWindow(b, T, n)
	ctx := context.Background()
	im := make([]float64, T*n) // instrument-major copy
	for k := range T {
		for i, v := range w.rowAt(k) {
			im[i*T+k] = v
		}
	}
	b.Run("day-major/pnl", func(b *testing.B) {
		defer reportCPU(b, cpuTime())
		pnl := make([]float64, T)
		for b.Loop() {
			var err error
			if pnl, err = w.PnL(ctx, pnl, pos); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("instrument-major/pnl", func(b *testing.B) {
		defer reportCPU(b, cpuTime())
		// Each worker adds position × its instruments' rows into its own
		// P&L vector (T floats, in L1); the vectors are summed at the end.
		pnl := make([]float64, T)
		parts := [2][]float64{make([]float64, T), make([]float64, T)}
		for b.Loop() {
			_ = parallel(n, func(lo, hi int) error {
				p := parts[0]
				if lo > 0 {
					p = parts[1]
				}
				clear(p)
				for i := lo; i < hi; i++ {
					x, r := pos[i], im[i*T:(i+1)*T]
					r = r[:len(p)]
					for k := range p {
						p[k] += x * r[k]
					}
				}
				return nil
			})
			for k := range pnl {
				pnl[k] = parts[0][k] + parts[1][k]
			}
		}
	})
	day := make([]float64, n)
	for i := range day {
		day[i] = 100
	}
	b.Run("day-major/push", func(b *testing.B) {
		defer reportCPU(b, cpuTime())
		for b.Loop() {
			if err := w.Push(day); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("instrument-major/push", func(b *testing.B) {
		defer reportCPU(b, cpuTime())
		// One strided write per instrument into its oldest slot.
		head := 0
		last := make([]float64, n)
		copy(last, day)
		for b.Loop() {
			for i, c := range day {
				im[i*T+head] = c/last[i] - 1
			}
			copy(last, day)
			head = (head + 1) % T
		}
	})
}

// BenchmarkWindowGrowth is the cost of VaR+ES and of the report (for new
// positions, and a push + Tracker report) over windows of 5k to 100k
// instruments and 252 to 1,000 days, beside the floor (one read of the
// window) at each size: the time per element (ns/elem) of the passes
// should stay flat, or step only where the floor's does, and the tracked
// report's time per instrument (ns/instr) should not depend on the days. The largest window,
// 1,000 × 100,000, holds 800 MB.
func BenchmarkWindowGrowth(b *testing.B) {
	ctx := context.Background()
	for _, T := range []int{252, 504, 1000} {
		for _, n := range []int{5_000, 20_000, 50_000, 100_000} {
			w, pos, sectors := benchWindow(b, T, n)
			elems := float64(T * n)
			b.Run(fmt.Sprintf("VaR+ES/T=%d/N=%d", T, n), func(b *testing.B) {
				pnl := make([]float64, T)
				cpu := cpuTime()
				for b.Loop() {
					var err error
					if pnl, err = w.PnL(ctx, pnl, pos); err != nil {
						b.Fatal(err)
					}
					for _, c := range []float64{0.95, 0.99} {
						if _, _, err := Historical(pnl, c, HistoricalOptions{}); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/elems, "ns/elem")
				b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N)/elems, "cpu-ns/elem")
			})
			b.Run(fmt.Sprintf("floor/T=%d/N=%d", T, n), func(b *testing.B) {
				cpu := cpuTime()
				for b.Loop() {
					sink += floorPass(w.returns)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/elems, "ns/elem")
				b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N)/elems, "cpu-ns/elem")
			})
			b.Run(fmt.Sprintf("report/T=%d/N=%d", T, n), func(b *testing.B) {
				in := ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11), SkipSectorPnL: true}
				cpu := cpuTime()
				for b.Loop() {
					if _, err := w.Report(ctx, in); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/elems, "ns/elem")
				b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N)/elems, "cpu-ns/elem")
			})
			b.Run(fmt.Sprintf("tracked/T=%d/N=%d", T, n), func(b *testing.B) {
				tr, err := w.Track(ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11), SkipSectorPnL: true})
				if err != nil {
					b.Fatal(err)
				}
				cpu := cpuTime()
				pushAndReport(b, w, tr)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/instr")
				b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N)/float64(n), "cpu-ns/instr")
			})
			w = nil
		}
	}
}

// BenchmarkWindowPasses compares a window report's scan (per block of
// days the P&L, then the sums over tiles of instruments while the block is
// in cache, [Window.scan]) with the one pass that accumulates the sums
// from each day's row while it is in cache (what a report over prices
// does), with and without each sector's P&L, beside the floor and the P&L
// pass alone; then the scan with blocks of 2 MB to 1 GB per worker (1 GB:
// one block, i.e. two passes over the window) and, in two passes, tiles
// of 512 to 16,384 instruments.
func BenchmarkWindowPasses(b *testing.B) {
	const T, n = 252, 50_000
	w, pos, sectors := benchWindow(b, T, n)
	ctx := context.Background()
	sm := newSectorMap(sectors, 11)
	pnl := make([]float64, T)
	sec := make([][]float64, 11)
	for j := range sec {
		sec[j] = make([]float64, T)
	}
	type row struct {
		name string
		f    func()
	}
	rows := []row{
		{"floor", func() { sink += floorPass(w.returns) }},
		{"pnl", func() { _, _ = w.PnL(ctx, pnl, pos) }},
		{"one-pass", func() { _, _ = pass(ctx, w, pnl, nil, pos, nil, true, false) }},
		{"one-pass+sectors", func() { _, _ = pass(ctx, w, pnl, sec, pos, sm, true, false) }},
		{"scan", func() { _, _ = w.scan(ctx, pos, nil, 0, true, false) }},
		{"scan+sectors", func() { _, _ = w.scan(ctx, pos, sectors, 11, true, false) }},
	}
	st := newSectorTiles(sectors, 11, pos)
	for _, mb := range []int{2, 4, 8, 16, 32, 1 << 10} {
		rows = append(rows, row{fmt.Sprintf("blocks/%dMB", mb), func() { _, _ = w.scanBlocked(ctx, pos, nil, true, false, mb<<20, maxTile) }})
	}
	rows = append(rows, row{"blocks+sectors/4MB", func() { _, _ = w.scanBlocked(ctx, pos, st, true, false, 4<<20, maxTile) }})
	for _, most := range []int{sectorTile, 1024, 4096, maxTile} {
		rows = append(rows, row{fmt.Sprintf("blocks/tile=%d", most), func() { _, _ = w.scanBlocked(ctx, pos, nil, true, false, 1<<30, most) }})
	}
	for _, v := range rows {
		b.Run(v.name, func(b *testing.B) {
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				v.f()
			}
		})
	}
}

// pushAndReport is the benchmark loop of a live desk: each iteration
// pushes a day (alternating two, so that every price stays valid) and
// takes the tracker's report.
func pushAndReport(b *testing.B, w *Window, tr *Tracker) {
	days := [2][]float64{make([]float64, w.n), make([]float64, w.n)}
	for i := range w.n {
		days[0][i], days[1][i] = w.last[i]*1.001, w.last[i]
	}
	k := 0
	for b.Loop() {
		if err := w.Push(days[k&1]); err != nil {
			b.Fatal(err)
		}
		k++
		if _, err := tr.Report(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
