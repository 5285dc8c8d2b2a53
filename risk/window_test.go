package risk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/dashkit/dashkit/internal/tools/riskdata"
)

// near requires |a − b| ≤ tol·scale, scale the magnitude the comparison is
// relative to (the figure itself, or a vector's largest entry).
func near(t *testing.T, want, got, scale, tol float64, what string) {
	t.Helper()
	if want == got {
		return
	}
	require.LessOrEqual(t, math.Abs(want-got), tol*math.Abs(scale), "%s: want %v, got %v", what, want, got)
}

func maxAbs(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = max(m, math.Abs(x))
	}
	return m
}

func nearAll(t *testing.T, want, got []float64, tol float64, what string) {
	t.Helper()
	require.Len(t, got, len(want), what)
	scale := maxAbs(want)
	for i := range want {
		near(t, want[i], got[i], scale, tol, fmt.Sprintf("%s[%d]", what, i))
	}
}

// requireSameReport compares two reports field by field, to tol relative.
func requireSameReport(t *testing.T, want, got *Report, tol float64) {
	t.Helper()
	near(t, want.Value, got.Value, want.Value, tol, "Value")
	nearAll(t, want.PnL, got.PnL, tol, "PnL")
	require.Len(t, got.SectorPnL, len(want.SectorPnL))
	for j := range want.SectorPnL {
		nearAll(t, want.SectorPnL[j], got.SectorPnL[j], tol, fmt.Sprintf("SectorPnL[%d]", j))
	}
	require.Len(t, got.Figures, len(want.Figures))
	for k, f := range want.Figures {
		g := got.Figures[k]
		require.Equal(t, f.Confidence, g.Confidence)
		require.Equal(t, f.Horizon, g.Horizon)
		for _, p := range [][3]any{
			{"HistoricalVaR", f.HistoricalVaR, g.HistoricalVaR}, {"HistoricalES", f.HistoricalES, g.HistoricalES},
			{"ScaledVaR", f.ScaledVaR, g.ScaledVaR}, {"ScaledES", f.ScaledES, g.ScaledES},
			{"NormalVaR", f.NormalVaR, g.NormalVaR}, {"NormalES", f.NormalES, g.NormalES},
		} {
			w, v := p[1].(float64), p[2].(float64)
			near(t, w, v, w, tol, fmt.Sprintf("figure %v/%d %s", f.Confidence, f.Horizon, p[0]))
		}
	}
	require.Len(t, got.Splits, len(want.Splits))
	for k, s := range want.Splits {
		g := got.Splits[k]
		what := s.Label()
		require.Equal(t, what, g.Label())
		near(t, s.Total, g.Total, s.Total, tol, what+" Total")
		nearAll(t, s.Component, g.Component, tol, what+" Component")
		nearAll(t, s.Marginal, g.Marginal, tol, what+" Marginal")
		nearAll(t, s.Incremental, g.Incremental, tol, what+" Incremental")
		nearAll(t, s.BySector, g.BySector, tol, what+" BySector")
		require.Equal(t, s.Scenarios, g.Scenarios, what+" Scenarios")
		require.Len(t, g.Top, len(s.Top))
		for i := range s.Top {
			require.Equal(t, s.Top[i].Instrument, g.Top[i].Instrument, what+" Top")
			near(t, s.Top[i].Component, g.Top[i].Component, s.Total, tol, what+" Top component")
		}
	}
	require.Equal(t, want.WorstDay, got.WorstDay)
	near(t, want.WorstDayLoss, got.WorstDayLoss, want.WorstDayLoss, tol, "WorstDayLoss")
	require.Len(t, got.Stress, len(want.Stress))
	for k, s := range want.Stress {
		near(t, s.PnL, got.Stress[k].PnL, s.PnL, tol, "stress "+s.Name)
		nearAll(t, s.BySector, got.Stress[k].BySector, tol, "stress by sector "+s.Name)
	}
}

