package risk_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

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

// A window of returns built once from prices, then advanced a day at a
// time: each push costs one division per instrument.
func ExampleNewWindow() {
	prices := mat.NewDense(4, 2, []float64{
		100, 50,
		101, 49,
		99, 50,
		100, 51,
	})
	w, err := risk.NewWindow(context.Background(), prices, risk.MissingError)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.Len(), "days of", w.Instruments(), "instruments, ending on days", w.Days())
	// Output: 3 days of 2 instruments, ending on days [1 2 3]
}

// Push drops the oldest day and adds the next; a bad price is refused with
// a *PriceError naming the instrument and the day, and the window stays as
// it was.
func ExampleWindow_Push() {
	prices := mat.NewDense(3, 2, []float64{100, 50, 101, 49, 99, 50})
	w, _ := risk.NewWindow(context.Background(), prices, risk.MissingError)
	if err := w.Push([]float64{100, 51}); err != nil {
		fmt.Println(err)
	}
	fmt.Println(w.Days())
	err := w.Push([]float64{100, 0})
	var pe *risk.PriceError
	fmt.Println(errors.As(err, &pe), pe.Instrument, pe.Day, w.Days())
	// Output:
	// [2 3]
	// true 1 4 [2 3]
}

// The portfolio's P&L on every day of the window.
func ExampleWindow_PnL() {
	prices := mat.NewDense(3, 2, []float64{100, 50, 101, 49, 99, 50})
	w, _ := risk.NewWindow(context.Background(), prices, risk.MissingError)
	pnl, _ := w.PnL(context.Background(), nil, []float64{1000, -500})
	fmt.Printf("%.2f\n", pnl)
	// Output: [20.00 -30.01]
}

// Len and Instruments are the window's T and N: it holds (T + 1) × N × 8
// bytes of returns (a spare row keeps the day the last push dropped).
func ExampleWindow_Len() {
	prices := mat.NewDense(253, 3, nil)
	for d := range 253 {
		for i := range 3 {
			prices.Set(d, i, 100+float64((d*(i+1))%7))
		}
	}
	w, _ := risk.NewWindow(context.Background(), prices, risk.MissingError)
	fmt.Println(w.Len(), w.Instruments(), (w.Len()+1)*w.Instruments()*8, "bytes")
	// Output: 252 3 6072 bytes
}

// Instruments is N, the length of every push and of the positions.
func ExampleWindow_Instruments() {
	prices := mat.NewDense(3, 2, []float64{100, 50, 101, 49, 99, 50})
	w, _ := risk.NewWindow(context.Background(), prices, risk.MissingError)
	fmt.Println(w.Instruments())
	fmt.Println(w.Push([]float64{100}))
	// Output:
	// 2
	// risk: invalid input: 1 prices for 2 instruments
}

// Days numbers the window's days: price rows at first, then one more per
// push, so a report's days and scenarios can be dated.
func ExampleWindow_Days() {
	prices := mat.NewDense(4, 1, []float64{100, math.NaN(), 101, 102})
	w, _ := risk.NewWindow(context.Background(), prices, risk.MissingDropDay)
	fmt.Println(w.Days())
	_ = w.Push([]float64{103})
	fmt.Println(w.Days())
	// Output:
	// [2 3]
	// [3 4]
}

// A live report: the window advances by one day per tick and the report
// reads it; the figures equal NewReport's on the same prices.
func ExampleWindow_Report() {
	days, n := 60, 4
	rng := rand.New(rand.NewPCG(1, 2))
	walk := func(row []float64) { // the next day's prices
		for i := range row {
			row[i] *= math.Exp(0.01 * rng.NormFloat64())
		}
	}
	prices := mat.NewDense(days, n, nil)
	row := []float64{100, 50, 20, 80}
	for d := range days {
		walk(row)
		prices.SetRow(d, row)
	}
	w, _ := risk.NewWindow(context.Background(), prices, risk.MissingError)
	in := risk.ReportInput{Positions: []float64{1e6, 2e6, -5e5, 1e6}, Horizons: []int{1}}
	for range 3 { // three ticks
		walk(row)
		if err := w.Push(row); err != nil {
			fmt.Println(err)
			return
		}
		r, err := w.Report(context.Background(), in)
		if err != nil {
			fmt.Println(err)
			return
		}
		f, _ := r.Figure(0.95, 1)
		fmt.Printf("day %d: 95%% VaR historical %.0f, delta-normal %.0f\n", r.Days[len(r.Days)-1], f.HistoricalVaR, f.NormalVaR)
	}
	// Output:
	// day 60: 95% VaR historical 37259, delta-normal 38487
	// day 61: 95% VaR historical 37259, delta-normal 38284
	// day 62: 95% VaR historical 37259, delta-normal 38316
}

