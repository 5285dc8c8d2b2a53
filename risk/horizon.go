package risk

import "math"

// ScaleSqrtH scales a one-day VaR or ES to h days by √h: exact only for
// independent, identically and normally distributed daily P&L with zero
// mean (the "square root of time" rule of the Basel 1996 amendment).
func ScaleSqrtH(oneDay float64, h int) float64 { return oneDay * math.Sqrt(float64(h)) }

// Overlapping returns the h-day P&L of every window of h consecutive days
// (n−h+1 overlapping windows): the sum of the daily P&Ls, which is the h-day
// P&L of positions held at constant value (rebalanced daily). Overlapping
// windows are not independent, so quantiles from them have fewer effective
// observations than their count suggests.
func Overlapping(pnl []float64, h int) ([]float64, error) {
	if h < 1 || h > len(pnl) {
		return nil, inputf("horizon %d days for %d observations", h, len(pnl))
	}
	out := make([]float64, len(pnl)-h+1)
	sum := 0.0
	for t, v := range pnl {
		sum += v
		if t >= h {
			sum -= pnl[t-h]
		}
		if t >= h-1 {
			out[t-h+1] = sum
		}
	}
	return out, nil
}