// A window's report equals the report from prices, for random portfolios,
// when the window is fresh and after 300 pushes (the ring has wrapped
// several times), to 1e-12 relative.
func TestWindowReportEqualsPriceReport(t *testing.T) {
	const T, n, pushes = 60, 37, 300
	ctx := context.Background()
	for seed := range uint64(6) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			prices, pos, sectors := randomPortfolio(seed, T+1+pushes, n)
			in := ReportInput{
				Positions: pos, Sectors: sectors, SectorNames: make([]string, 11),
				Levels: []float64{0.9, 0.95, 0.975, 0.99}, Horizons: []int{1, 5, 10},
				Incremental: seed%2 == 0, Historical: HistoricalOptions{Quantile: Quantile(seed % 3 / 2)},
				Scenarios: []Scenario{{Name: "crash", All: -0.2}, {Name: "sector", BySector: map[int]float64{3: -0.3}}},
			}
			rows := func(from int) *mat.Dense {
				return mat.NewDense(T+1, n, prices.RawMatrix().Data[from*n:(from+T+1)*n])
			}
			w, err := NewWindow(ctx, rows(0), MissingError)
			require.NoError(t, err)
			for k := range pushes + 1 {
				if k > 0 {
					require.NoError(t, w.Push(prices.RawRowView(T+k)))
				}
				if k != 0 && k != 1 && k != T && k != pushes {
					continue
				}
				got, err := w.Report(ctx, in)
				require.NoError(t, err)
				byPrices := in
				byPrices.Prices = rows(k)
				want, err := NewReport(ctx, byPrices)
				require.NoError(t, err)
				requireSameReport(t, want, got, 1e-12)
				days := make([]int, T)
				for d := range days {
					days[d] = k + d + 1
				}
				require.Equal(t, days, got.Days, "after %d pushes", k)

				// The P&L from prices, divided as the pass goes and summed
				// in DotUnitary's order, is the window's (to the last bit
				// on amd64, where floats.Dot is that assembly).
				pnl, err := PortfolioPnL(ctx, rows(k), pos, MissingError)
				require.NoError(t, err)
				nearAll(t, pnl, got.PnL, 1e-15, "PnL")
			}
		})
	}
}

// Push refuses bad prices with the errors NewWindow gives and leaves the
// window unchanged.
func TestWindowPushBadInput(t *testing.T) {
	ctx := context.Background()
	prices := mat.NewDense(4, 2, []float64{1, 2, 1.1, 2.1, 1.2, 2.2, 1.3, 2.3})
	pos := []float64{1, -2}
	for _, tc := range []struct {
		name   string
		prices []float64
		instr  int // −1: not a *PriceError
	}{
		{"missing", []float64{1, math.NaN()}, 1},
		{"zero", []float64{0, 2}, 0},
		{"negative", []float64{1, -2}, 1},
		{"infinite", []float64{math.Inf(1), 2}, 0},
		{"too few", []float64{1}, -1},
		{"too many", []float64{1, 2, 3}, -1},
		{"return overflows", []float64{1e308, 2}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := NewWindow(ctx, prices, MissingError)
			require.NoError(t, err)
			before, err := w.Report(ctx, ReportInput{Positions: pos, Horizons: []int{1}})
			require.NoError(t, err)
			if tc.name == "return overflows" {
				require.NoError(t, w.Push([]float64{1e-300, 2}))
				before, err = w.Report(ctx, ReportInput{Positions: pos, Horizons: []int{1}})
				require.NoError(t, err)
			}
			err = w.Push(tc.prices)
			require.ErrorIs(t, err, ErrInput)
			var pe *PriceError
			require.Equal(t, tc.instr >= 0, errors.As(err, &pe), "%v", err)
			if pe != nil {
				require.Equal(t, tc.instr, pe.Instrument)
				require.Equal(t, w.Days()[w.Len()-1]+1, pe.Day, "the day the push would have made")
			}
			after, err := w.Report(ctx, ReportInput{Positions: pos, Horizons: []int{1}})
			require.NoError(t, err)
			require.Equal(t, before, after, "a refused push changes nothing")
		})
	}
}