// A desk whose positions change every tick reports into the last
// report, so that the splits' vectors of N are written over instead of
// allocated anew; the last report must not be used after.
func ExampleWindow_ReportInto() {
	days, n := 60, 4
	rng := rand.New(rand.NewPCG(1, 2))
	prices := mat.NewDense(days, n, nil)
	row := []float64{100, 50, 20, 80}
	for d := range days {
		for i := range row {
			row[i] *= math.Exp(0.01 * rng.NormFloat64())
		}
		prices.SetRow(d, row)
	}
	w, _ := risk.NewWindow(context.Background(), prices, risk.MissingError)
	positions := []float64{1e6, 2e6, -5e5, 1e6}
	var last *risk.Report // nil the first time: a new report
	for tick := range 3 {
		positions[0] += 5e5 // the desk trades
		in := risk.ReportInput{Positions: positions, Horizons: []int{1}}
		r, err := w.ReportInto(context.Background(), last, in)
		if err != nil {
			fmt.Println(err)
			return
		}
		last = r
		sp, _ := r.Split(risk.MethodDeltaNormal, risk.MeasureVaR, 0.99)
		fmt.Printf("tick %d: 99%% delta-normal VaR %.0f, instrument 0's share %.2f\n", tick, sp.Total, sp.Component[0]/sp.Total)
	}
	// Output:
	// tick 0: 99% delta-normal VaR 61239, instrument 0's share 0.29
	// tick 1: 99% delta-normal VaR 67852, instrument 0's share 0.43
	// tick 2: 99% delta-normal VaR 75579, instrument 0's share 0.54
}

// A window's life: built once from prices, advanced by a push per day,
// reported on at every tick with the positions of the moment.
func ExampleWindow() {
	prices := mat.NewDense(5, 2, []float64{
		100, 50,
		102, 49,
		99, 51,
		101, 50,
		100, 52,
	})
	w, err := risk.NewWindow(context.Background(), prices, risk.MissingError)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, today := range [][]float64{{98, 53}, {101, 52}} {
		if err := w.Push(today); err != nil {
			fmt.Println(err)
			return
		}
		r, err := w.Report(context.Background(), risk.ReportInput{Positions: []float64{1000, -500}, Horizons: []int{1}, Levels: []float64{0.9}})
		if err != nil {
			fmt.Println(err)
			return
		}
		f, _ := r.Figure(0.9, 1)
		fmt.Printf("days %v: 90%% VaR %.2f\n", r.Days, f.HistoricalVaR)
	}
	// Output:
	// days [2 3 4 5]: 90% VaR 43.84
	// days [3 4 5 6]: 90% VaR 29.82
}

// A tracker keeps a portfolio's P&L and sums on the window, so a report
// after each push costs O(N) updates instead of a pass over the window.
func ExampleWindow_Track() {
	prices := mat.NewDense(5, 2, []float64{
		100, 50,
		102, 49,
		99, 51,
		101, 50,
		100, 52,
	})
	w, _ := risk.NewWindow(context.Background(), prices, risk.MissingError)
	tr, err := w.Track(risk.ReportInput{Positions: []float64{1000, -500}, Horizons: []int{1}, Levels: []float64{0.9}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, today := range [][]float64{{98, 53}, {101, 52}} {
		_ = w.Push(today)
		r, _ := tr.Report(context.Background())
		f, _ := r.Figure(0.9, 1)
		fmt.Printf("days %v: 90%% VaR %.2f\n", r.Days, f.HistoricalVaR)
	}
	// Output:
	// days [2 3 4 5]: 90% VaR 43.84
	// days [3 4 5 6]: 90% VaR 29.82
}

// Report brings the tracker up to the window, then reports; positions that
// do not fit the window are refused when the tracker is made.
func ExampleTracker_Report() {
	prices := mat.NewDense(4, 2, []float64{100, 50, 101, 49, 99, 50, 100, 51})
	w, _ := risk.NewWindow(context.Background(), prices, risk.MissingError)
	_, err := w.Track(risk.ReportInput{Positions: []float64{1000}})
	fmt.Println(err)
	tr, _ := w.Track(risk.ReportInput{Positions: []float64{1000, 1000}, Horizons: []int{1}})
	r, _ := tr.Report(context.Background())
	fmt.Printf("%.2f\n", r.PnL)
	// Output:
	// risk: invalid input: 1 positions for 2 instruments
	// [-10.00 0.61 30.10]
}
