package risk_test

import (
	"context"
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/dashkit/dashkit/risk"
)

// Historical VaR and ES of a P&L series at 99%.
func ExampleHistorical() {
	pnl := []float64{-120, 40, -35, 80, -260, 15, -90, 55, 10, -5}
	VaR, ES, err := risk.Historical(pnl, 0.9, risk.HistoricalOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("VaR %.1f, ES %.1f\n", VaR, ES)
	// Output: VaR 134.0, ES 260.0
}

// Jorion's two-currency portfolio: component VaRs add up to VaR.
func ExampleContributionsFromCovariance() {
	cov := mat.NewSymDense(2, []float64{0.05 * 0.05, 0, 0, 0.12 * 0.12})
	c, err := risk.ContributionsFromCovariance(cov, []float64{2e6, 1e6}, 0.95)
	if err != nil {
		panic(err)
	}
	fmt.Printf("VaR %.0f = %.0f + %.0f\n", c.Total, c.Component[0], c.Component[1])
	// Output: VaR 256934 = 105301 + 151633
}

// A report from prices and positions: three days of two instruments.
func ExampleNewReport() {
	prices := mat.NewDense(4, 2, []float64{
		100, 50,
		101, 49,
		99, 50,
		100, 51,
	})
	r, err := risk.NewReport(context.Background(), risk.ReportInput{
		Prices:      prices,
		Positions:   []float64{1000, 2000},
		Sectors:     []int{0, 1},
		SectorNames: []string{"Equity", "Credit"},
		Levels:      []float64{0.95},
		Horizons:    []int{1},
	})
	if err != nil {
		panic(err)
	}
	f, _ := r.Figure(0.95, 1)
	fmt.Printf("P&L %.2f; historical VaR %.2f; top contributor %d\n", r.PnL, f.HistoricalVaR, r.Top[0].Instrument)
	// Output: P&L [-30.00 21.01 50.10]; historical VaR 24.90; top contributor 1
}

// Historical component VaR and ES: each instrument's share of the
// portfolio's historical figures, which the components add up to. Here
// three instruments over ten days, with each instrument's daily P&L held
// in a matrix (a rolling window would serve it from its own store).
func ExampleHistoricalContributions() {
	byDay := [][]float64{ // [day][instrument]
		{-50, 10, -20}, {5, -3, 2}, {12, 4, -1}, {-8, -30, 6}, {3, 2, 1},
		{-20, -5, -15}, {7, 1, 0}, {2, -2, 3}, {-1, 6, -4}, {9, 3, 2},
	}
	pnl := make([]float64, len(byDay))
	for t, row := range byDay {
		for _, v := range row {
			pnl[t] += v
		}
	}
	scenario := func(dst []float64, day, from int) error {
		copy(dst, byDay[day][from:from+len(dst)])
		return nil
	}
	VaR, ES, err := risk.HistoricalContributions(pnl, 3, scenario, []float64{0.8}, risk.HistoricalOptions{Quantile: risk.Type1})
	if err != nil {
		panic(err)
	}
	for _, c := range []risk.Contributions{VaR[0], ES[0]} {
		fmt.Printf("%s: %.1f = %.1f + %.1f + %.1f\n", c.Label(), c.Total, c.Component[0], c.Component[1], c.Component[2])
	}
	// Output:
	// component VaR 80%, historical: 40.0 = 20.0 + 5.0 + 15.0
	// component ES 80%, historical: 50.0 = 35.0 + -2.5 + 17.5
}

// A confidence below one half is an error, since it is most often a tail
// probability passed by mistake; FromTail says so explicitly.
func ExampleFromTail() {
	pnl := []float64{-120, 40, -35, 80, -260, 15, -90, 55, 10, -5}
	_, _, err := risk.Historical(pnl, 0.1, risk.HistoricalOptions{})
	fmt.Println(errors.Is(err, risk.ErrInput))
	c, _ := risk.FromTail(0.1)
	VaR, _, _ := risk.Historical(pnl, c, risk.HistoricalOptions{})
	fmt.Printf("VaR at %.0f%%: %.1f\n", 100*c, VaR)
	// Output:
	// true
	// VaR at 90%: 134.0
}

// Cornish–Fisher VaR outside the expansion's domain is an error, not a
// number: with a strong right skew of the P&L and too little kurtosis the
// expansion is not monotone.
func ExampleCornishFisher() {
	m := risk.Moments{N: 252, StdDev: 40_000, Skewness: 3.6, ExcessKurtosis: 21.6}
	_, _, err := risk.CornishFisher(m, 0.95, risk.ParametricOptions{})
	fmt.Println(errors.Is(err, risk.ErrOutsideDomain))
	m = risk.Moments{N: 252, StdDev: 40_000, Skewness: -0.5, ExcessKurtosis: 3}
	VaR, _, err := risk.CornishFisher(m, 0.99, risk.ParametricOptions{})
	fmt.Printf("%.0f %v\n", VaR, err)
	// Output:
	// true
	// 131789 <nil>
}

// The Basel traffic light for 250 days of a 99% VaR, and the error for an
// exception probability outside (0, 1).
func ExampleTrafficLight() {
	zone, err := risk.TrafficLight(250, 6, 0.01)
	fmt.Println(zone, err)
	_, err = risk.TrafficLight(250, 6, 1.5)
	fmt.Println(errors.Is(err, risk.ErrInput))
	// Output:
	// yellow <nil>
	// true
}

// The report splits its one-day figures at every level; the historical ES
// split adds up to the historical ES of the figures. With five days at 80%
// the ES is the worst day's loss (day 2: 10.20 gained on the first
// instrument, 78.43 and 7.32 lost on the others), and so are its components.
func ExampleReport_Split() {
	prices := mat.NewDense(6, 3, []float64{
		100, 50, 20,
		98, 51, 20.5,
		99, 49, 20.2,
		97, 50, 19.8,
		99, 52, 20.1,
		100, 51, 19.9,
	})
	r, err := risk.NewReport(context.Background(), risk.ReportInput{
		Prices:    prices,
		Positions: []float64{1000, 2000, 500},
		Levels:    []float64{0.8},
		Horizons:  []int{1},
	})
	if err != nil {
		panic(err)
	}
	f, _ := r.Figure(0.8, 1)
	s, _ := r.Split(risk.MethodHistorical, risk.MeasureES, 0.8)
	fmt.Printf("%s: %.2f = %.2f + %.2f + %.2f (ES %.2f)\n", s.Label(), s.Total, s.Component[0], s.Component[1], s.Component[2], f.HistoricalES)
	fmt.Println("top contributor:", s.Top[0].Instrument)
	// Output:
	// component ES 80%, historical: 75.54 = -10.20 + 78.43 + 7.32 (ES 75.54)
	// top contributor: 1
}

func ExampleRiskTypes() {
	types := risk.RiskTypes()
	types[0] = "changed" // a fresh slice: nobody else sees this
	fmt.Println(risk.RiskTypes())
	// Output: [Market Liquidity Credit Operational]
}