// NewWindow validates prices as NewReport does and numbers days by price
// row, skipping dropped days.
func TestNewWindowDays(t *testing.T) {
	ctx := context.Background()
	prices := mat.NewDense(5, 2, []float64{1, 2, 1.1, math.NaN(), 1.2, 2.2, 1.3, 2.3, 1.4, 2.4})
	_, err := NewWindow(ctx, prices, MissingError)
	var pe *PriceError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, 1, pe.Instrument)
	require.Equal(t, 1, pe.Day)

	w, err := NewWindow(ctx, prices, MissingDropDay)
	require.NoError(t, err)
	require.Equal(t, []int{2, 3, 4}, w.Days())
	require.Equal(t, 3, w.Len())
	require.Equal(t, 2, w.Instruments())
	require.NoError(t, w.Push([]float64{1.5, 2.5}))
	require.Equal(t, []int{3, 4, 5}, w.Days())
	pnl, err := w.PnL(ctx, nil, []float64{1, 1})
	require.NoError(t, err)
	require.InDelta(t, (1.3/1.2-1)+(2.3/2.2-1), pnl[0], 1e-15)
	require.InDelta(t, (1.5/1.4-1)+(2.5/2.4-1), pnl[2], 1e-15)

	for _, tc := range []struct {
		name   string
		prices *mat.Dense
		policy MissingPolicy
	}{
		{"no prices", nil, MissingError},
		{"two days", mat.NewDense(2, 1, []float64{1, 2}), MissingError},
		{"unknown policy", prices, MissingPolicy(7)},
		{"return overflows", mat.NewDense(3, 1, []float64{1e-300, 1e300, 1}), MissingError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := NewWindow(ctx, tc.prices, tc.policy)
			require.ErrorIs(t, err, ErrInput)
			require.Nil(t, w)
		})
	}
}

// A window's report refuses prices (the window holds the scenarios) and
// positions that do not fit it.
func TestWindowReportBadInput(t *testing.T) {
	ctx := context.Background()
	prices := mat.NewDense(4, 2, []float64{1, 2, 1.1, 2.1, 1.2, 2.2, 1.3, 2.3})
	w, err := NewWindow(ctx, prices, MissingError)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		in   ReportInput
	}{
		{"prices", ReportInput{Prices: prices, Positions: []float64{1, 1}, Horizons: []int{1}}},
		{"policy", ReportInput{Missing: MissingDropDay, Positions: []float64{1, 1}, Horizons: []int{1}}},
		{"positions", ReportInput{Positions: []float64{1}, Horizons: []int{1}}},
		{"NaN position", ReportInput{Positions: []float64{1, math.NaN()}, Horizons: []int{1}}},
		{"sector", ReportInput{Positions: []float64{1, 1}, Sectors: []int{0, 1}, SectorNames: []string{"a"}, Horizons: []int{1}}},
		{"horizon", ReportInput{Positions: []float64{1, 1}, Horizons: []int{3}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := w.Report(ctx, tc.in)
			require.ErrorIs(t, err, ErrInput)
			require.Nil(t, r)
		})
	}
	_, err = w.PnL(ctx, nil, []float64{1})
	require.ErrorIs(t, err, ErrInput)
	big, err := NewWindow(ctx, mat.NewDense(3, 1, []float64{1, 1e10, 1}), MissingError)
	require.NoError(t, err)
	_, err = big.Report(ctx, ReportInput{Positions: []float64{1e300}, Horizons: []int{1}})
	require.ErrorIs(t, err, ErrInput, "a P&L that overflows")
	_, err = big.PnL(ctx, nil, []float64{1e300})
	require.ErrorIs(t, err, ErrInput, "a P&L that overflows, through PnL")
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = w.Report(ctx, ReportInput{Positions: []float64{1, 1}, Horizons: []int{1}})
	require.ErrorIs(t, err, context.Canceled)
	_, err = w.PnL(ctx, nil, []float64{1, 1})
	require.ErrorIs(t, err, context.Canceled)
}

