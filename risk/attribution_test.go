package risk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// matrixScenario serves instrument P&L from a scenarios × instruments
// matrix, as a rolling window over stored P&L would.
func matrixScenario(pnl [][]float64) ScenarioFunc {
	return func(dst []float64, s, from int) error {
		copy(dst, pnl[s][from:from+len(dst)])
		return nil
	}
}

func portfolioOf(rows [][]float64) []float64 {
	out := make([]float64, len(rows))
	for t, r := range rows {
		for _, v := range r {
			out[t] += v
		}
	}
	return out
}

// Hand-built scenarios where the split is known. Two instruments, ten
// days; the portfolio's P&L, −6, −3, −3, 3, −2, 1, 3, 1, 0, 1, has a tie at
// the second-worst loss (days 1 and 2, ranked by index). The weights are
// those of Hyndman–Fan type 1 and type 7 and of Acerbi–Tasche (see
// Historical); each component is the instrument's loss under the same
// weights, worked by hand:
//
//   - 80%, type 1: the ⌈10 × 0.2⌉ = 2nd worst day, day 1: A −1, B 4 (VaR 3).
//   - 80%, type 7: h = 9 × 0.8 = 7.2, so 0.8 × day 2 + 0.2 × day 1:
//     A 0.8·3 − 0.2·1 = 2.2, B 0.2·4 = 0.8 (VaR 3).
//   - 80%, ES: m = 2, days 0 and 1 at ½: A (5 − 1)/2 = 2, B (1 + 4)/2 = 2.5
//     (ES 4.5).
//   - 75%, ES: m = 2.5, days 0 and 1 at 1/2.5 and day 2 at 0.5/2.5:
//     A (5 − 1 + 1.5)/2.5 = 2.2, B (1 + 4)/2.5 = 2 (ES 4.2).
//   - 75%, type 1: the ⌈2.5⌉ = 3rd worst, day 2: A 3, B 0 (VaR 3).
func TestHistoricalContributionsByHand(t *testing.T) {
	a := []float64{-5, 1, -3, 2, 0, -1, 4, -2, 3, 1}
	b := []float64{-1, -4, 0, 1, -2, 2, -1, 3, -3, 0}
	rows := make([][]float64, len(a))
	for i := range a {
		rows[i] = []float64{a[i], b[i]}
	}
	pnl := portfolioOf(rows)
	for _, tc := range []struct {
		name    string
		c       float64
		q       Quantile
		measure Measure
		total   float64
		comp    []float64
		weights []ScenarioWeight
	}{
		{"80% type 1 VaR", 0.8, Type1, MeasureVaR, 3, []float64{-1, 4}, []ScenarioWeight{{1, 1}}},
		{"80% type 7 VaR", 0.8, Type7, MeasureVaR, 3, []float64{2.2, 0.8}, []ScenarioWeight{{2, 0.8}, {1, 0.2}}},
		{"80% ES", 0.8, Type7, MeasureES, 4.5, []float64{2, 2.5}, []ScenarioWeight{{0, 0.5}, {1, 0.5}}},
		{"75% ES", 0.75, Type1, MeasureES, 4.2, []float64{2.2, 2}, []ScenarioWeight{{0, 0.4}, {1, 0.4}, {2, 0.2}}},
		{"75% type 1 VaR", 0.75, Type1, MeasureVaR, 3, []float64{3, 0}, []ScenarioWeight{{2, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs, es, err := HistoricalContributions(pnl, 2, matrixScenario(rows), []float64{tc.c}, HistoricalOptions{Quantile: tc.q})
			require.NoError(t, err)
			got := vs[0]
			if tc.measure == MeasureES {
				got = es[0]
			}
			require.Equal(t, MethodHistorical, got.Method)
			require.Equal(t, tc.measure, got.Measure)
			require.InDelta(t, tc.total, got.Total, 1e-12)
			require.InDeltaSlice(t, tc.comp, got.Component, 1e-12)
			require.Len(t, got.Scenarios, len(tc.weights))
			for k, w := range tc.weights {
				require.Equal(t, w.Scenario, got.Scenarios[k].Scenario)
				require.InDelta(t, w.Weight, got.Scenarios[k].Weight, 1e-12)
			}
			v, e, err := Historical(pnl, tc.c, HistoricalOptions{Quantile: tc.q})
			require.NoError(t, err)
			if tc.measure == MeasureES {
				require.Equal(t, e, got.Total, "the same figure as Historical")
			} else {
				require.Equal(t, v, got.Total, "the same figure as Historical")
			}
		})
	}
}

// Historical component VaR and ES add up to the historical VaR and ES of
// the report, by instrument and by sector, for 50 random long/short
// portfolios at 95%, 97.5% and 99% and both quantile types.
func TestHistoricalSplitsAddUp(t *testing.T) {
	levels := []float64{0.95, 0.975, 0.99}
	for seed := range uint64(50) {
		prices, pos, sectors := randomPortfolio(seed+100, 253, 60)
		for _, q := range []Quantile{Type7, Type1} {
			t.Run(fmt.Sprintf("seed %d %v", seed, q), func(t *testing.T) { historicalSplitsAddUp(t, prices, pos, sectors, levels, q) })
		}
	}
}

// historicalSplitsAddUp checks one portfolio at one quantile type.
func historicalSplitsAddUp(t *testing.T, prices *mat.Dense, pos []float64, sectors []int, levels []float64, q Quantile) {
	r, err := NewReport(context.Background(), ReportInput{Prices: prices, Positions: pos, Sectors: sectors, SectorNames: make([]string, 11),
		Levels: levels, Horizons: []int{1}, Historical: HistoricalOptions{Quantile: q}})
	require.NoError(t, err)
	require.Len(t, r.Splits, 3*len(levels), "three splits at every level")
	for _, c := range levels {
		f, ok := r.Figure(c, 1)
		require.True(t, ok)
		for _, tc := range []struct {
			method  Method
			measure Measure
			want    float64
		}{
			{MethodHistorical, MeasureVaR, f.HistoricalVaR},
			{MethodHistorical, MeasureES, f.HistoricalES},
			{MethodDeltaNormal, MeasureVaR, f.NormalVaR},
		} {
			sp, ok := r.Split(tc.method, tc.measure, c)
			require.True(t, ok, "%v %v at %v", tc.method, tc.measure, c)
			require.InDelta(t, tc.want, sp.Total, 1e-9*math.Abs(tc.want))
			sum, bySector := 0.0, 0.0
			for _, v := range sp.Component {
				sum += v
			}
			for _, v := range sp.BySector {
				bySector += v
			}
			require.InDelta(t, tc.want, sum, 1e-9*math.Abs(tc.want), "%v %v at %v", tc.method, tc.measure, c)
			require.InDelta(t, tc.want, bySector, 1e-9*math.Abs(tc.want))
			require.Len(t, sp.Top, 20)
		}
	}
}

// The delta-normal split at every level is the textbook one from the
// covariance matrix at that level, not only at the highest.
func TestReportSplitsEveryLevel(t *testing.T) {
	prices, pos, _ := randomPortfolio(11, 60, 12)
	rets, err := Returns(prices, Simple, MissingError)
	require.NoError(t, err)
	var cov mat.SymDense
	covarianceMatrix(&cov, rets)
	r, err := NewReport(context.Background(), ReportInput{Prices: prices, Positions: pos, Levels: []float64{0.9, 0.95, 0.99}, Incremental: true})
	require.NoError(t, err)
	for _, c := range []float64{0.9, 0.95, 0.99} {
		t.Run(fmt.Sprint(c), func(t *testing.T) {
			want, err := ContributionsFromCovariance(&cov, pos, c)
			require.NoError(t, err)
			got, ok := r.Split(MethodDeltaNormal, MeasureVaR, c)
			require.True(t, ok, "level %v", c)
			require.InDelta(t, want.Total, got.Total, 1e-9*want.Total)
			require.InDeltaSlice(t, want.Component, got.Component, 1e-9*want.Total)
			require.InDeltaSlice(t, want.Incremental, got.Incremental, 1e-9*want.Total)
			for _, m := range []Measure{MeasureVaR, MeasureES} {
				_, ok := r.Split(MethodHistorical, m, c)
				require.True(t, ok, "historical %v at %v", m, c)
			}
		})
	}
	top, _ := r.Split(MethodDeltaNormal, MeasureVaR, 0.99)
	require.Equal(t, top.Contributions, r.Contributions, "Contributions is the highest level's delta-normal split")
}

func TestHistoricalContributionsBadInput(t *testing.T) {
	rows := [][]float64{{-1, 2}, {3, -4}, {0.5, 0.5}, {-2, -2}}
	pnl := portfolioOf(rows)
	ok := matrixScenario(rows)
	boom := errors.New("store unavailable")
	for _, tc := range []struct {
		name   string
		pnl    []float64
		n      int
		f      ScenarioFunc
		levels []float64
		opts   HistoricalOptions
		want   error
	}{
		{"one scenario", pnl[:1], 2, ok, []float64{0.95}, HistoricalOptions{}, ErrInput},
		{"NaN P&L", []float64{1, math.NaN(), 0, 1}, 2, ok, []float64{0.95}, HistoricalOptions{}, ErrInput},
		{"no instruments", pnl, 0, ok, []float64{0.95}, HistoricalOptions{}, ErrInput},
		{"nil scenario", pnl, 2, nil, []float64{0.95}, HistoricalOptions{}, ErrInput},
		{"no levels", pnl, 2, ok, nil, HistoricalOptions{}, ErrInput},
		{"tail probability as confidence", pnl, 2, ok, []float64{0.05}, HistoricalOptions{}, ErrInput},
		{"unknown quantile", pnl, 2, ok, []float64{0.95}, HistoricalOptions{Quantile: 9}, ErrInput},
		{"instruments do not add up", pnl, 2, matrixScenario([][]float64{{-1, 2}, {3, -4}, {0.5, 0.5}, {-2, -1}}), []float64{0.95}, HistoricalOptions{}, ErrInput},
		{"NaN instrument P&L", pnl, 2, matrixScenario([][]float64{{-1, 2}, {3, -4}, {0.5, 0.5}, {-2, math.NaN()}}), []float64{0.95}, HistoricalOptions{}, ErrInput},
		{"scenario error", pnl, 2, func([]float64, int, int) error { return boom }, []float64{0.95}, HistoricalOptions{}, boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, e, err := HistoricalContributions(tc.pnl, tc.n, tc.f, tc.levels, tc.opts)
			require.ErrorIs(t, err, tc.want)
			require.Nil(t, v)
			require.Nil(t, e)
		})
	}
}

