package risk

import (
	"context"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/dashkit/dashkit/internal/tools/riskdata"
)

// syntheticPrices is the shared synthetic market (internal/tools/riskdata), the
// same numbers the pandas baseline reads.
func syntheticPrices(days, n int, seed uint64) (*mat.Dense, []int) {
	data, sectors := riskdata.Prices(days, n, seed)
	return mat.NewDense(days, n, data), sectors
}

// reportCPU reports the process's CPU time per iteration since start (all
// cores), a steadier figure than wall time on a shared machine.
func reportCPU(b *testing.B, start time.Duration) {
	if d := cpuTime() - start; d > 0 && b.N > 0 {
		b.ReportMetric(float64(d.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkScan is a report's two passes over a window of 50,000
// instruments × 252 days: the P&L by day and sector, then the sums of the
// delta-normal split.
func BenchmarkScan(b *testing.B) {
	prices, sectors := syntheticPrices(253, 50_000, 42)
	pos, _ := EqualPositions(50_000, 1e9)
	w, err := NewWindow(context.Background(), prices, MissingError)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		if _, err := scanSource(context.Background(), w, pos, sectors, 11, true, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPnLOnly(b *testing.B) {
	prices, _ := syntheticPrices(253, 50_000, 42)
	pos, _ := EqualPositions(50_000, 1e9)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PortfolioPnL(context.Background(), prices, pos, MissingError); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReport is the full report at 50,000 instruments × 253 days: two
// levels, three horizons, component VaR by instrument and sector, top 20.
func BenchmarkReport(b *testing.B) {
	prices, sectors := syntheticPrices(253, 50_000, 42)
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}
	pos, _ := EqualPositions(50_000, 1e9)
	in := ReportInput{Prices: prices, Positions: pos, Sectors: sectors, SectorNames: names}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := NewReport(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
	b.ReportMetric(float64(len(prices.RawMatrix().Data)*8)/1e6, "price-MB")
}

// BenchmarkHistoricalVaR is the original's computation: historical VaR and
// CVaR at 95% and 99% from prices (P&L pass, then two quantiles).
func BenchmarkHistoricalVaR(b *testing.B) {
	prices, _ := syntheticPrices(253, 50_000, 42)
	pos, _ := EqualPositions(50_000, 1)
	b.ReportAllocs()
	for b.Loop() {
		pnl, err := PortfolioPnL(context.Background(), prices, pos, MissingError)
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range []float64{0.95, 0.99} {
			if _, _, err := Historical(pnl, c, HistoricalOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkHistoricalContributions is the historical split alone at 50,000
// instruments × 252 scenarios: VaR and ES at 95% and 99% by instrument,
// reading the tail days' returns from a window (the part of BenchmarkReport that the
// historical attribution adds).
func BenchmarkHistoricalContributions(b *testing.B) {
	prices, _ := syntheticPrices(253, 50_000, 42)
	pos, _ := EqualPositions(50_000, 1e9)
	w, err := NewWindow(context.Background(), prices, MissingError)
	if err != nil {
		b.Fatal(err)
	}
	pnl, err := w.PnL(context.Background(), nil, pos)
	if err != nil {
		b.Fatal(err)
	}
	levels := []float64{0.95, 0.99}
	b.Run("func", func(b *testing.B) {
		// Through the exported function: the instruments' P&L from a
		// ScenarioFunc, checked against the portfolio's.
		f := scenarioFunc(w, pos)
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		for b.Loop() {
			if _, _, err := HistoricalContributions(pnl, len(pos), f, levels, HistoricalOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("report", func(b *testing.B) {
		// As a report does it: the tail days' rows read in place.
		b.ReportAllocs()
		defer reportCPU(b, cpuTime())
		for b.Loop() {
			if _, _, err := historicalSplits(pnl, pos, w, levels, nil, HistoricalOptions{}, newVec); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// scenarioFunc is the instruments' P&L on a source's days, position ×
// return, as a ScenarioFunc for HistoricalContributions.
func scenarioFunc(src source, positions []float64) ScenarioFunc {
	T, n := src.dims()
	return func(dst []float64, s, from int) error {
		if s < 0 || s >= T || from < 0 || from+len(dst) > n {
			return inputf("scenario %d, instruments %d..%d out of range", s, from, from+len(dst)-1)
		}
		var buf []float64
		if src.buffer() != nil {
			buf = make([]float64, len(dst))
		}
		r := src.span(buf, s, from, len(dst))
		for i := range dst {
			dst[i] = positions[from+i] * r[i]
		}
		return nil
	}
}