// Each sector's P&L is the sum of its instruments' P&L, whether the
// instruments come in sector order (dot products over ranges) or
// interleaved (a scatter), and the portfolio's P&L does not depend on
// the sectors.
func TestWindowSectorPnL(t *testing.T) {
	ctx := context.Background()
	const T, n, nSectors = 30, 23, 4
	prices, pos, _ := randomPortfolio(5, T+1, n)
	w, err := NewWindow(ctx, prices, MissingError)
	require.NoError(t, err)
	inOrder, interleaved, clustered := make([]int, n), make([]int, n), make([]int, n)
	for i := range n {
		inOrder[i] = i * nSectors / n
		interleaved[i] = i % nSectors
		clustered[i] = (i / 3) % nSectors // runs of one sector, not sorted
	}
	plain, err := w.Report(ctx, ReportInput{Positions: pos, Horizons: []int{1}})
	require.NoError(t, err)
	for name, sectors := range map[string][]int{"in order": inOrder, "interleaved": interleaved, "clustered": clustered} {
		t.Run(name, func(t *testing.T) {
			r, err := w.Report(ctx, ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, nSectors), Horizons: []int{1}})
			require.NoError(t, err)
			require.Equal(t, plain.PnL, r.PnL)
			for k := range T {
				want := make([]float64, nSectors)
				for i := range n {
					want[sectors[i]] += pos[i] * (prices.At(k+1, i)/prices.At(k, i) - 1)
				}
				for s := range nSectors {
					near(t, want[s], r.SectorPnL[s][k], maxAbs(want), 1e-12, fmt.Sprintf("day %d sector %d", k, s))
				}
			}
			// Without the sectors' daily P&L, the rest is the same.
			skip, err := w.Report(ctx, ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, nSectors), Horizons: []int{1}, SkipSectorPnL: true})
			require.NoError(t, err)
			require.Nil(t, skip.SectorPnL)
			skip.SectorPnL = r.SectorPnL
			require.Equal(t, r, skip)
		})
	}
}

// The window after 300 pushes reproduces, to 1e-12 relative, the reports
// that NewReport computed from prices before the window existed: its
// one-pass scan at commit f8e7479, run on the last 61 of 361 synthetic
// price rows (riskdata seeds 0 and 1, 23 instruments, positions from
// PCG(seed, 9) as in randomPortfolio, sectors, four levels, three
// horizons, incremental VaR for seed 0, one stress scenario) and stored as
// JSON in testdata/report-f8e7479.json.
func TestWindowMatchesReportBeforeWindow(t *testing.T) {
	b, err := os.ReadFile("testdata/report-f8e7479.json")
	require.NoError(t, err)
	var before []*Report
	require.NoError(t, json.Unmarshal(b, &before))
	require.Len(t, before, 2)
	for seed := range uint64(2) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			const days, n = 61 + 300, 23
			data, sectors := riskdata.Prices(days, n, seed)
			rng := rand.New(rand.NewPCG(seed, 9))
			pos := make([]float64, n)
			for i := range pos {
				pos[i] = (rng.Float64() - 0.3) * 1e6
			}
			w, err := NewWindow(context.Background(), mat.NewDense(61, n, data[:61*n]), MissingError)
			require.NoError(t, err)
			for d := 61; d < days; d++ {
				require.NoError(t, w.Push(data[d*n:(d+1)*n]))
			}
			got, err := w.Report(context.Background(), ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11),
				Levels: []float64{0.9, 0.95, 0.975, 0.99}, Horizons: []int{1, 5, 10}, Incremental: seed == 0,
				Scenarios: []Scenario{{Name: "crash", All: -0.2}}})
			require.NoError(t, err)
			requireSameReport(t, before[seed], got, 1e-12)
		})
	}
}

