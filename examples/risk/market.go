package main

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/dashkit/dashkit/internal/tools/riskdata"
	"github.com/dashkit/dashkit/risk"
)

var sectorNames = []string{"Energy", "Materials", "Industrials", "Consumer Disc.", "Consumer Staples", "Health Care", "Financials", "Technology", "Communication", "Utilities", "Real Estate"}

// market is a synthetic, correlated market of n instruments in 11 sectors:
// a window of the last `days` daily prices that moves one day every tick.
// It starts from riskdata's seeded history and continues the same random
// walk, so a run is reproducible from its seed. The returns live in a
// risk.Window: a tick pushes one day (n divisions) instead of recomputing
// every return of the window.
//
// Once aligned (see align), the market ticks at the start of every refresh
// interval of the dashboard, the intervals the dashboard's updates are of:
// whoever reads it first in an interval (a panel's computation, or run)
// moves it, so every update computed for an interval shows that
// interval's market. (It used to tick on a clock of its own, started with
// the process: a panel computed at the start of an interval could read the
// market before or after its tick, so two intervals' updates could be the
// same and the second was never sent.)
type market struct {
	n, days int
	sectors []int

	mu     sync.RWMutex
	window *risk.Window      // the returns of the last days−1 days
	report *risk.Tracker     // the positions' report on the window; used under memoMu
	inputs risk.MatrixInputs // the sector matrix's liquidity and credit inputs; read only
	last   []float64         // the newest prices
	tick   int64
	day    int64 // the day number of the window's last row
	rng    *rand.Rand

	// clockMu serialises ticks by the clock; every is the refresh
	// interval once aligned (zero: the market moves only by advance), and
	// interval the one whose tick the market has had.
	clockMu  sync.Mutex
	every    time.Duration
	interval int64

	// persist, when set, stores each new day (PostgreSQL mode).
	persist func(day int64, prices []float64) error

	positions []float64

	memoMu sync.Mutex
	memo   *snapshot
}

// newMarket is the market on riskdata's seeded history, which is always
// valid: an error building its window is a bug, so it panics.
func newMarket(n, days int, seed uint64) *market {
	data, _ := riskdata.Prices(days, n, seed)
	m, err := newMarketOn(data, n, days, seed)
	if err != nil {
		panic("risk example: the synthetic market: " + err.Error())
	}
	return m
}

