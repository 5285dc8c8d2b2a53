package risk

import (
	"context"
	"testing"
)

// BenchmarkReportParts times the parts of BenchmarkWindow's "report" one
// by one, each on its own: the scan, the figures, the historical splits,
// the delta-normal splits, top-N and the sector sums of the six splits,
// and the stress test.
func BenchmarkReportParts(b *testing.B) {
	const T, n = 252, 50_000
	w, pos, sectors := benchWindow(b, T, n)
	ctx := context.Background()
	in := ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11), SkipSectorPnL: true,
		Scenarios: []Scenario{{Name: "market -20%", All: -0.2, BySector: map[int]float64{3: -0.35}}}}
	set, err := w.checkInput(in)
	if err != nil {
		b.Fatal(err)
	}
	s, err := w.scan(ctx, pos, nil, 0, true, false)
	if err != nil {
		b.Fatal(err)
	}
	r, err := w.Report(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b, cpuTime())
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("check", func() error { _, err := w.checkInput(in); return err })
	run("scan", func() error {
		s, err := w.scan(ctx, pos, nil, 0, true, false)
		putVec(s.sumR)
		putVec(s.cross)
		return err
	})
	run("figures", func() error { _, err := figures(s.pnl, set, in.Historical); return err })
	run("historical", func() error {
		_, _, err := historicalSplits(s.pnl, pos, w, set.levels, [][2]bool{{true, true}, {true, true}}, in.Historical, newVec)
		return err
	})
	run("normal", func() error {
		np, err := newNormalParts(s)
		if err != nil {
			return err
		}
		for _, c := range set.levels {
			if _, err := np.split(pos, c, newVec); err != nil {
				return err
			}
		}
		return nil
	})
	run("top+sectors", func() error {
		for _, sp := range r.Splits {
			if _, err := sp.Contributions.Top(set.topN); err != nil {
				return err
			}
			if _, err := sp.sectorSums(sectors, 11); err != nil {
				return err
			}
		}
		return nil
	})
	run("top", func() error {
		for _, sp := range r.Splits {
			if _, err := sp.Contributions.Top(set.topN); err != nil {
				return err
			}
		}
		return nil
	})
	run("sectors", func() error {
		for _, sp := range r.Splits {
			if _, err := sp.sectorSums(sectors, 11); err != nil {
				return err
			}
		}
		return nil
	})
	run("stress", func() error { _, err := Stress(in.Scenarios[0], pos, sectors, 11); return err })
	run("report", func() error { _, err := w.Report(ctx, in); return err })
}