// A tracker's report, updated in O(N) after each push, equals the window's
// full report to 1e-12 relative, through 300 pushes (five full passes on
// the way), after two pushes between reports, and with sectors' P&L and
// incremental VaR.
func TestTrackerEqualsWindowReport(t *testing.T) {
	const T, n, pushes = 60, 37, 300
	ctx := context.Background()
	for seed := range uint64(4) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			prices, pos, sectors := randomPortfolio(seed, T+1+pushes, n)
			in := ReportInput{
				Positions: pos, Sectors: sectors, SectorNames: make([]string, 11),
				Levels: []float64{0.9, 0.95, 0.99}, Horizons: []int{1, 5},
				Incremental: seed%2 == 0, SkipSectorPnL: seed == 3,
				Scenarios: []Scenario{{Name: "crash", All: -0.2}},
			}
			w, err := NewWindow(ctx, mat.NewDense(T+1, n, prices.RawMatrix().Data[:(T+1)*n]), MissingError)
			require.NoError(t, err)
			tr, err := w.Track(in)
			require.NoError(t, err)
			for k := 0; k <= pushes; k++ {
				if k > 0 {
					require.NoError(t, w.Push(prices.RawRowView(T+k)))
				}
				if k%37 == 5 {
					continue // two pushes before the next report: a full pass
				}
				got, err := tr.Report(ctx)
				require.NoError(t, err)
				want, err := w.Report(ctx, in)
				require.NoError(t, err)
				requireSameReport(t, want, got, 1e-12)
				require.Equal(t, want.Days, got.Days)
			}
		})
	}
	w, err := NewWindow(ctx, mat.NewDense(3, 1, []float64{1, 2, 3}), MissingError)
	require.NoError(t, err)
	_, err = w.Track(ReportInput{Positions: []float64{1, 2}})
	require.ErrorIs(t, err, ErrInput)
}

