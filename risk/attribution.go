package risk

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/floats"
)

// ScenarioWeight is one historical scenario of a VaR or ES and its weight:
// the figure is −Σ Weight·P&L(Scenario) over the weights of a split.
type ScenarioWeight struct {
	Scenario int // index into the P&L series
	Weight   float64
}

// ScenarioFunc writes into dst the P&L of instruments from, from+1, …,
// from+len(dst)−1 on scenario s, an index into the portfolio's P&L series.
// The P&L of all instruments on a scenario must add up to the portfolio's
// P&L on it. [HistoricalContributions] calls it concurrently for disjoint
// instrument ranges, and only for the few tail scenarios it needs.
type ScenarioFunc func(dst []float64, s, from int) error

// HistoricalContributions splits the historical VaR and ES of a portfolio
// among its n instruments, at every confidence level, exactly: the
// components of each split add up to the figure [Historical] gives for pnl
// (1e-9 relative in the tests), for both quantile types. pnl is the
// portfolio's P&L per scenario (day), scenario gives the instruments' P&L
// on a scenario; the function sorts pnl once, asks scenario only for the
// tail scenarios the figures use (a few percent of them) and never forms a
// scenarios × instruments or instruments × instruments matrix. It returns
// one VaR and one ES split per level, in the order of levels.
//
// # Estimator
//
// A historical VaR or ES is a weighted sum of scenario losses, and the
// component of instrument i is the same weighted sum of its own losses
// (Euler allocation of a figure that is, locally, linear in the positions;
// Tasche 2000, Hallerbach 2003):
//
//   - VaR, Type1: the loss of the ⌈n(1−c)⌉-th worst scenario, weight 1.
//   - VaR, Type7: the two order statistics h = (n−1)c lies between, with
//     weights 1 − (h − ⌊h⌋) and h − ⌊h⌋.
//   - ES (Acerbi–Tasche): weight 1/m on each of the ⌊m⌋ worst scenarios
//     and (m − ⌊m⌋)/m on the next, m = n(1−c).
//
// Scenarios with equal portfolio P&L are ranked by index, so the split is
// deterministic. The weights are in Contributions.Scenarios.
//
// # Noise
//
// A VaR contribution rests on one or two scenarios: it is each instrument's
// P&L on the day that happens to be the quantile, and moves a lot when
// another day takes that rank. ES contributions average ⌈m⌉ scenarios (13 at
// 95% over 252 days) and are far more stable; prefer them for rankings and
// limits, and treat single-day VaR contributions as indicative.
//
// # Errors
//
// Fewer than two scenarios, P&L that is not finite, n < 1, a nil scenario,
// a confidence outside [0.5, 1), an unknown quantile type, instrument P&L
// that is not finite or does not add up to the portfolio's P&L on its
// scenario (1e-9 relative to the gross P&L) wrap [ErrInput]; an error from
// scenario is returned as it is.
func HistoricalContributions(pnl []float64, n int, scenario ScenarioFunc, levels []float64, opts HistoricalOptions) (VaR, ES []Contributions, err error) {
	if scenario == nil {
		return nil, nil, inputf("a scenario function is needed")
	}
	p, err := planAttribution(pnl, n, levels, nil, opts, newVec)
	if err != nil {
		return nil, nil, err
	}
	sums, err := attribute(p.splits, p.tail, n, scenario)
	if err != nil {
		return nil, nil, err
	}
	for r, s := range p.tail {
		sum, gross, v := sums[2*r], sums[2*r+1], pnl[s]
		if math.Abs(sum-v) > 1e-9*max(gross, math.Abs(v)) || !finite(sum, gross) {
			return nil, nil, inputf("scenario %d: the instruments' P&L add up to %v, the portfolio's P&L is %v", s, sum, v)
		}
	}
	return p.VaR, p.ES, nil
}

// attrPlan is what a historical split needs before it reads a scenario:
// the figures, the splits' ranks and weights, and the tail scenarios
// desc[0..maxRank] that hold them, worst first.
type attrPlan struct {
	VaR, ES []Contributions
	splits  []attrSplit
	tail    []int
}

