package risk

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// MonteCarlo estimates VaR and ES at confidence c by simulating sims
// scenarios of correlated normal daily returns r = L·z, with Σ = L·Lᵀ the
// Cholesky factor of cov and z independent standard normal draws from rng
// (inject a seeded source for reproducible results). For a linear portfolio
// the scenario P&L is xᵀ·L·z = wᵀ·z with w = Lᵀ·x computed once, so each
// scenario costs O(N) after an O(N³) factorisation: fine for a few thousand
// instruments. Above that, use [SectorMonteCarlo]. Figures come from the
// simulated P&L like [Historical] (Type7 VaR, Acerbi–Tasche ES). Positions
// or covariances that are not finite, fewer than 2 or more than 2²⁸
// simulations, a nil rng or a confidence outside [0.5, 1) wrap [ErrInput].
func MonteCarlo(ctx context.Context, cov *mat.SymDense, positions []float64, sims int, c float64, rng *rand.Rand) (VaR, ES float64, err error) {
	if err := checkConfidence(c); err != nil {
		return 0, 0, err
	}
	if cov == nil || cov.SymmetricDim() != len(positions) || len(positions) == 0 {
		return 0, 0, inputf("covariance and %d positions do not match", len(positions))
	}
	if sims < 2 || sims > maxSims || rng == nil {
		return 0, 0, inputf("%d simulations: need 2..%d and a random source", sims, maxSims)
	}
	if err := checkFinite("position", positions); err != nil {
		return 0, 0, err
	}
	for i := range len(positions) {
		for j := i; j < len(positions); j++ {
			if v := cov.At(i, j); !finite(v) {
				return 0, 0, inputf("covariance (%d, %d) is %v", i, j, v)
			}
		}
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(cov); !ok {
		return 0, 0, inputf("the covariance matrix is not positive definite")
	}
	var l mat.TriDense
	chol.LTo(&l)
	w := mat.NewVecDense(len(positions), nil)
	w.MulVec(l.T(), mat.NewVecDense(len(positions), slices.Clone(positions)))
	return simulate(ctx, w.RawVector().Data, sims, c, rng)
}

// SectorMonteCarlo is the factor form for large portfolios: it simulates the
// sectors' daily P&Ls as correlated normals with the sample covariance of
// their history (sectorPnL[s][t], as a [Report] holds) and sums them. It
// assumes the sectors' historical co-movement carries the portfolio's risk.
func SectorMonteCarlo(ctx context.Context, sectorPnL [][]float64, sims int, c float64, rng *rand.Rand) (VaR, ES float64, err error) {
	if err := checkConfidence(c); err != nil {
		return 0, 0, err
	}
	k := len(sectorPnL)
	if k == 0 || len(sectorPnL[0]) < 3 {
		return 0, 0, inputf("need the P&L of at least one sector over at least three days")
	}
	T := len(sectorPnL[0])
	// Days × sectors, as stat.CovarianceMatrix reads its observations.
	data := mat.NewDense(T, k, nil)
	for s, series := range sectorPnL {
		if len(series) != T {
			return 0, 0, inputf("sector %d has %d days, sector 0 has %d", s, len(series), T)
		}
		for t, v := range series {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, inputf("sector %d: P&L %v", s, v)
			}
			data.Set(t, s, v)
		}
	}
	// The sample covariance (divisor T−1), two-pass.
	cov := mat.NewSymDense(k, nil)
	stat.CovarianceMatrix(cov, data, nil)
	for a := range k {
		for b := a; b < k; b++ {
			if !finite(cov.At(a, b)) {
				return 0, 0, overflow("the sectors' covariance")
			}
		}
	}
	ones := make([]float64, k)
	for i := range ones {
		ones[i] = 1
	}
	return MonteCarlo(ctx, cov, ones, sims, c, rng)
}

// maxSims bounds the simulations: 2²⁸ losses take 2 GiB.
const maxSims = 1 << 28

func simulate(ctx context.Context, w []float64, sims int, c float64, rng *rand.Rand) (VaR, ES float64, err error) {
	losses := make([]float64, sims)
	for s := range sims {
		if s%4096 == 0 && ctx.Err() != nil {
			return 0, 0, ctx.Err()
		}
		pnl := 0.0
		for _, wi := range w {
			pnl += wi * rng.NormFloat64()
		}
		losses[s] = -pnl
	}
	slices.Sort(losses)
	return historicalSorted(losses, c, Type7)
}