// A report with Splits has only those splits, in the order of its levels,
// each equal to the full report's, and the same figures; a tracker with
// them reports the same; a split at a level that is not one of Levels,
// or of a measure the method does not split, is an error.
func TestReportSplits(t *testing.T) {
	ctx := context.Background()
	prices, pos, sectors := randomPortfolio(8, 80, 29)
	w, err := NewWindow(ctx, prices, MissingError)
	require.NoError(t, err)
	in := ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11), Levels: []float64{0.95, 0.975, 0.99}, Horizons: []int{1, 5}}
	full, err := w.Report(ctx, in)
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		splits []SplitKind
		normal float64 // the level of Contributions, 0 for none
	}{
		{"three", []SplitKind{{MethodHistorical, MeasureES, 0.975}, {MethodDeltaNormal, MeasureVaR, 0.95}, {MethodHistorical, MeasureVaR, 0.95}}, 0.95},
		{"one", []SplitKind{{MethodHistorical, MeasureES, 0.975}}, 0},
		{"a level's three", []SplitKind{{MethodHistorical, MeasureES, 0.99}, {MethodHistorical, MeasureVaR, 0.99}, {MethodDeltaNormal, MeasureVaR, 0.99}}, 0.99},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := in
			in.Splits = tc.splits
			some, err := w.Report(ctx, in)
			require.NoError(t, err)
			require.Equal(t, full.Figures, some.Figures)
			require.Equal(t, full.PnL, some.PnL)
			var want []Split
			for _, sp := range full.Splits {
				if slices.Contains(tc.splits, SplitKind{sp.Method, sp.Measure, sp.Confidence}) {
					want = append(want, sp)
				}
			}
			require.Len(t, want, len(tc.splits))
			require.Equal(t, want, some.Splits, "the full report's, in its order")
			if tc.normal == 0 {
				require.Zero(t, some.Contributions.Total)
				require.Nil(t, some.Contributions.Component)
				require.Nil(t, some.Top)
			} else {
				sp, _ := full.Split(MethodDeltaNormal, MeasureVaR, tc.normal)
				require.Equal(t, sp.Contributions, some.Contributions)
				require.Equal(t, sp.Top, some.Top)
			}
			tr, err := w.Track(in)
			require.NoError(t, err)
			tracked, err := tr.Report(ctx)
			require.NoError(t, err)
			requireSameReport(t, some, tracked, 1e-12)
		})
	}
	// A tracker of historical splits alone (no sums kept), incremental
	// asked for, updated by a push: the window's report after the push.
	hist := in
	hist.Splits, hist.Incremental = []SplitKind{{MethodHistorical, MeasureES, 0.975}, {MethodHistorical, MeasureVaR, 0.99}}, true
	tr, err := w.Track(hist)
	require.NoError(t, err)
	_, err = tr.Report(ctx)
	require.NoError(t, err)
	next := make([]float64, len(pos))
	for i := range next {
		next[i] = w.last[i] * (1 + 0.01*float64(i%7-3))
	}
	require.NoError(t, w.Push(next))
	tracked, err := tr.Report(ctx)
	require.NoError(t, err)
	fresh, err := w.Report(ctx, hist)
	require.NoError(t, err)
	requireSameReport(t, fresh, tracked, 1e-12)
	for _, bad := range []SplitKind{{MethodHistorical, MeasureES, 0.9}, {MethodDeltaNormal, MeasureES, 0.95}, {Method(7), MeasureVaR, 0.95}, {MethodHistorical, Measure(3), 0.95}} {
		in := in
		in.Splits = []SplitKind{bad}
		_, err = w.Report(ctx, in)
		require.ErrorIs(t, err, ErrInput, "%+v", bad)
		_, err = w.Track(in)
		require.ErrorIs(t, err, ErrInput, "%+v", bad)
	}
}

// A report over a window allocates O(N) beside it, and a tracked report
// after a push too: four times the days (100 → 400) at 5,000 instruments
// add O(T) bytes (P&L, days, sectors' P&L, sorted losses), far less than
// the 12 MB that 300 more days of returns would take.
func TestReportAllocatesONotTN(t *testing.T) {
	const n = 5000
	ctx := context.Background()
	// One P, so that draining the scan's pool below leaves no vector in
	// another P's private slot for the measured report to reuse.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	perReport := func(T int, tracked bool) uint64 {
		prices, pos, sectors := randomPortfolio(3, T+2, n)
		w, err := NewWindow(ctx, mat.NewDense(T+1, n, prices.RawMatrix().Data[:(T+1)*n]), MissingError)
		require.NoError(t, err)
		in := ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11)}
		tr, err := w.Track(in)
		require.NoError(t, err)
		_, err = tr.Report(ctx)
		require.NoError(t, err)
		require.NoError(t, w.Push(prices.RawRowView(T+1)))
		for vecPool.Get() != nil { // the scan's pooled sums count as allocated
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if tracked {
			_, err = tr.Report(ctx) // one day's update, no pass
		} else {
			_, err = w.Report(ctx, in)
		}
		runtime.ReadMemStats(&after)
		require.NoError(t, err)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, tracked := range []bool{false, true} {
		small, large := perReport(100, tracked), perReport(400, tracked)
		t.Logf("tracked %v: %d bytes per report at T=100, %d at T=400", tracked, small, large)
		require.Less(t, large, small+300*8*64, "tracked %v: growth with T is O(T)", tracked)
		require.Less(t, small, uint64(8*n*24), "tracked %v: O(N), about 24 vectors of N at most", tracked)
	}
}