// planAttribution validates HistoricalContributions' input (but the
// scenario function), sorts pnl once and lays out the splits: at level j,
// the VaR split if which[j][0] and the ES split if which[j][1] (both if
// which is nil). A split left out keeps its Total and has no Component.
func planAttribution(pnl []float64, n int, levels []float64, which [][2]bool, opts HistoricalOptions, vec func(int) []float64) (*attrPlan, error) {
	if err := checkAttribution(pnl, n, levels, opts); err != nil {
		return nil, err
	}
	desc, losses := rankScenarios(pnl)
	p := &attrPlan{VaR: make([]Contributions, len(levels)), ES: make([]Contributions, len(levels)), splits: make([]attrSplit, 0, 2*len(levels))}
	for j, c := range levels {
		v, e, err := historicalSorted(losses, c, opts.Quantile)
		if err != nil {
			return nil, err
		}
		p.VaR[j] = Contributions{Method: MethodHistorical, Measure: MeasureVaR, Confidence: c, Quantile: opts.Quantile, Total: v}
		p.ES[j] = Contributions{Method: MethodHistorical, Measure: MeasureES, Confidence: c, Quantile: opts.Quantile, Total: e}
		if which == nil || which[j][0] {
			p.VaR[j].Component = vec(n)
			p.splits = append(p.splits, varSplit(&p.VaR[j], len(pnl), c, opts.Quantile))
		}
		if which == nil || which[j][1] {
			p.ES[j].Component = vec(n)
			p.splits = append(p.splits, esSplit(&p.ES[j], len(pnl), c))
		}
	}
	maxRank := 0
	for i := range p.splits {
		sp := &p.splits[i]
		if sp.es {
			for r := range sp.whole {
				sp.out.Scenarios = append(sp.out.Scenarios, ScenarioWeight{desc[r], 1 / sp.m})
			}
			maxRank = max(maxRank, sp.whole)
		}
		for k, r := range sp.ranks {
			sp.out.Scenarios = append(sp.out.Scenarios, ScenarioWeight{desc[r], sp.w[k]})
			maxRank = max(maxRank, r)
		}
	}
	p.tail = desc[:maxRank+1]
	return p, nil
}

func checkAttribution(pnl []float64, n int, levels []float64, opts HistoricalOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	if n < 1 {
		return inputf("%d instruments: need at least 1", n)
	}
	if len(pnl) < 2 {
		return inputf("%d P&L observations: need at least 2", len(pnl))
	}
	if err := checkFinite("P&L observation", pnl); err != nil {
		return err
	}
	if len(levels) == 0 {
		return inputf("no confidence levels")
	}
	for _, c := range levels {
		if err := checkConfidence(c); err != nil {
			return err
		}
	}
	return nil
}

// rankScenarios ranks the scenarios from the largest loss (smallest P&L)
// down, ties by index; losses holds the same values ascending, as
// Historical sorts them.
func rankScenarios(pnl []float64) (desc []int, losses []float64) {
	T := len(pnl)
	desc = make([]int, T)
	for s := range desc {
		desc[s] = s
	}
	slices.SortFunc(desc, func(a, b int) int { return cmp.Or(cmp.Compare(pnl[a], pnl[b]), cmp.Compare(a, b)) })
	losses = make([]float64, T)
	for r, s := range desc {
		losses[T-1-r] = -pnl[s]
	}
	return desc, losses
}

// attrSplit is one split as a list of (rank, weight); ES splits use a
// prefix of the ranks, with one fractional weight at its end.
type attrSplit struct {
	out   *Contributions
	ranks []int
	w     []float64
	// es: the ⌊m⌋ whole ranks share the weight 1/m and are summed from
	// the running prefix; ranks then holds only the boundary.
	es    bool
	whole int
	m     float64
}

// varSplit is the split of a VaR over T scenarios at confidence c.
func varSplit(out *Contributions, T int, c float64, q Quantile) attrSplit {
	sv := attrSplit{out: out}
	if q == Type1 {
		k := int(math.Ceil(snap(float64(T) * (1 - c))))
		sv.ranks, sv.w = []int{min(max(k, 1), T) - 1}, []float64{1}
		return sv
	}
	h := snap(float64(T-1) * c)
	lo := int(math.Floor(h))
	if f := h - float64(lo); lo >= T-1 || f == 0 {
		sv.ranks, sv.w = []int{T - 1 - min(lo, T-1)}, []float64{1}
	} else {
		// ascending position lo is rank T−1−lo.
		sv.ranks, sv.w = []int{T - 1 - lo, T - 2 - lo}, []float64{1 - f, f}
	}
	return sv
}

// esSplit is the split of an ES over T scenarios at confidence c.
func esSplit(out *Contributions, T int, c float64) attrSplit {
	se := attrSplit{out: out, es: true}
	m := snap(float64(T) * (1 - c))
	if m < 1e-12 {
		se.es = false
		se.ranks, se.w = []int{0}, []float64{1}
		return se
	}
	se.whole, se.m = int(math.Floor(m)), m
	if frac := m - float64(se.whole); frac > 0 {
		se.ranks, se.w = []int{se.whole}, []float64{frac / m}
	}
	return se
}

