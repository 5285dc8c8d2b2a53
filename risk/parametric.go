package risk

import (
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"
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

// glPoints is the order of the Gauss–Legendre rule of the Cornish–Fisher ES.
const glPoints = 64

// glRule is a Gauss–Legendre rule on [−1, 1].
type glRule struct{ nodes, weights [glPoints]float64 }

// gaussLegendre returns the 64-point rule from gonum's quad.Legendre,
// computed on first use: 64 cosines per call cost as much as the
// quadrature itself. The value is returned by copy, so nothing can change
// it.
var gaussLegendre = sync.OnceValue(func() (r glRule) {
	quad.Legendre{}.FixedLocations(r.nodes[:], r.weights[:], -1, 1)
	return r
})

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
	if math.IsInf(mean, 0) { // the sum overflowed: average the scaled values
		mean = 0
		for _, v := range pnl {
			mean += v / float64(n)
		}
	}
	// Deviations are scaled by the largest, so that the fourth powers of
	// large P&L do not overflow; skewness and kurtosis do not depend on it.
	scale := 0.0
	for _, v := range pnl {
		scale = max(scale, math.Abs(v-mean))
	}
	if scale == 0 || math.IsInf(scale, 0) {
		scale = 1
	}
	var m2, m3, m4 float64
	for _, v := range pnl {
		d := (v - mean) / scale
		d2 := d * d
		m2 += d2
		m3 += d2 * d
		m4 += d2 * d2
	}
	mo := Moments{N: n, Mean: mean, StdDev: scale * math.Sqrt(m2/float64(n-1))}
	if m2 > 0 {
		pm2 := m2 / float64(n)
		mo.Skewness = (m3 / float64(n)) / math.Pow(pm2, 1.5)
		mo.ExcessKurtosis = (m4/float64(n))/(pm2*pm2) - 3
	}
	if !finite(mo.Mean, mo.StdDev, mo.Skewness, mo.ExcessKurtosis) {
		return Moments{}, overflow("moments")
	}
	return mo, nil
}

// MomentConvention says which moment estimators [CornishFisher] uses.
type MomentConvention int

// The conventions. The zero value is PopulationMoments.
const (
	// PopulationMoments uses the divisor n throughout: σ = √(m2), S =
	// m3/m2^(3/2), K = m4/m2² − 3 with m_k = Σ(x−x̄)^k / n. This is
	// PerformanceAnalytics' "modified VaR" (VaR(method = "modified"), which
	// takes centeredmoment(R, 2) for σ and the "moment" skewness and
	// kurtosis).
	PopulationMoments MomentConvention = iota
	// SampleMoments uses the bias-adjusted estimators throughout: σ with
	// divisor n−1, G1 = S·√(n(n−1))/(n−2) and G2 = ((n+1)K + 6)(n−1) /
	// ((n−2)(n−3)) (Joanes and Gill 1998, type 2; Excel's SKEW and KURT).
	// It needs n ≥ 4.
	SampleMoments
)

// ParametricOptions choose the conventions of [Normal] and [CornishFisher].
type ParametricOptions struct {
	// IncludeMean subtracts the mean P&L from the loss quantile; by default
	// the mean is taken as zero, as in RiskMetrics and Jorion's delta-normal
	// VaR over a day.
	IncludeMean bool
	// Moments is the moment convention of [CornishFisher]; the zero value
	// is PopulationMoments. [Normal] takes σ as given.
	Moments MomentConvention
}

var stdNormal = distuv.UnitNormal