// ReportInto gives, over the vectors of an earlier report, exactly the
// report Window.Report gives: for other positions, with incremental VaR,
// into a report with fewer vectors or shorter ones (another window's),
// and after a report whose values would show through if the vectors were
// not cleared. It reuses the old vectors, and allocates less than a
// quarter of what a new report does (the rest is the scan's and the
// attribution's scratch, the sector tiles, the top-N and the sums by
// sector).
func TestWindowReportIntoReusesVectors(t *testing.T) {
	ctx := context.Background()
	prices, pos, sectors := randomPortfolio(21, 90, 400)
	w, err := NewWindow(ctx, prices, MissingError)
	require.NoError(t, err)
	other := slices.Clone(pos)
	for i := range other {
		other[i] = -other[i] * float64(1+i%3)
	}
	in := ReportInput{Positions: pos, Sectors: sectors, SectorNames: make([]string, 11),
		Scenarios: []Scenario{{Name: "down", All: -0.1}}}
	smallPrices, smallPos, _ := randomPortfolio(22, 40, 100)
	small, err := NewWindow(ctx, smallPrices, MissingError)
	require.NoError(t, err)
	smallReport, err := small.Report(ctx, ReportInput{Positions: smallPos, Splits: []SplitKind{{MethodHistorical, MeasureES, 0.99}}})
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		dst  func() *Report
		in   func(ReportInput) ReportInput
	}{
		{"other positions", func() *Report { r, _ := w.Report(ctx, in); return r }, func(in ReportInput) ReportInput { in.Positions = other; return in }},
		{"incremental", func() *Report { r, _ := w.Report(ctx, in); return r }, func(in ReportInput) ReportInput { in.Incremental = true; return in }},
		{"fewer and shorter vectors", func() *Report { return smallReport }, func(in ReportInput) ReportInput { return in }},
		{"nil", func() *Report { return nil }, func(in ReportInput) ReportInput { return in }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in(in)
			want, err := w.Report(ctx, in)
			require.NoError(t, err)
			dst := tc.dst()
			var old map[*float64]bool
			if dst != nil {
				old = map[*float64]bool{}
				for _, sp := range dst.Splits {
					old[&sp.Component[0]] = true
				}
			}
			if dst != nil && dst != smallReport {
				// What was not written over would show.
				for _, sp := range dst.Splits {
					for _, v := range [][]float64{sp.Component, sp.Marginal, sp.Incremental} {
						for i := range v {
							v[i] = math.NaN()
						}
					}
				}
			}
			got, err := w.ReportInto(ctx, dst, in)
			require.NoError(t, err)
			require.Equal(t, want, got)
			reused := 0
			for _, sp := range got.Splits {
				if old[&sp.Component[0]] {
					reused++
				}
			}
			if tc.name == "other positions" {
				require.Equal(t, len(got.Splits), reused, "every split's components over an old vector")
			}
		})
	}
	// Allocation, at 20,000 instruments: a new report against one into
	// the last.
	prices, pos, sectors = randomPortfolio(23, 40, 20_000)
	w, err = NewWindow(ctx, prices, MissingError)
	require.NoError(t, err)
	in.Positions, in.Sectors = pos, sectors
	// The least of five runs of each: TotalAlloc counts the whole
	// process's allocations, parallel tests' too.
	measure := func(f func()) uint64 {
		least := uint64(math.MaxUint64)
		for range 5 {
			var a, b runtime.MemStats
			runtime.ReadMemStats(&a)
			f()
			runtime.ReadMemStats(&b)
			least = min(least, b.TotalAlloc-a.TotalAlloc)
		}
		return least
	}
	r, err := w.Report(ctx, in)
	require.NoError(t, err)
	fresh := measure(func() { _, err = w.Report(ctx, in) })
	require.NoError(t, err)
	into := measure(func() { r, err = w.ReportInto(ctx, r, in) })
	require.NoError(t, err)
	require.Less(t, into*4, fresh, "ReportInto allocated %d bytes, Report %d", into, fresh)
}