// attrChunk is the number of instruments a worker attributes at a time:
// its slice of every tail scenario (64 KB each) fits in L2 at the usual
// tail sizes, and long slices keep the prefetchers streaming: in
// BenchmarkReportParts/historical, chunks of 8,192 took 0.85× the time
// of chunks of 2,048 (16,384: 0.88×).
const attrChunk = 8192

// attribute fills the splits' components from the tail scenarios tail
// (desc[0..ranks−1]), in chunks of instruments on up to GOMAXPROCS
// workers; each chunk reads its slice of every tail scenario once, keeping
// the running sum over ranks that ES needs. It returns, per rank, the sum
// of the instruments' P&L and of its magnitude.
func attribute(splits []attrSplit, tail []int, n int, scenario ScenarioFunc) ([]float64, error) {
	ranks := len(tail)
	chunks := (n + attrChunk - 1) / attrChunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	sums := make([][]float64, workers) // per worker: Σ and Σ|·| of each rank's instrument P&L
	errs := make([]error, workers)
	var next atomic.Int64
	// ES splits by the number of whole ranks they average, so that one
	// running sum serves them all.
	var esOrder []*attrSplit
	for i := range splits {
		if splits[i].es {
			esOrder = append(esOrder, &splits[i])
		}
	}
	slices.SortFunc(esOrder, func(a, b *attrSplit) int { return cmp.Compare(a.whole, b.whole) })
	var wg sync.WaitGroup
	for w := range workers {
		sums[w] = make([]float64, 2*ranks)
		wg.Go(func() {
			c := attrChunker{splits: splits, esOrder: esOrder, tail: tail, scenario: scenario, sums: sums[w],
				buf: make([]float64, attrChunk*ranks), acc: make([]float64, attrChunk)}
			for k := int(next.Add(1) - 1); k < chunks; k = int(next.Add(1) - 1) {
				if errs[w] = c.chunk(k*attrChunk, min(attrChunk, n-k*attrChunk)); errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, s := range sums[1:] {
		for i, v := range s {
			sums[0][i] += v
		}
	}
	return sums[0], nil
}

// attrChunker is one worker of attribute, with its buffers.
type attrChunker struct {
	splits   []attrSplit
	esOrder  []*attrSplit // the ES splits by whole ranks
	tail     []int
	scenario ScenarioFunc
	sums     []float64
	buf, acc []float64
}

// chunk attributes instruments from, …, from+size−1.
func (c *attrChunker) chunk(from, size int) error {
	acc := c.acc[:size]
	clear(acc)
	maxWhole := 0
	if len(c.esOrder) > 0 {
		maxWhole = c.esOrder[len(c.esOrder)-1].whole
	}
	next := 0 // the next ES split in esOrder
	for r, s := range c.tail {
		// acc = Σ_{r'<r} P&L_r': the ES splits that average the r worst
		// scenarios take it now.
		for ; next < len(c.esOrder) && c.esOrder[next].whole == r; next++ {
			sp := c.esOrder[next]
			comp := sp.out.Component[from : from+size]
			for i, v := range acc {
				comp[i] = -v / sp.m
			}
		}
		b := c.buf[r*attrChunk : r*attrChunk+size]
		if err := c.scenario(b, s, from); err != nil {
			return err
		}
		// Sums of the P&L and of its magnitude: a NaN or an infinity
		// anywhere makes them non-finite.
		var sum, gross float64
		if r < maxWhole {
			for i, v := range b {
				sum += v
				gross += math.Abs(v)
				acc[i] += v
			}
		} else {
			for _, v := range b {
				sum += v
				gross += math.Abs(v)
			}
		}
		if !finite(sum, gross) {
			for i, v := range b {
				if !finite(v) {
					return inputf("scenario %d: the P&L of instrument %d is %v", s, from+i, v)
				}
			}
			return overflow(fmt.Sprintf("the sum of the instruments' P&L on scenario %d", s))
		}
		c.sums[2*r] += sum
		c.sums[2*r+1] += gross
	}
	for _, sp := range c.splits {
		comp := sp.out.Component[from : from+size]
		for k, r := range sp.ranks {
			wk := sp.w[k]
			for i, v := range c.buf[r*attrChunk : r*attrChunk+size] {
				comp[i] -= wk * v
			}
		}
		if !allFinite(comp) {
			return overflow("a component")
		}
	}
	return nil
}

// ones are the weights of addRows: adding a row by a fused multiply-add
// with 1 is the plain addition.
var ones = [8]float64{1, 1, 1, 1, 1, 1, 1, 1}

// addRows pads a group with zeros, which holds maxTile values: a chunk
// must not be longer (a negative constant does not compile).
const _ = uint(maxTile - attrChunk)

// addRows adds the rows (each at least len(acc) long) into acc, one after
// another, eight per pass over acc: acc[i] + rows[0][i] + rows[1][i] + …,
// the same bits as adding them one by one, with eight streams from memory
// in flight instead of one.
func addRows(acc []float64, rows [][]float64) {
	for len(rows) > 0 {
		var group [8][]float64
		p := ones
		for d := range group {
			if d < len(rows) {
				group[d] = rows[d]
			} else {
				group[d], p[d] = zeros[:len(acc)], 0
			}
		}
		addDays8(acc, &group, &p)
		rows = rows[min(8, len(rows)):]
	}
}

// historicalSplits is [HistoricalContributions] for a report, with the
// splits which asks for (see planAttribution): the
// instruments' P&L on a tail scenario is position × return, read from
// src (a window's stored row, or divided from prices). Component i of a
// split with weights w_r over the tail scenarios s_r is then
// −x_i · Σ_r w_r·r_i(s_r): the weighted returns are summed first and
// multiplied by the position once. The pass has already checked every
// return and each day's P&L (finite P&L means every position × return
// is finite), so the instruments' P&L need not be added up against the
// portfolio's as HistoricalContributions does for a caller's function.
func historicalSplits(pnl, positions []float64, src source, levels []float64, which [][2]bool, opts HistoricalOptions, vec func(int) []float64) (VaR, ES []Contributions, err error) {
	p, err := planAttribution(pnl, len(positions), levels, which, opts, vec)
	if err != nil {
		return nil, nil, err
	}
	if err := attributeReturns(p.splits, p.tail, positions, src); err != nil {
		return nil, nil, err
	}
	return p.VaR, p.ES, nil
}

// attributeReturns fills the splits' components from src's returns on the
// tail scenarios, in chunks of attrChunk instruments on up to GOMAXPROCS
// workers: each chunk reads its slice of every tail day once, adding it
// into the running sum the ES splits share.
func attributeReturns(splits []attrSplit, tail []int, positions []float64, src source) error {
	n := len(positions)
	chunks := (n + attrChunk - 1) / attrChunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	var esOrder []*attrSplit
	for i := range splits {
		if splits[i].es {
			esOrder = append(esOrder, &splits[i])
		}
	}
	slices.SortFunc(esOrder, func(a, b *attrSplit) int { return cmp.Compare(a.whole, b.whole) })
	errs := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var buf []float64
			if src.buffer() != nil { // returns are computed: one buffer per tail day
				buf = make([]float64, attrChunk*len(tail))
			}
			rows := make([][]float64, len(tail))
			acc := make([]float64, min(attrChunk, n))
			for k := int(next.Add(1) - 1); k < chunks; k = int(next.Add(1) - 1) {
				from := k * attrChunk
				size := min(attrChunk, n-from)
				acc := acc[:size]
				clear(acc)
				for r, s := range tail {
					var dst []float64
					if buf != nil {
						dst = buf[r*attrChunk : r*attrChunk+size]
					}
					rows[r] = src.span(dst, s, from, size)
				}
				// acc = Σ_{r'<r} r(s_r'), up to each ES split's whole
				// ranks, where the split takes it, divided by m.
				r, es := 0, 0 // the next row to add, the next ES split
				for es < len(esOrder) {
					stop := esOrder[es].whole
					addRows(acc, rows[r:stop])
					r = stop
					for ; es < len(esOrder) && esOrder[es].whole == r; es++ {
						sp := esOrder[es]
						floats.ScaleTo(sp.out.Component[from:from+size], 1/sp.m, acc)
					}
				}
				for _, sp := range splits {
					comp := sp.out.Component[from : from+size]
					if !sp.es {
						clear(comp) // a reused vector holds an old report's values
					}
					for j, r := range sp.ranks {
						floats.AddScaled(comp, sp.w[j], rows[r])
					}
					x := positions[from : from+size]
					for i, v := range comp {
						comp[i] = -x[i] * v
					}
					if !allFinite(comp) {
						errs[w] = overflow("a component")
						return
					}
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
