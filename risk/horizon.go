package risk

import "math"

// ScaleSqrtH scales a one-day VaR or ES to h days by √h: exact only for
// independent, identically and normally distributed daily P&L with zero
// mean (the "square root of time" rule of the Basel 1996 amendment). A
// horizon below one day or a figure that is not finite wraps [ErrInput].
func ScaleSqrtH(oneDay float64, h int) (float64, error) {
	if h < 1 {
		return 0, inputf("horizon %d days: need at least 1", h)
	}
	if !finite(oneDay) {
		return 0, inputf("one-day figure %v", oneDay)
	}
	v := oneDay * math.Sqrt(float64(h))
	if !finite(v) {
		return 0, overflow("the scaled figure")
	}
	return v, nil
}

// Overlapping returns the h-day P&L of every window of h consecutive days
// (n−h+1 overlapping windows): the sum of the daily P&Ls, which is the h-day
// P&L of positions held at constant value (rebalanced daily). Overlapping
// windows are not independent, so quantiles from them have fewer effective
// observations than their count suggests. A P&L that is not finite, a
// horizon outside 1..n or sums that overflow wrap [ErrInput].
func Overlapping(pnl []float64, h int) ([]float64, error) {
	if h < 1 || h > len(pnl) {
		return nil, inputf("horizon %d days for %d observations", h, len(pnl))
	}
	if err := checkFinite("P&L observation", pnl); err != nil {
		return nil, err
	}
	out := make([]float64, len(pnl)-h+1)
	sum := 0.0
	for t, v := range pnl {
		sum += v
		if t >= h {
			sum -= pnl[t-h]
		}
		if t >= h-1 {
			if !finite(sum) {
				return nil, overflow("an h-day sum")
			}
			out[t-h+1] = sum
		}
	}
	return out, nil
}
