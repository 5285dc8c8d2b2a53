package risk

import (
	"fmt"
	"math"
	"slices"
)

// Quantile selects the sample quantile definition of Hyndman and Fan (1996).
type Quantile int

// The quantile types. The zero value is Type7.
const (
	// Type7 interpolates linearly between order statistics at
	// h = (n-1)·p: the default of numpy.percentile and R's quantile.
	Type7 Quantile = iota
	// Type1 is the empirical inverse CDF of the P&L at 1−c: VaR is the
	// ⌈n(1−c)⌉-th worst P&L — with 500 days at 99%, the fifth worst — as
	// in Hull and in Riskfolio.
	Type1
)

// snap rounds x to the nearest integer when it is within floating-point
// noise of it: 20 × (1 − 0.95) is 1.0000000000000009, and must count as
// exactly one observation.
func snap(x float64) float64 {
	if r := math.Round(x); math.Abs(x-r) < 1e-9*math.Max(1, math.Abs(x)) {
		return r
	}
	return x
}

// lossQuantile is VaR at confidence c from ascending losses: the Type7
// quantile of the losses at c (which is minus the Type7 quantile of the P&L
// at 1−c), or minus the Type1 quantile of the P&L at 1−c.
func lossQuantile(xs []float64, c float64, q Quantile) float64 {
	n := len(xs)
	if q == Type1 {
		k := int(math.Ceil(snap(float64(n) * (1 - c))))
		return xs[n-min(max(k, 1), n)]
	}
	h := snap(float64(n-1) * c)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return xs[n-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

// HistoricalOptions choose the estimators of [Historical].
type HistoricalOptions struct {
	// Quantile is the VaR quantile definition; zero is Type7.
	Quantile Quantile
}

func (o HistoricalOptions) check() error {
	if o.Quantile != Type7 && o.Quantile != Type1 {
		return inputf("unknown quantile type %d", int(o.Quantile))
	}
	return nil
}

// String names the quantile type: "type 7" or "type 1".
func (q Quantile) String() string {
	switch q {
	case Type7:
		return "type 7"
	case Type1:
		return "type 1"
	}
	return fmt.Sprintf("Quantile(%d)", int(q))
}

// Historical returns the historical Value at Risk and Expected Shortfall of
// a P&L sample at confidence c (0.99 for 99%), both as positive losses.
//
// Losses are L = −P&L. VaR is the c-quantile of L (Type7 by default, see
// [Quantile]). ES is the Acerbi–Tasche estimator (Acerbi and Tasche 2002,
// "On the coherence of Expected Shortfall", eq. 4.5): the mean of the
// m = n(1−c) largest losses, the boundary observation weighted by the
// fractional part of m, so
//
//	ES = (L(1) + … + L(⌊m⌋) + (m − ⌊m⌋)·L(⌊m⌋+1)) / m
//
// with L(1) ≥ L(2) ≥ … the losses from the largest. It is coherent, and for
// both quantile types ES ≥ VaR. The alternatives — the mean of losses
// beyond VaR ("CVaR" in the original's code, incoherent in small samples) or
// the mean of the ⌈m⌉ largest losses — differ by at most one observation's
// weight.
//
// pnl needs at least two finite observations; NaN or Inf is an error, and
// so is a confidence below 0.5 (see [FromTail]) or P&L so large that the
// figures overflow.
func Historical(pnl []float64, c float64, opts HistoricalOptions) (VaR, ES float64, err error) {
	if err := checkConfidence(c); err != nil {
		return 0, 0, err
	}
	if err := opts.check(); err != nil {
		return 0, 0, err
	}
	if len(pnl) < 2 {
		return 0, 0, inputf("%d P&L observations: need at least 2", len(pnl))
	}
	losses := make([]float64, len(pnl))
	for i, v := range pnl {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, inputf("P&L observation %d is %v", i, v)
		}
		losses[i] = -v
	}
	slices.Sort(losses)
	return historicalSorted(losses, c, opts.Quantile)
}

// historicalSorted computes VaR and ES from ascending losses.
func historicalSorted(losses []float64, c float64, q Quantile) (VaR, ES float64, err error) {
	n := len(losses)
	VaR = lossQuantile(losses, c, q)
	m := snap(float64(n) * (1 - c))
	if m < 1e-12 {
		// Fewer than one observation in the tail: the largest loss.
		if !finite(VaR) {
			return 0, 0, overflow("VaR")
		}
		return VaR, max(losses[n-1], VaR), nil
	}
	whole := int(math.Floor(m))
	sum := 0.0
	for i := range whole {
		sum += losses[n-1-i]
	}
	if frac := m - float64(whole); frac > 0 {
		sum += frac * losses[n-1-whole]
	}
	ES = sum / m
	if !finite(VaR, ES) {
		return 0, 0, overflow("VaR or ES")
	}
	// ES ≥ VaR holds exactly for both quantile types; rounding in the sum
	// could break it by an ulp.
	return VaR, math.Max(ES, VaR), nil
}

// RollingHistorical is [Historical] over a trailing window: for every day
// t from window to len(pnl)−1, the VaR and ES at each level from the
// window days before it, pnl[t−window : t] — the forecast for day t that
// [BacktestVaR] compares with pnl[t]. VaR[j][t−window] and ES[j][t−window]
// are level j's, equal to Historical's on that window. The window's losses
// are kept sorted as it slides, one removal and one insertion per day
// (moving at most window values), instead of sorting every window.
//
// A window below 2 or not below len(pnl), P&L that is not finite, a
// confidence outside [0.5, 1), an unknown quantile type or figures that
// overflow wrap [ErrInput].
func RollingHistorical(pnl []float64, window int, levels []float64, opts HistoricalOptions) (VaR, ES [][]float64, err error) {
	if err := opts.check(); err != nil {
		return nil, nil, err
	}
	for _, c := range levels {
		if err := checkConfidence(c); err != nil {
			return nil, nil, err
		}
	}
	if window < 2 || window >= len(pnl) {
		return nil, nil, inputf("a window of %d days over %d P&L observations: need 2 ≤ window < observations", window, len(pnl))
	}
	if err := checkFinite("P&L observation", pnl); err != nil {
		return nil, nil, err
	}
	days := len(pnl) - window
	VaR, ES = make([][]float64, len(levels)), make([][]float64, len(levels))
	for j := range levels {
		VaR[j], ES[j] = make([]float64, days), make([]float64, days)
	}
	losses := make([]float64, window, window+1)
	for i, v := range pnl[:window] {
		losses[i] = -v
	}
	slices.Sort(losses)
	for t := window; ; t++ {
		for j, c := range levels {
			if VaR[j][t-window], ES[j][t-window], err = historicalSorted(losses, c, opts.Quantile); err != nil {
				return nil, nil, err
			}
		}
		if t == len(pnl)-1 {
			return VaR, ES, nil
		}
		i, _ := slices.BinarySearch(losses, -pnl[t-window])
		losses = slices.Delete(losses, i, i+1)
		i, _ = slices.BinarySearch(losses, -pnl[t])
		losses = slices.Insert(losses, i, -pnl[t])
	}
}
