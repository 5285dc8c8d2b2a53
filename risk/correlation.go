package risk

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Correlation returns the Pearson correlation matrix of series (one slice
// per variable, equal lengths), such as the sectors' daily P&L of a
// [Report]: the sector-level view of a large portfolio. For up to a few
// thousand instruments, pass the columns of [Returns] instead. A constant
// series has no correlation: it is an error, as are values that are not
// finite or a correlation that overflows.
func Correlation(series [][]float64) (*mat.SymDense, error) {
	k := len(series)
	if k == 0 || len(series[0]) < 3 {
		return nil, inputf("need at least one series of at least three observations")
	}
	T := len(series[0])
	data := mat.NewDense(T, k, nil)
	for j, s := range series {
		if len(s) != T {
			return nil, inputf("series %d has %d observations, series 0 has %d", j, len(s), T)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for t, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, inputf("series %d, observation %d is %v", j, t, v)
			}
			data.Set(t, j, v)
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo == hi {
			return nil, inputf("series %d is constant", j)
		}
	}
	out := mat.NewSymDense(k, nil)
	stat.CorrelationMatrix(out, data, nil)
	for a := range k {
		for b := a; b < k; b++ {
			if !finite(out.At(a, b)) {
				return nil, overflow("the correlation")
			}
		}
	}
	return out, nil
}

// SectorIncremental is each sector's incremental delta-normal VaR: the
// portfolio's VaR minus its VaR without the sector, from the sectors' daily
// P&L (a [Report]'s SectorPnL), at confidence c. P&L that is not finite,
// series of unequal length and a confidence outside [0.5, 1) wrap
// [ErrInput].
func SectorIncremental(sectorPnL [][]float64, c float64) ([]float64, error) {
	if err := checkConfidence(c); err != nil {
		return nil, err
	}
	if len(sectorPnL) == 0 || len(sectorPnL[0]) < 2 {
		return nil, inputf("need the P&L of at least one sector over at least two days")
	}
	T := len(sectorPnL[0])
	total := make([]float64, T)
	for j, s := range sectorPnL {
		if len(s) != T {
			return nil, inputf("sector %d has %d days, sector 0 has %d", j, len(s), T)
		}
		for t, v := range s {
			if !finite(v) {
				return nil, inputf("sector %d, day %d: P&L %v", j, t, v)
			}
			total[t] += v
		}
	}
	z := stdNormal.Quantile(c)
	all := z * stat.StdDev(total, nil)
	out := make([]float64, len(sectorPnL))
	rest := make([]float64, T)
	for j, s := range sectorPnL {
		for t := range rest {
			rest[t] = total[t] - s[t]
		}
		out[j] = all - z*stat.StdDev(rest, nil)
		if !finite(out[j]) {
			return nil, overflow("the incremental VaR")
		}
	}
	return out, nil
}
