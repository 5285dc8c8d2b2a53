package risk

import (
	"context"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// ReportInput is what [NewReport] needs. Only Prices and Positions are
// required.
type ReportInput struct {
	// Prices is days × instruments, one row per day, oldest first.
	Prices *mat.Dense
	// Positions are currency amounts per instrument (negative for short).
	Positions []float64
	// Sectors maps each instrument to an index of SectorNames; nil skips
	// the sector breakdowns.
	Sectors     []int
	SectorNames []string
	// Levels are the confidence levels, each in [0.5, 1) (see [FromTail]);
	// nil means 0.95 and 0.99. The report splits its one-day figures at
	// every level.
	Levels []float64
	// Horizons are in days; zero means 1, 5 and 10.
	Horizons []int
	// TopN is the number of top contributors; zero means 20.
	TopN int
	// Missing is the missing-price policy; zero fails on a missing price.
	Missing MissingPolicy
	// Historical chooses the historical estimators.
	Historical HistoricalOptions
	// Scenarios are stress tests run on the positions.
	Scenarios []Scenario
	// Incremental computes each instrument's incremental VaR, which needs
	// one more running sum per instrument in the pass.
	Incremental bool
}

// Figure is VaR and ES at one confidence and horizon, by three methods.
// Every figure is a positive loss in the positions' currency.
type Figure struct {
	Confidence float64
	Horizon    int
	// Historical VaR and ES from the overlapping h-day P&L windows.
	HistoricalVaR, HistoricalES float64
	// ScaledVaR and ScaledES are the one-day historical figures × √h.
	ScaledVaR, ScaledES float64
	// NormalVaR and NormalES are delta-normal, zero mean, σ × √h.
	NormalVaR, NormalES float64
}

// Report is everything the risk dashboard shows, from one pass over the
// prices.
type Report struct {
	// Value is the net value of the positions, Σ position_i.
	Value float64
	// PnL is the portfolio's daily P&L, oldest first; Days the price rows
	// each P&L day ends on.
	PnL  []float64
	Days []int
	// Figures has one entry per level and horizon, levels first.
	Figures []Figure
	// Splits decompose the one-day figures at every level: for each level,
	// in the order of the input's Levels, the delta-normal VaR, the
	// historical VaR and the historical ES (see [HistoricalContributions]),
	// each with its sector sums and top contributors. [Report.Split] finds
	// one.
	Splits []Split
	// Contributions decompose the one-day delta-normal VaR at the highest
	// level (Euler allocation); the same as that level's delta-normal
	// split.
	Contributions Contributions
	// BySector sums Contributions by sector; nil without sectors.
	BySector []float64
	// SectorPnL is each sector's daily P&L; nil without sectors.
	SectorPnL [][]float64
	// Top are the largest contributors to Contributions.
	Top []Contributor
	// WorstDay is the built-in historical stress scenario.
	WorstDay     int
	WorstDayLoss float64
	// Stress holds the results of the input's scenarios, in order.
	Stress []StressResult
}

// Split is one decomposition of a report's one-day figure among the
// instruments, with its sums by sector and its largest contributors.
type Split struct {
	Contributions
	// BySector sums the components by sector; nil without sectors.
	BySector []float64
	// Top are the TopN largest contributors.
	Top []Contributor
}

// NewReport builds the report from prices and positions in one parallel
// pass over the prices (no returns matrix is formed), honouring ctx; the
// historical splits then read the prices of the few tail days they use.
// Bad prices, positions that are not finite, sectors out of range, levels
// outside [0.5, 1), horizons outside 1..days−2, a negative TopN, unknown
// options or figures that overflow wrap [ErrInput].
func NewReport(ctx context.Context, in ReportInput) (*Report, error) {
	nSectors := len(in.SectorNames)
	if err := checkPortfolio(in.Prices, in.Positions, in.Sectors, nSectors); err != nil {
		return nil, err
	}
	if err := in.Missing.check(); err != nil {
		return nil, err
	}
	if err := in.Historical.check(); err != nil {
		return nil, err
	}
	levels := in.Levels
	if len(levels) == 0 {
		levels = []float64{0.95, 0.99}
	}
	for _, c := range levels {
		if err := checkConfidence(c); err != nil {
			return nil, err
		}
	}
	horizons := in.Horizons
	if len(horizons) == 0 {
		horizons = []int{1, 5, 10}
	}
	for _, h := range horizons {
		if h < 1 {
			return nil, inputf("horizon %d days: need at least 1", h)
		}
	}
	topN := in.TopN
	if topN == 0 {
		topN = 20
	}
	if topN < 0 {
		return nil, inputf("negative TopN")
	}
	s, err := scanPortfolio(ctx, in.Prices, in.Positions, in.Missing, scanOptions{stats: true, squares: in.Incremental, sectors: in.Sectors, nSectors: nSectors})
	if err != nil {
		return nil, err
	}
	r := &Report{PnL: s.pnl, Days: s.days[1:], SectorPnL: s.sectorPnL}
	for _, p := range in.Positions {
		r.Value += p
	}
	mo, err := MomentsOf(s.pnl)
	if err != nil {
		return nil, err
	}
	oneDay := make(map[float64][2]float64, len(levels))
	for _, c := range levels {
		v, e, err := Historical(s.pnl, c, in.Historical)
		if err != nil {
			return nil, err
		}
		oneDay[c] = [2]float64{v, e}
	}
	for _, c := range levels {
		for _, h := range horizons {
			if h < 1 || h >= len(s.pnl) {
				return nil, inputf("horizon %d days for %d days of P&L", h, len(s.pnl))
			}
			window, err := Overlapping(s.pnl, h)
			if err != nil {
				return nil, err
			}
			hv, he, err := Historical(window, c, in.Historical)
			if err != nil {
				return nil, err
			}
			nv, ne, err := Normal(0, mo.StdDev*math.Sqrt(float64(h)), c, ParametricOptions{})
			if err != nil {
				return nil, err
			}
			sv, err := ScaleSqrtH(oneDay[c][0], h)
			if err != nil {
				return nil, err
			}
			se, err := ScaleSqrtH(oneDay[c][1], h)
			if err != nil {
				return nil, err
			}
			r.Figures = append(r.Figures, Figure{
				Confidence: c, Horizon: h,
				HistoricalVaR: hv, HistoricalES: he,
				ScaledVaR: sv, ScaledES: se,
				NormalVaR: nv, NormalES: ne,
			})
		}
	}
	if err := r.split(ctx, in, s, levels, topN); err != nil {
		return nil, err
	}
	r.WorstDay, r.WorstDayLoss, err = WorstDay(s.pnl)
	if err != nil {
		return nil, err
	}
	for _, sc := range in.Scenarios {
		res, err := Stress(sc, in.Positions, in.Sectors, nSectors)
		if err != nil {
			return nil, err
		}
		r.Stress = append(r.Stress, res)
	}
	return r, ctx.Err()
}

// split fills Splits, and Contributions, BySector and Top from the
// delta-normal split at the highest level.
func (r *Report) split(ctx context.Context, in ReportInput, s *scan, levels []float64, topN int) error {
	hv, he, err := HistoricalContributions(s.pnl, len(in.Positions), pricesScenario(in, s.days), levels, in.Historical)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for j, c := range levels {
		n, err := contributions(s, in.Positions, c)
		if err != nil {
			return err
		}
		for _, c := range []Contributions{n, hv[j], he[j]} {
			sp := Split{Contributions: c}
			if sp.Top, err = c.Top(topN); err != nil {
				return err
			}
			if in.Sectors != nil {
				if sp.BySector, err = c.BySector(in.Sectors, len(in.SectorNames)); err != nil {
					return err
				}
			}
			r.Splits = append(r.Splits, sp)
		}
	}
	top, _ := r.Split(MethodDeltaNormal, MeasureVaR, slices.Max(levels))
	r.Contributions, r.BySector, r.Top = top.Contributions, top.BySector, top.Top
	return nil
}

// pricesScenario gives the instruments' P&L on a return day of the scan
// from the prices, as the scan computed it: position × (P(t)/P(t−1) − 1).
func pricesScenario(in ReportInput, days []int) ScenarioFunc {
	return func(dst []float64, s, from int) error {
		if s < 0 || s+1 >= len(days) || from < 0 || from+len(dst) > len(in.Positions) {
			return inputf("scenario %d, instruments %d..%d out of range", s, from, from+len(dst)-1)
		}
		prev := in.Prices.RawRowView(days[s])[from : from+len(dst)]
		cur := in.Prices.RawRowView(days[s+1])[from : from+len(dst)]
		pos := in.Positions[from : from+len(dst)]
		for i := range dst {
			dst[i] = pos[i] * (cur[i]/prev[i] - 1)
		}
		return nil
	}
}

// Split returns the report's split of a one-day figure by method and
// measure at confidence c, and whether the report has it.
func (r *Report) Split(method Method, measure Measure, c float64) (Split, bool) {
	for _, s := range r.Splits {
		if s.Method == method && s.Measure == measure && s.Confidence == c {
			return s, true
		}
	}
	return Split{}, false
}

// Figure returns the figure at confidence c and horizon h, and whether the
// report has it.
func (r *Report) Figure(c float64, h int) (Figure, bool) {
	for _, f := range r.Figures {
		if f.Confidence == c && f.Horizon == h {
			return f, true
		}
	}
	return Figure{}, false
}
