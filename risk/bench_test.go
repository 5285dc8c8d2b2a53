package risk

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// syntheticPrices is a days × n matrix of correlated random walks: a market
// factor, a sector factor per 11 sectors and noise, from a fixed seed.
func syntheticPrices(days, n int, seed uint64) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	const nSectors = 11
	sectors := make([]int, n)
	level := make([]float64, n)
	for i := range n {
		sectors[i] = i % nSectors
		level[i] = 20 + 180*rng.Float64()
	}
	data := make([]float64, days*n)
	copy(data, level)
	sec := make([]float64, nSectors)
	for t := 1; t < days; t++ {
		mkt := 0.01 * rng.NormFloat64()
		for j := range sec {
			sec[j] = 0.007 * rng.NormFloat64()
		}
		prev, cur := data[(t-1)*n:t*n], data[t*n:(t+1)*n]
		for i := range n {
			cur[i] = prev[i] * math.Exp(mkt+sec[sectors[i]]+0.012*rng.NormFloat64())
		}
	}
	return mat.NewDense(days, n, data), sectors
}

func BenchmarkScan(b *testing.B) {
	prices, sectors := syntheticPrices(253, 50_000, 42)
	pos := EqualPositions(50_000, 1e9)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scanPortfolio(context.Background(), prices, pos, MissingError, scanOptions{stats: true, sectors: sectors, nSectors: 11}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPnLOnly(b *testing.B) {
	prices, _ := syntheticPrices(253, 50_000, 42)
	pos := EqualPositions(50_000, 1e9)
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
	in := ReportInput{Prices: prices, Positions: EqualPositions(50_000, 1e9), Sectors: sectors, SectorNames: names}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewReport(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(prices.RawMatrix().Data)*8)/1e6, "price-MB")
}

// BenchmarkHistoricalVaR is the original's computation: historical VaR and
// CVaR at 95% and 99% from prices (P&L pass, then two quantiles).
func BenchmarkHistoricalVaR(b *testing.B) {
	prices, _ := syntheticPrices(253, 50_000, 42)
	pos := EqualPositions(50_000, 1)
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
