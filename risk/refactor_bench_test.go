package risk

import (
	"context"
	"math/rand/v2"
	"testing"
)

// The three numeric pieces that issue 19 moved onto gonum and the standard
// library, each benchmarked before and after the move (BENCHMARKS.md).

// BenchmarkCornishFisher is one Cornish–Fisher VaR and ES: the 64-point
// Gauss–Legendre quadrature of the tail.
func BenchmarkCornishFisher(b *testing.B) {
	m := Moments{N: 252, StdDev: 1, Skewness: -0.3, ExcessKurtosis: 1.2}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := CornishFisher(m, 0.99, ParametricOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSectorCovariance is SectorMonteCarlo's covariance of 11 sectors
// over 252 days with only two simulations, so the covariance dominates.
func BenchmarkSectorCovariance(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	pnl := make([][]float64, 11)
	for s := range pnl {
		pnl[s] = make([]float64, 252)
		for t := range pnl[s] {
			pnl[s][t] = rng.NormFloat64()
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := SectorMonteCarlo(context.Background(), pnl, 2, 0.99, rand.New(rand.NewPCG(3, 4))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTop is the top 20 of 50,000 components.
func BenchmarkTop(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := Contributions{Total: 1, Component: make([]float64, 50_000), Marginal: make([]float64, 50_000)}
	for i := range c.Component {
		c.Component[i] = rng.NormFloat64()
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Top(20); err != nil {
			b.Fatal(err)
		}
	}
}