// newMarketOn is the market on a history of days × n prices, oldest first.
func newMarketOn(data []float64, n, days int, seed uint64) (*market, error) {
	_, sectors := riskdata.Prices(1, n, seed)
	w, err := risk.NewWindow(context.Background(), mat.NewDense(days, n, data), risk.MissingError)
	if err != nil {
		return nil, err
	}
	m := &market{n: n, days: days, sectors: sectors, window: w, last: slices.Clone(data[(days-1)*n:]), rng: rand.New(rand.NewPCG(seed, 77)), day: int64(days - 1)}
	// Positions: long-biased with some shorts, sized in dollars.
	m.positions = make([]float64, n)
	for i := range m.positions {
		m.positions[i] = (m.rng.Float64()*1.3 - 0.3) * 2_000_000 / math.Sqrt(float64(n)/1000)
	}
	m.inputs = matrixInputs(n, m.positions)
	// The positions do not change: a tracker updates the report's P&L and
	// sums by the pushed and the dropped day instead of a pass per tick.
	m.report, err = w.Track(risk.ReportInput{
		Positions: m.positions,
		Sectors:   m.sectors, SectorNames: sectorNames,
		Levels: []float64{0.95, 0.975, 0.99}, Horizons: []int{1, 10},
		// The panels show one split, the historical ES at 97.5%, and no
		// sector's daily P&L.
		Splits:        []risk.SplitKind{{Method: risk.MethodHistorical, Measure: risk.MeasureES, Confidence: 0.975}},
		SkipSectorPnL: true,
		Scenarios:     scenarios(),
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// advance moves the market one day; in PostgreSQL mode the new day is
// stored too.
func (m *market) advance() error {
	row, day, err := m.move()
	if err != nil {
		return err
	}
	if m.persist != nil {
		return m.persist(day, row)
	}
	return nil
}

// move draws the next day's prices and pushes them into the window.
func (m *market) move() ([]float64, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	next := make([]float64, m.n)
	mkt := 0.01 * m.rng.NormFloat64()
	sec := make([]float64, riskdata.Sectors)
	for j := range sec {
		sec[j] = 0.007 * m.rng.NormFloat64()
	}
	for i := range next {
		next[i] = m.last[i] * math.Exp(mkt+sec[m.sectors[i]]+0.012*m.rng.NormFloat64())
	}
	if err := m.window.Push(next); err != nil {
		return nil, 0, err
	}
	m.last = next
	m.tick++
	m.day++
	return next, m.day, nil
}

// align makes the market tick at the start of every interval of every
// (the dashboard's refresh interval) from now on, counting the interval
// that holds now as had.
func (m *market) align(every time.Duration, now time.Time) {
	m.clockMu.Lock()
	defer m.clockMu.Unlock()
	m.every = every
	m.interval = now.UnixNano() / int64(every)
}

// catchUp gives an aligned market the ticks of the intervals that started
// up to now (at most a window's worth: older days would leave the window
// anyway); an unaligned one is left alone.
func (m *market) catchUp(now time.Time) {
	m.clockMu.Lock()
	defer m.clockMu.Unlock()
	if m.every <= 0 {
		return
	}
	target := now.UnixNano() / int64(m.every)
	for n := min(target-m.interval, int64(m.days)); n > 0; n-- {
		if err := m.advance(); err != nil {
			slog.Default().Error("market: store the new day", "error", err)
		}
	}
	m.interval = max(m.interval, target)
}

// run ticks an aligned market at the start of every interval, whether or
// not a panel reads it, until ctx ends.
func (m *market) run(ctx context.Context) {
	m.clockMu.Lock()
	every := m.every
	m.clockMu.Unlock()
	if every <= 0 {
		return
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		m.catchUp(now)
		next := time.Unix(0, (now.UnixNano()/int64(every)+1)*int64(every))
		t.Reset(next.Sub(now))
	}
}

// snapshot is everything the panels show for one tick.
type snapshot struct {
	tick     int64
	step     time.Duration // how long a tick is: the refresh interval
	report   *risk.Report
	timeline timeline
	backtest risk.Backtest
	matrix   [][]float64
	// split is what the contributors table and the heatmap's Market
	// column decompose: the one-day historical ES at 97.5%, the figure of
	// the ES card, so the contributions add up to it.
	split risk.Split
	// before is what the previous snapshot showed, for the cards' trends:
	// the figures viewers saw at the last update, not a recomputation.
	before *shown
}

// shown is what a snapshot's cards showed.
type shown struct {
	tick         int64
	var99, es975 float64
}

func (s *snapshot) shown() *shown {
	v, _ := s.report.Figure(0.99, 1)
	e, _ := s.report.Figure(0.975, 1)
	return &shown{tick: s.tick, var99: v.HistoricalVaR, es975: e.HistoricalES}
}

// current returns the snapshot of the current tick, computing it once per
// tick however many panels ask; an aligned market first has the ticks of
// the intervals started since it last ticked.
func (m *market) current(ctx context.Context) (*snapshot, error) {
	m.catchUp(time.Now())
	m.clockMu.Lock()
	step := cmp.Or(m.every, refresh)
	m.clockMu.Unlock()
	m.memoMu.Lock()
	defer m.memoMu.Unlock()
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.memo != nil && m.memo.tick == m.tick {
		return m.memo, nil
	}
	rep, err := m.report.Report(ctx)
	if err != nil {
		return nil, err
	}
	tl, err := rollingVaR(rep.PnL, min(100, len(rep.PnL)/2))
	if err != nil {
		return nil, err
	}
	bt, err := risk.BacktestVaR(rep.PnL[len(rep.PnL)-len(tl.var99):], tl.var99, 0.99)
	if err != nil {
		return nil, err
	}
	split, ok := rep.Split(risk.MethodHistorical, risk.MeasureES, 0.975)
	if !ok {
		return nil, fmt.Errorf("risk example: the report has no historical ES split at 97.5%%")
	}
	mx, err := risk.SectorMatrix(split.Contributions, m.positions, m.sectors, len(sectorNames), m.inputs)
	if err != nil {
		return nil, err
	}
	next := &snapshot{tick: m.tick, step: step, report: rep, timeline: tl, backtest: bt, matrix: mx, split: split}
	if m.memo != nil {
		next.before = m.memo.shown()
	}
	m.memo = next
	return m.memo, nil
}

// timeline is the 95% and 99% one-day historical VaR forecast for each day,
// from the trailing window before it.
type timeline struct {
	var95, var99 []float64
}

func rollingVaR(pnl []float64, window int) (timeline, error) {
	v, _, err := risk.RollingHistorical(pnl, window, []float64{0.95, 0.99}, risk.HistoricalOptions{})
	if err != nil {
		return timeline{}, err
	}
	return timeline{var95: v[0], var99: v[1]}, nil
}

func scenarios() []risk.Scenario {
	return []risk.Scenario{
		{Name: "Equity crash −20%", All: -0.20},
		{Name: "Energy shock −35%", BySector: map[int]float64{0: -0.35}},
		{Name: "Rates up: financials −15%, real estate −25%", BySector: map[int]float64{6: -0.15, 10: -0.25}},
		{Name: "Tech sell-off −30%", BySector: map[int]float64{7: -0.30, 8: -0.15}},
		{Name: "Rally +10%", All: 0.10},
	}
}

// matrixInputs are synthetic liquidity and credit inputs, derived from the
// instrument index so they are stable, and operational scores per sector.
func matrixInputs(n int, positions []float64) risk.MatrixInputs {
	in := risk.MatrixInputs{ADV: make([]float64, n), EAD: make([]float64, n), PD: make([]float64, n), LGD: make([]float64, n)}
	for i := range n {
		in.ADV[i] = 5e5 + float64((i*7919)%100)*2e5
		in.EAD[i] = math.Abs(positions[i])
		in.PD[i] = 0.002 + float64((i*104729)%50)*0.0004
		in.LGD[i] = 0.45
	}
	in.Operational = []float64{3, 2, 2, 1, 1, 2, 4, 3, 2, 1, 2}
	return in
}