// A report's historical splits, which read the tail days' returns in place
// and multiply by the position once, equal HistoricalContributions over
// the instruments' P&L (position × return from a ScenarioFunc), to 1e-12
// relative, from a window and from prices, over several chunks of
// instruments (attrChunk) and both quantile types.
func TestReportHistoricalSplitsEqualFunction(t *testing.T) {
	ctx := context.Background()
	levels := []float64{0.9, 0.95, 0.975, 0.99}
	for _, n := range []int{7, 2*attrChunk + 321} {
		for _, q := range []Quantile{Type7, Type1} {
			t.Run(fmt.Sprintf("n=%d %v", n, q), func(t *testing.T) {
				prices, pos, _ := randomPortfolio(uint64(n), 120, n)
				w, err := NewWindow(ctx, prices, MissingError)
				require.NoError(t, err)
				opts := HistoricalOptions{Quantile: q}
				in := ReportInput{Positions: pos, Levels: levels, Horizons: []int{1}, Historical: opts}
				fromWindow, err := w.Report(ctx, in)
				require.NoError(t, err)
				in.Prices = prices
				fromPrices, err := NewReport(ctx, in)
				require.NoError(t, err)
				vs, es, err := HistoricalContributions(fromWindow.PnL, n, scenarioFunc(w, pos), levels, opts)
				require.NoError(t, err)
				for j, c := range levels {
					for _, want := range []Contributions{vs[j], es[j]} {
						for _, r := range []*Report{fromWindow, fromPrices} {
							got, ok := r.Split(MethodHistorical, want.Measure, c)
							require.True(t, ok)
							near(t, want.Total, got.Total, want.Total, 1e-12, want.Label())
							nearAll(t, want.Component, got.Component, 1e-12, want.Label())
							require.Equal(t, want.Scenarios, got.Scenarios)
						}
					}
				}
			})
		}
	}
}
