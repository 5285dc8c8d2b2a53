package risk

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Zone is a Basel backtesting traffic-light zone.
type Zone string

// The zones (Basel Committee, "Supervisory framework for the use of
// backtesting in conjunction with the internal models approach", 1996).
const (
	Green  Zone = "green"
	Yellow Zone = "yellow"
	Red    Zone = "red"
)

// Backtest is the result of comparing realised losses with VaR forecasts.
type Backtest struct {
	Observations int
	Exceptions   int
	// ExceptionDays are the indices where the loss exceeded the VaR.
	ExceptionDays []int
	// Expected is the exception probability, 1 − confidence.
	Expected float64
	// LR is Kupiec's proportion-of-failures likelihood ratio and PValue its
	// p-value under χ²(1).
	LR, PValue float64
	Zone       Zone
}

// BacktestVaR counts the days on which the loss (−pnl) exceeded that day's
// VaR forecast (a positive loss), and tests the count with Kupiec's POF test
// and the Basel traffic light, at VaR confidence c.
func BacktestVaR(pnl, forecasts []float64, c float64) (Backtest, error) {
	if err := checkConfidence(c); err != nil {
		return Backtest{}, err
	}
	if len(pnl) != len(forecasts) || len(pnl) == 0 {
		return Backtest{}, inputf("%d P&L observations for %d forecasts", len(pnl), len(forecasts))
	}
	b := Backtest{Observations: len(pnl), Expected: 1 - c}
	for t, v := range pnl {
		f := forecasts[t]
		if math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(f) || math.IsInf(f, 0) {
			return Backtest{}, inputf("day %d: P&L %v, forecast %v", t, v, f)
		}
		if -v > f {
			b.Exceptions++
			b.ExceptionDays = append(b.ExceptionDays, t)
		}
	}
	var err error
	if b.LR, b.PValue, err = Kupiec(b.Observations, b.Exceptions, b.Expected); err != nil {
		return Backtest{}, err
	}
	if b.Zone, err = TrafficLight(b.Observations, b.Exceptions, b.Expected); err != nil {
		return Backtest{}, err
	}
	return b, nil
}

// checkCount validates x exceptions in n observations at exception
// probability p.
func checkCount(n, x int, p float64) error {
	switch {
	case n <= 0:
		return inputf("%d observations: need at least one", n)
	case x < 0 || x > n:
		return inputf("%d exceptions outside 0..%d", x, n)
	case !(p > 0 && p < 1):
		return inputf("exception probability %v outside (0, 1)", p)
	}
	return nil
}

// Kupiec returns the proportion-of-failures likelihood ratio (Kupiec 1995)
// for x exceptions in n observations when the model says each day fails
// with probability p (a tail probability: 0.01 for a 99% VaR):
//
//	LR = −2·ln[(1−p)^(n−x)·p^x] + 2·ln[(1−x/n)^(n−x)·(x/n)^x]
//
// with 0·ln 0 = 0, so zero or n exceptions give a finite LR, and its p-value
// under χ²(1). n ≤ 0, x outside 0..n or p outside (0, 1) wrap [ErrInput].
func Kupiec(n, x int, p float64) (lr, pValue float64, err error) {
	if err := checkCount(n, x, p); err != nil {
		return 0, 0, err
	}
	xlogy := func(x, y float64) float64 {
		if x == 0 {
			return 0
		}
		return x * math.Log(y)
	}
	fn, fx := float64(n), float64(x)
	phat := fx / fn
	null := xlogy(fn-fx, 1-p) + xlogy(fx, p)
	alt := xlogy(fn-fx, 1-phat) + xlogy(fx, phat)
	lr = max(-2*(null-alt), 0) // ≥ 0 in theory; rounding can dip below
	return lr, distuv.ChiSquared{K: 1}.Survival(lr), nil
}

// TrafficLight is the Basel zone for x exceptions in n observations at
// exception probability p (a tail probability: 0.01 for a 99% VaR): green
// while the cumulative binomial probability P(X ≤ x) is below 95%, yellow
// below 99.99%, red beyond. For 250 days at 99% this gives the familiar
// green 0–4, yellow 5–9, red 10 or more. n ≤ 0, x outside 0..n or p
// outside (0, 1) wrap [ErrInput].
func TrafficLight(n, x int, p float64) (Zone, error) {
	if err := checkCount(n, x, p); err != nil {
		return "", err
	}
	cdf := distuv.Binomial{N: float64(n), P: p}.CDF(float64(x))
	switch {
	case cdf < 0.95:
		return Green, nil
	case cdf < 0.9999:
		return Yellow, nil
	}
	return Red, nil
}