// Normal returns the variance–covariance (delta-normal) VaR and ES at
// confidence c of a P&L with standard deviation sd (and mean, if
// opts.IncludeMean), as positive losses:
//
//	VaR = z·σ − μ        ES = σ·φ(z)/(1−c) − μ        z = Φ⁻¹(c)
//
// At 99%, z = 2.3263 and ES = 2.6652σ; at 97.5%, ES = 2.3378σ. A mean or
// standard deviation that is not finite, a negative standard deviation, a
// confidence outside [0.5, 1) or figures that overflow are errors.
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
	VaR, ES = z*sd-mean, sd*stdNormal.Prob(z)/(1-c)-mean
	if !finite(VaR, ES) {
		return 0, 0, overflow("normal VaR or ES")
	}
	return VaR, ES, nil
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
// computed with a 64-point Gauss–Legendre rule.
//
// # Convention
//
// By default σ, S and K are population moments (divisor n), as
// PerformanceAnalytics computes modified VaR: σ = StdDev·√((n−1)/n) from
// the [Moments], whose StdDev has divisor n−1. opts.Moments =
// [SampleMoments] uses the bias-adjusted sample versions of all three
// instead. Mixing the two (the n−1 deviation with population skewness and
// kurtosis) matches neither and is not offered.
//
// # Domain
//
// The expansion is a quantile only where z_cf increases with z. Its
// derivative is a quadratic in z, a·z² + b·z + d with a = K/8 − S²/6,
// b = S/3 and d = 1 − K/8 + 5S²/36, which is non-negative for every z iff
// a ≥ 0 and b² ≤ 4ad (Maillard 2012, "A user's guide to the Cornish Fisher
// expansion"). Outside that domain — strong skew with too little kurtosis,
// or too much kurtosis — VaR can fall as confidence rises or turn
// negative; CornishFisher returns [ErrOutsideDomain] instead of a number.
// Moments that are not finite, a negative deviation, fewer than two
// observations (four for sample moments) or an impossible kurtosis
// (K < S² − 2) wrap [ErrInput].
func CornishFisher(m Moments, c float64, opts ParametricOptions) (VaR, ES float64, err error) {
	if err := checkConfidence(c); err != nil {
		return 0, 0, err
	}
	if !finite(m.Mean, m.StdDev, m.Skewness, m.ExcessKurtosis) || m.StdDev < 0 {
		return 0, 0, inputf("moments must be finite with a standard deviation not negative (mean %v, deviation %v, skewness %v, excess kurtosis %v)", m.Mean, m.StdDev, m.Skewness, m.ExcessKurtosis)
	}
	if m.N < 2 {
		return 0, 0, inputf("moments of %d observations: need at least 2", m.N)
	}
	// Any distribution has kurtosis ≥ skewness² + 1 (Pearson), so
	// excess kurtosis ≥ S² − 2; a small tolerance for rounding.
	if m.ExcessKurtosis < m.Skewness*m.Skewness-2-1e-9*(1+m.Skewness*m.Skewness) {
		return 0, 0, inputf("excess kurtosis %v below skewness² − 2 = %v: no distribution has these moments", m.ExcessKurtosis, m.Skewness*m.Skewness-2)
	}
	n := float64(m.N)
	sd, s, k := m.StdDev*math.Sqrt((n-1)/n), -m.Skewness, m.ExcessKurtosis // of losses
	switch opts.Moments {
	case PopulationMoments:
	case SampleMoments:
		if m.N < 4 {
			return 0, 0, inputf("sample skewness and kurtosis of %d observations: need at least 4", m.N)
		}
		sd = m.StdDev
		s *= math.Sqrt(n*(n-1)) / (n - 2)
		k = ((n+1)*k + 6) * (n - 1) / ((n - 2) * (n - 3))
	default:
		return 0, 0, inputf("unknown moment convention %d", int(opts.Moments))
	}
	if !cornishFisherMonotone(s, k) {
		return 0, 0, fmt.Errorf("%w: skewness %.4g and excess kurtosis %.4g of the losses", ErrOutsideDomain, s, k)
	}
	mean := m.Mean
	if !opts.IncludeMean {
		mean = 0
	}
	zcf := func(u float64) float64 {
		z := stdNormal.Quantile(u)
		return z + (z*z-1)*s/6 + (z*z*z-3*z)*k/24 - (2*z*z*z-5*z)*s*s/36
	}
	VaR = zcf(c)*sd - mean
	// 64-point Gauss–Legendre on [c, 1] (gonum's quad.Legendre): the
	// integrand grows without bound at 1 as the normal quantile does,
	// slowly enough for the rule to converge; the nodes are inside the
	// interval, so the quantile is never asked for 1.
	rule := gaussLegendre()
	sum := 0.0
	half, mid := (1-c)/2, (1+c)/2
	for i, x := range rule.nodes {
		sum += rule.weights[i] * zcf(mid+half*x)
	}
	ES = sum*half/(1-c)*sd - mean
	if !finite(VaR, ES) {
		return 0, 0, overflow("Cornish–Fisher VaR or ES")
	}
	// Inside the domain the quantile increases, so ES ≥ VaR but for the
	// quadrature's error.
	return VaR, math.Max(ES, VaR), nil
}

// cornishFisherMonotone reports whether z ↦ z_cf(z) is non-decreasing on
// the whole real line for loss skewness s and excess kurtosis k: its
// derivative a·z² + b·z + d has a ≥ 0 and a non-positive discriminant.
func cornishFisherMonotone(s, k float64) bool {
	a := k/8 - s*s/6
	b := s / 3
	d := 1 - k/8 + 5*s*s/36
	const eps = 1e-12
	return a >= -eps && b*b-4*a*d <= eps && d > 0
}
