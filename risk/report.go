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
	// Levels are the confidence levels; zero means 0.95 and 0.99.
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
	// Contributions decompose the one-day delta-normal VaR at the highest
	// level (Euler allocation).
	Contributions Contributions
	// BySector sums Contributions by sector; nil without sectors.
	BySector []float64
	// SectorPnL is each sector's daily P&L; nil without sectors.
	SectorPnL [][]float64
	// Top are the largest contributors to VaR.
	Top []Contributor
	// WorstDay is the built-in historical stress scenario.
	WorstDay     int
	WorstDayLoss float64
	// Stress holds the results of the input's scenarios, in order.
	Stress []StressResult
}

// NewReport builds the report from prices and positions in one parallel
// pass over the prices (no returns matrix is formed), honouring ctx.
func NewReport(ctx context.Context, in ReportInput) (*Report, error) {
	nSectors := len(in.SectorNames)
	if err := checkPortfolio(in.Prices, in.Positions, in.Sectors, nSectors); err != nil {
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
			r.Figures = append(r.Figures, Figure{
				Confidence: c, Horizon: h,
				HistoricalVaR: hv, HistoricalES: he,
				ScaledVaR: ScaleSqrtH(oneDay[c][0], h), ScaledES: ScaleSqrtH(oneDay[c][1], h),
				NormalVaR: nv, NormalES: ne,
			})
		}
	}
	r.Contributions = contributions(s, in.Positions, slices.Max(levels))
	if in.Sectors != nil {
		r.BySector = r.Contributions.BySector(in.Sectors, nSectors)
	}
	r.Top = r.Contributions.Top(topN)
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
