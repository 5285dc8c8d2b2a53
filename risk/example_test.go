package risk_test

import (
	"context"
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
