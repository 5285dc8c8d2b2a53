package risk

import (
	"context"
	"math"
	"slices"
	"sync"

	"gonum.org/v1/gonum/floats"
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
	// every level, or as Splits says.
	Levels []float64
	// Splits, if not empty, are the only splits of one-day figures the
	// report computes, each at one of Levels; empty means all three
	// (delta-normal VaR, historical VaR and historical ES) at every level.
	// A split is a vector of N components (and of N marginals for
	// delta-normal), its sector sums and a top-N selection: a dashboard
	// that shows one split need not pay for the others. Delta-normal ES
	// is not split.
	Splits []SplitKind
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
	// SkipSectorPnL leaves Report.SectorPnL nil although Sectors is set.
	// Each sector's daily P&L costs a gather over every return of the
	// window, about half as much again as the rest of a window's report
	// (BENCHMARKS.md); the breakdowns by sector (BySector, Stress) do not
	// need it, [SectorMonteCarlo] does.
	SkipSectorPnL bool
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

// Report is everything the risk dashboard shows, from the passes over a
// window of returns ([Window.Report]) or prices ([NewReport]).
type Report struct {
	// Value is the net value of the positions, Σ position_i.
	Value float64
	// PnL is the portfolio's daily P&L, oldest first; Days the price rows
	// each P&L day ends on.
	PnL  []float64
	Days []int
	// Figures has one entry per level and horizon, levels first.
	Figures []Figure
	// Splits decompose the one-day figures at every level (or those of
	// the input's Splits): for each level, in the order of the input's
	// Levels, the delta-normal VaR, the
	// historical VaR and the historical ES (see [HistoricalContributions]),
	// each with its sector sums and top contributors. [Report.Split] finds
	// one.
	Splits []Split
	// Contributions decompose the one-day delta-normal VaR at the highest
	// level split so (Euler allocation); the same as that level's
	// delta-normal split, and zero if the input's Splits ask for none.
	Contributions Contributions
	// BySector sums Contributions by sector; nil without sectors.
	BySector []float64
	// SectorPnL is each sector's daily P&L; nil without sectors or with
	// ReportInput.SkipSectorPnL.
	SectorPnL [][]float64
	// Top are the largest contributors to Contributions.
	Top []Contributor
	// WorstDay is the built-in historical stress scenario.
	WorstDay     int
	WorstDayLoss float64
	// Stress holds the results of the input's scenarios, in order.
	Stress []StressResult
}

// SplitKind names one split of a report's one-day figures: the method,
// the measure and the confidence level.
type SplitKind struct {
	// Method is MethodDeltaNormal (VaR only) or MethodHistorical.
	Method Method
	// Measure is MeasureVaR or MeasureES.
	Measure Measure
	// Confidence is one of the report's Levels.
	Confidence float64
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
// pass over the prices, honouring ctx: the pass of [Window.Report], with
// each day's returns divided from the prices as it goes instead of read
// from a window, so no returns matrix is formed (memory O(N) beside the
// prices); the historical splits then read the prices of the few tail
// days they use. For reports every tick over a moving history, keep a
// [Window] and [Window.Push] each new day: its report does no divisions.
// Bad prices, positions that are not finite, sectors out of range, levels
// outside [0.5, 1), horizons outside 1..days−2, a negative TopN, unknown
// options or figures that overflow wrap [ErrInput].
func NewReport(ctx context.Context, in ReportInput) (*Report, error) {
	if err := checkPortfolio(in.Prices, in.Positions, in.Sectors, len(in.SectorNames)); err != nil {
		return nil, err
	}
	if err := in.Missing.check(); err != nil {
		return nil, err
	}
	set, err := in.settings()
	if err != nil {
		return nil, err
	}
	src, err := newPriceSource(in.Prices, in.Missing)
	if err != nil {
		return nil, err
	}
	return report(ctx, src, in, set)
}

// Report builds the report over the window's scenarios for the input's
// positions, in parallel multiply-adds over the returns (per block of
// days, the P&L, then, tile by tile of instruments while the block is in
// cache, each instrument's sums with the P&L for the delta-normal split
// and each sector's P&L) and O(N) work besides: the historical splits
// read only the tail days' rows, stress tests only the positions. The
// window is read from memory once. For the same positions report after
// report, a [Tracker] updates the sums by a day per push instead.
// in.Prices must be nil and in.Missing zero: the window holds the
// scenarios. The errors are [NewReport]'s.
func (w *Window) Report(ctx context.Context, in ReportInput) (*Report, error) {
	set, err := w.checkInput(in)
	if err != nil {
		return nil, err
	}
	return report(ctx, w, in, set)
}

// ReportInto is [Window.Report] writing the new report's vectors of N
// (each split's components, marginals and incremental VaR: eight vectors,
// 3.2 MB, at 50,000 instruments and the default splits) over those of
// dst, a report this window or another made earlier, and returning it:
// a dashboard that reports on changing positions every tick then
// allocates 0.2 MB per report instead of 3.4 MB at 50,000 instruments
// (BenchmarkWindow/report-into; TestWindowReportIntoReusesVectors holds
// it under a quarter of Window.Report's), and touches no fresh memory
// for the vectors. dst must not be used after
// the call, whatever it returns, nor read by another goroutine during
// it; nil dst is Window.Report. The errors are Window.Report's.
func (w *Window) ReportInto(ctx context.Context, dst *Report, in ReportInput) (*Report, error) {
	set, err := w.checkInput(in)
	if err != nil {
		return nil, err
	}
	if dst != nil {
		set.vec = newRecycler(dst).vec
	}
	return report(ctx, w, in, set)
}

// checkInput validates a report's input over the window (no prices, the
// positions, the sectors) and returns its settings.
func (w *Window) checkInput(in ReportInput) (settings, error) {
	if in.Prices != nil || in.Missing != MissingError {
		return settings{}, inputf("a window's report reads the window: Prices must be nil and Missing zero")
	}
	if err := w.checkPositions(in.Positions); err != nil {
		return settings{}, err
	}
	set, err := in.settings()
	if err != nil {
		return settings{}, err
	}
	if in.Sectors != nil {
		if err := checkSectors(in.Sectors, w.n, set.nSectors); err != nil {
			return settings{}, err
		}
	}
	return set, nil
}

// report runs the pass over src and derives the report from it.
func report(ctx context.Context, src source, in ReportInput, set settings) (*Report, error) {
	sectorPnL := in.Sectors
	if in.SkipSectorPnL {
		sectorPnL = nil
	}
	s, err := scanSource(ctx, src, in.Positions, sectorPnL, set.nSectors, set.normal(), set.normal() && in.Incremental)
	if err != nil {
		return nil, err
	}
	r, err := newReport(ctx, in, set, s, src)
	if _, ok := src.(*Window); ok {
		// The report keeps none of the sums (a Tracker keeps its scan).
		putVec(s.sumR)
		putVec(s.cross)
		putVec(s.sumR2)
	}
	return r, err
}

// scanSource runs a report's pass over src: the P&L, each sector's P&L
// with sectors, and with stats the sums of the delta-normal split (with
// squares, for incremental VaR, Σ r² too).
func scanSource(ctx context.Context, src source, positions []float64, sectors []int, nSectors int, stats, squares bool) (*scan, error) {
	if w, ok := src.(*Window); ok {
		return w.scan(ctx, positions, sectors, nSectors, stats, squares)
	}
	T, _ := src.dims()
	s := &scan{pnl: make([]float64, T), ends: days(src)}
	var sm *sectorMap
	if sectors != nil {
		s.sectorPnL = make([][]float64, nSectors)
		for j := range s.sectorPnL {
			s.sectorPnL[j] = make([]float64, T)
		}
		sm = newSectorMap(sectors, nSectors)
	}
	sums, err := pass(ctx, src, s.pnl, s.sectorPnL, positions, sm, stats, squares)
	if err != nil {
		return nil, err
	}
	s.sumR, s.sumR2, s.cross = sums.r, sums.r2, sums.cross
	return s, nil
}

// normal is whether the report has a delta-normal split, the only part
// of it that needs the per-instrument sums of a pass.
func (set settings) normal() bool {
	for _, w := range set.want {
		if w[0] {
			return true
		}
	}
	return false
}

// settings are a report's options with their defaults, validated.
type settings struct {
	levels []float64
	// want[j] are the splits at levels[j]: delta-normal VaR, historical
	// VaR, historical ES.
	want     [][3]bool
	horizons []int
	topN     int
	nSectors int
	// vec makes the report's vectors of N: newVec, or a recycler's, whose
	// values are the old report's.
	vec func(int) []float64
}

// newVec is a new zeroed vector of n.
func newVec(n int) []float64 { return make([]float64, n) }

// recycler hands out the vectors of N of a report being overwritten
// ([Window.ReportInto]), old values and all, then new ones; the report's
// workers ask for them concurrently.
type recycler struct {
	mu   sync.Mutex
	free [][]float64
}

// newRecycler collects r's vectors of N: each split's components,
// marginals and incremental VaR, once each (r.Contributions shares a
// split's).
func newRecycler(r *Report) *recycler {
	rc := &recycler{}
	seen := map[*float64]bool{}
	add := func(v []float64) {
		if cap(v) == 0 {
			return
		}
		if p := &v[:1][0]; !seen[p] {
			seen[p] = true
			rc.free = append(rc.free, v)
		}
	}
	adds := func(c Contributions) {
		add(c.Component)
		add(c.Marginal)
		add(c.Incremental)
	}
	adds(r.Contributions)
	for _, s := range r.Splits {
		adds(s.Contributions)
	}
	return rc
}

// vec is a vector of n, the old report's if one is long enough, with
// its old values: each user of settings.vec writes every element (the
// delta-normal split, the historical ES splits) or clears it first
// (the historical VaR splits, chunk by chunk while it is in cache).
func (rc *recycler) vec(n int) []float64 {
	rc.mu.Lock()
	for len(rc.free) > 0 {
		v := rc.free[len(rc.free)-1]
		rc.free = rc.free[:len(rc.free)-1]
		if cap(v) >= n {
			rc.mu.Unlock()
			return v[:n]
		}
	}
	rc.mu.Unlock()
	return make([]float64, n)
}

func (in ReportInput) settings() (settings, error) {
	set := settings{levels: in.Levels, horizons: in.Horizons, topN: in.TopN, nSectors: len(in.SectorNames), vec: newVec}
	if err := in.Historical.check(); err != nil {
		return settings{}, err
	}
	if len(set.levels) == 0 {
		set.levels = []float64{0.95, 0.99}
	}
	for _, c := range set.levels {
		if err := checkConfidence(c); err != nil {
			return settings{}, err
		}
	}
	set.want = make([][3]bool, len(set.levels))
	for j := range set.want {
		set.want[j] = [3]bool{len(in.Splits) == 0, len(in.Splits) == 0, len(in.Splits) == 0}
	}
	for _, k := range in.Splits {
		if !slices.Contains(set.levels, k.Confidence) {
			return settings{}, inputf("a split at %v, which is not one of the levels %v", k.Confidence, set.levels)
		}
		var m int
		switch {
		case k.Method == MethodDeltaNormal && k.Measure == MeasureVaR:
			m = 0
		case k.Method == MethodHistorical && k.Measure == MeasureVaR:
			m = 1
		case k.Method == MethodHistorical && k.Measure == MeasureES:
			m = 2
		default:
			return settings{}, inputf("no %v split of %v", k.Method, k.Measure)
		}
		for j, c := range set.levels {
			if c == k.Confidence {
				set.want[j][m] = true
			}
		}
	}
	if len(set.horizons) == 0 {
		set.horizons = []int{1, 5, 10}
	}
	for _, h := range set.horizons {
		if h < 1 {
			return settings{}, inputf("horizon %d days: need at least 1", h)
		}
	}
	if set.topN == 0 {
		set.topN = 20
	}
	if set.topN < 0 {
		return settings{}, inputf("negative TopN")
	}
	return set, nil
}

// newReport derives the report from the passes' results; the historical
// splits read the tail days' returns from src.
func newReport(ctx context.Context, in ReportInput, set settings, s *scan, src source) (*Report, error) {
	// Summed in SIMD lanes: a field of *r summed in a loop went through
	// memory, 0.2 ms at 50,000 instruments.
	r := &Report{PnL: s.pnl, Days: s.ends, SectorPnL: s.sectorPnL, Value: floats.Sum(in.Positions)}
	var err error
	if r.Figures, err = figures(s.pnl, set, in.Historical); err != nil {
		return nil, err
	}
	if err := r.split(ctx, in, s, set, src); err != nil {
		return nil, err
	}
	if r.WorstDay, r.WorstDayLoss, err = WorstDay(s.pnl); err != nil {
		return nil, err
	}
	if len(in.Scenarios) > 0 {
		// The positions and sectors were checked with the input.
		e := newExposure(in.Positions, in.Sectors, set.nSectors)
		for _, sc := range in.Scenarios {
			res, err := e.stress(sc)
			if err != nil {
				return nil, err
			}
			r.Stress = append(r.Stress, res)
		}
	}
	return r, ctx.Err()
}

// figures are VaR and ES at every level and horizon, levels first.
func figures(pnl []float64, set settings, opts HistoricalOptions) ([]Figure, error) {
	mo, err := MomentsOf(pnl)
	if err != nil {
		return nil, err
	}
	var out []Figure
	for _, c := range set.levels {
		v1, e1, err := Historical(pnl, c, opts)
		if err != nil {
			return nil, err
		}
		for _, h := range set.horizons {
			if h < 1 || h >= len(pnl) {
				return nil, inputf("horizon %d days for %d days of P&L", h, len(pnl))
			}
			f := Figure{Confidence: c, Horizon: h}
			window, err := Overlapping(pnl, h)
			if err != nil {
				return nil, err
			}
			if f.HistoricalVaR, f.HistoricalES, err = Historical(window, c, opts); err != nil {
				return nil, err
			}
			if f.NormalVaR, f.NormalES, err = Normal(0, mo.StdDev*math.Sqrt(float64(h)), c, ParametricOptions{}); err != nil {
				return nil, err
			}
			if f.ScaledVaR, err = ScaleSqrtH(v1, h); err != nil {
				return nil, err
			}
			if f.ScaledES, err = ScaleSqrtH(e1, h); err != nil {
				return nil, err
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// split fills Splits, and Contributions, BySector and Top from the
// delta-normal split at the highest level that has one. The sectors were
// checked with the input.
func (r *Report) split(ctx context.Context, in ReportInput, s *scan, set settings, src source) error {
	var levels []float64 // the levels with a historical split
	var which [][2]bool
	normal := false
	for j, c := range set.levels {
		if w := set.want[j]; w[1] || w[2] {
			levels = append(levels, c)
			which = append(which, [2]bool{w[1], w[2]})
		}
		normal = normal || set.want[j][0]
	}
	var hv, he []Contributions
	if len(levels) > 0 {
		var err error
		if hv, he, err = historicalSplits(s.pnl, in.Positions, src, levels, which, in.Historical, set.vec); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var np normalParts
	if normal {
		var err error
		if np, err = newNormalParts(s); err != nil {
			return err
		}
	}
	// The splits in report order, each made (delta-normal) and then cut
	// by sector and ranked on up to GOMAXPROCS workers: each is O(N).
	var jobs []func() (Contributions, error)
	h := 0 // the next historical level
	top := -1.0
	for j, c := range set.levels {
		if set.want[j][0] {
			jobs = append(jobs, func() (Contributions, error) { return np.split(in.Positions, c, set.vec) })
			top = max(top, c)
		}
		if h < len(levels) && levels[h] == c {
			v, e := hv[h], he[h]
			if set.want[j][1] {
				jobs = append(jobs, func() (Contributions, error) { return v, nil })
			}
			if set.want[j][2] {
				jobs = append(jobs, func() (Contributions, error) { return e, nil })
			}
			h++
		}
	}
	r.Splits = make([]Split, len(jobs))
	err := parallel(len(jobs), func(lo, hi int) error {
		for k := lo; k < hi; k++ {
			c, err := jobs[k]()
			if err != nil {
				return err
			}
			sp := Split{Contributions: c}
			if sp.Top, err = c.top(set.topN); err != nil {
				return err
			}
			if in.Sectors != nil {
				if sp.BySector, err = c.sectorSums(in.Sectors, set.nSectors); err != nil {
					return err
				}
			}
			r.Splits[k] = sp
		}
		return nil
	})
	if err != nil {
		return err
	}
	if top >= 0 {
		sp, _ := r.Split(MethodDeltaNormal, MeasureVaR, top)
		r.Contributions, r.BySector, r.Top = sp.Contributions, sp.BySector, sp.Top
	}
	return nil
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
