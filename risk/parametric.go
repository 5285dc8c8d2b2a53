package risk

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Moments are the sample moments of a P&L series that the parametric
// methods use.
type Moments struct {
	N    int
	Mean float64
	// StdDev uses the n−1 divisor (the unbiased sample variance's root).
	StdDev float64
	// Skewness is the sample skewness m3 / m2^(3/2), with population
	// moments (divisor n), as PerformanceAnalytics' skewness "moment".
	Skewness float64
	// ExcessKurtosis is m4 / m2² − 3, with population moments.
	ExcessKurtosis float64
}

// MomentsOf computes the moments of pnl, which needs at least two finite
// observations that are not all equal for the higher moments to exist.
func MomentsOf(pnl []float64) (Moments, error) {
	n := len(pnl)
	if n < 2 {
		return Moments{}, inputf("%d P&L observations: need at least 2", n)
	}
	mean := 0.0
	for i, v := range pnl {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Moments{}, inputf("P&L observation %d is %v", i, v)
		}
		mean += v
	}
	mean /= float64(n)
	var m2, m3, m4 float64
	for _, v := range pnl {
		d := v - mean
		d2 := d * d
		m2 += d2
		m3 += d2 * d
		m4 += d2 * d2
	}
	mo := Moments{N: n, Mean: mean, StdDev: math.Sqrt(m2 / float64(n-1))}
	if m2 > 0 {
		pm2 := m2 / float64(n)
		mo.Skewness = (m3 / float64(n)) / math.Pow(pm2, 1.5)
		mo.ExcessKurtosis = (m4/float64(n))/(pm2*pm2) - 3
	}
	return mo, nil
}

// ParametricOptions choose the conventions of [Normal] and [CornishFisher].
type ParametricOptions struct {
	// IncludeMean subtracts the mean P&L from the loss quantile; by default
	// the mean is taken as zero, as in RiskMetrics and Jorion's delta-normal
	// VaR over a day.
	IncludeMean bool
}

var stdNormal = distuv.UnitNormal

// Normal returns the variance–covariance (delta-normal) VaR and ES at
// confidence c of a P&L with standard deviation sd (and mean, if
// opts.IncludeMean), as positive losses:
//
//	VaR = z·σ − μ        ES = σ·φ(z)/(1−c) − μ        z = Φ⁻¹(c)
//
// At 99%, z = 2.3263 and ES = 2.6652σ; at 97.5%, ES = 2.3378σ.
func Normal(mean, sd, c float64, opts ParametricOptions) (VaR, ES float64, err error) {
	if err := checkConfidence(c); err != nil {
		return 0, 0, err
	}
	if !(sd >= 0) || math.IsInf(sd, 0) || math.IsNaN(mean) || math.IsInf(mean, 0) {
		return 0, 0, inputf("mean %v and standard deviation %v must be finite, the deviation not negative", mean, sd)
	}
	if !opts.IncludeMean {
		mean = 0
	}
	z := stdNormal.Quantile(c)
	return z*sd - mean, sd*stdNormal.Prob(z)/(1-c) - mean, nil
}

// CornishFisher returns VaR and ES at confidence c under the Cornish–Fisher
// expansion of the loss quantile (Favre and Galeano 2002; "modified VaR" in
// PerformanceAnalytics), from the P&L's moments:
//
//	z_cf = z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36
//
// with z = Φ⁻¹(c), S the skewness and K the excess kurtosis of losses (the
// P&L's skewness with its sign changed). VaR = z_cf·σ − μ. ES is the mean of
// the Cornish–Fisher loss quantiles beyond c, ∫_c^1 VaR_cf(u) du / (1−c),
// computed with a 64-point Gauss–Legendre rule. The expansion is only
// reliable for moderate skewness and kurtosis; where z_cf stops increasing
// in u the result is not a quantile, and ES is then floored at VaR.
func CornishFisher(m Moments, c float64, opts ParametricOptions) (VaR, ES float64, err error) {
	if err := checkConfidence(c); err != nil {
		return 0, 0, err
	}
	if m.N < 2 || math.IsNaN(m.StdDev) || math.IsNaN(m.Skewness) || math.IsNaN(m.ExcessKurtosis) {
		return 0, 0, inputf("moments need at least two observations and finite values")
	}
	mean := m.Mean
	if !opts.IncludeMean {
		mean = 0
	}
	s, k := -m.Skewness, m.ExcessKurtosis // of losses
	zcf := func(u float64) float64 {
		z := stdNormal.Quantile(u)
		return z + (z*z-1)*s/6 + (z*z*z-3*z)*k/24 - (2*z*z*z-5*z)*s*s/36
	}
	VaR = zcf(c)*m.StdDev - mean
	// Gauss–Legendre on [c, 1]: the integrand grows without bound at 1 as
	// the normal quantile does, slowly enough for the rule to converge.
	sum := 0.0
	half, mid := (1-c)/2, (1+c)/2
	for i, x := range glNodes {
		sum += glWeights[i] * zcf(mid+half*x)
	}
	ES = sum*half/(1-c)*m.StdDev - mean
	return VaR, math.Max(ES, VaR), nil
}
