package risk

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
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
	if err := opts.check(); err != nil {
		return nil, nil, err
	}
	if n < 1 || scenario == nil {
		return nil, nil, inputf("%d instruments and a scenario function are needed", n)
	}
	if len(pnl) < 2 {
		return nil, nil, inputf("%d P&L observations: need at least 2", len(pnl))
	}
	if err := checkFinite("P&L observation", pnl); err != nil {
		return nil, nil, err
	}
	if len(levels) == 0 {
		return nil, nil, inputf("no confidence levels")
	}
	for _, c := range levels {
		if err := checkConfidence(c); err != nil {
			return nil, nil, err
		}
	}
	T := len(pnl)
	// desc ranks the scenarios from the largest loss (smallest P&L) down,
	// ties by index; losses holds the same values ascending, as Historical
	// sorts them.
	desc := make([]int, T)
	for s := range desc {
		desc[s] = s
	}
	slices.SortFunc(desc, func(a, b int) int { return cmp.Or(cmp.Compare(pnl[a], pnl[b]), cmp.Compare(a, b)) })
	losses := make([]float64, T)
	for r, s := range desc {
		losses[T-1-r] = -pnl[s]
	}

	// Each split is a list of (rank, weight); ES splits use a prefix of the
	// ranks, with one fractional weight at its end.
	type split struct {
		out   *Contributions
		ranks []int
		w     []float64
		// es: the ⌊m⌋ whole ranks share the weight 1/m and are summed
		// from the running prefix; ranks then holds only the boundary.
		es    bool
		whole int
		m     float64
	}
	VaR = make([]Contributions, len(levels))
	ES = make([]Contributions, len(levels))
	splits := make([]split, 0, 2*len(levels))
	maxRank := 0
	for j, c := range levels {
		v, e, err := historicalSorted(losses, c, opts.Quantile)
		if err != nil {
			return nil, nil, err
		}
		VaR[j] = Contributions{Method: MethodHistorical, Measure: MeasureVaR, Confidence: c, Quantile: opts.Quantile, Total: v, Component: make([]float64, n)}
		ES[j] = Contributions{Method: MethodHistorical, Measure: MeasureES, Confidence: c, Quantile: opts.Quantile, Total: e, Component: make([]float64, n)}

		sv := split{out: &VaR[j]}
		if opts.Quantile == Type1 {
			k := int(math.Ceil(snap(float64(T) * (1 - c))))
			sv.ranks, sv.w = []int{min(max(k, 1), T) - 1}, []float64{1}
		} else {
			h := snap(float64(T-1) * c)
			lo := int(math.Floor(h))
			if f := h - float64(lo); lo >= T-1 || f == 0 {
				sv.ranks, sv.w = []int{T - 1 - min(lo, T-1)}, []float64{1}
			} else {
				// ascending position lo is rank T−1−lo.
				sv.ranks, sv.w = []int{T - 1 - lo, T - 2 - lo}, []float64{1 - f, f}
			}
		}
		splits = append(splits, sv)

		se := split{out: &ES[j], es: true}
		m := snap(float64(T) * (1 - c))
		if m < 1e-12 {
			se.es = false
			se.ranks, se.w = []int{0}, []float64{1}
		} else {
			se.whole, se.m = int(math.Floor(m)), m
			if frac := m - float64(se.whole); frac > 0 {
				se.ranks, se.w = []int{se.whole}, []float64{frac / m}
			}
			maxRank = max(maxRank, se.whole)
		}
		splits = append(splits, se)
		for _, r := range se.ranks {
			maxRank = max(maxRank, r)
		}
		for _, r := range sv.ranks {
			maxRank = max(maxRank, r)
		}
	}
	for i := range splits {
		sp := &splits[i]
		if sp.es {
			for r := range sp.whole {
				sp.out.Scenarios = append(sp.out.Scenarios, ScenarioWeight{desc[r], 1 / sp.m})
			}
		}
		for k, r := range sp.ranks {
			sp.out.Scenarios = append(sp.out.Scenarios, ScenarioWeight{desc[r], sp.w[k]})
		}
	}
	ranks := maxRank + 1 // scenarios desc[0..maxRank] are read

	// Instruments are processed in chunks that fit in cache, on up to
	// GOMAXPROCS workers; each chunk reads its slice of every tail scenario
	// once, keeping the running sum over ranks that ES needs.
	const chunk = 2048
	chunks := (n + chunk - 1) / chunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	sums := make([][]float64, workers) // per worker: Σ and Σ|·| of each rank's instrument P&L
	errs := make([]error, workers)
	var next atomic.Int64
	take := func() int { return int(next.Add(1) - 1) }
	// ES splits by the number of whole ranks they average, so that one
	// running sum serves them all.
	esOrder := make([]*split, 0, len(levels))
	for i := range splits {
		if splits[i].es {
			esOrder = append(esOrder, &splits[i])
		}
	}
	slices.SortFunc(esOrder, func(a, b *split) int { return cmp.Compare(a.whole, b.whole) })
	maxWhole := 0
	if len(esOrder) > 0 {
		maxWhole = esOrder[len(esOrder)-1].whole
	}
	var wg sync.WaitGroup
	for w := range workers {
		sums[w] = make([]float64, 2*ranks)
		wg.Go(func() {
			buf := make([]float64, chunk*ranks)
			acc := make([]float64, chunk)
			for c := take(); c < chunks; c = take() {
				from := c * chunk
				size := min(chunk, n-from)
				acc := acc[:size]
				clear(acc)
				next := 0 // the next ES split in esOrder
				for r := range ranks {
					// acc = Σ_{r'<r} P&L_r': the ES splits that average
					// the r worst scenarios take it now.
					for ; next < len(esOrder) && esOrder[next].whole == r; next++ {
						sp := esOrder[next]
						comp := sp.out.Component[from : from+size]
						for i, v := range acc {
							comp[i] = -v / sp.m
						}
					}
					b := buf[r*chunk : r*chunk+size]
					if err := scenario(b, desc[r], from); err != nil {
						errs[w] = err
						return
					}
					// Sums of the P&L and of its magnitude: a NaN or an
					// infinity anywhere makes them non-finite.
					var s, g float64
					if r < maxWhole {
						for i, v := range b {
							s += v
							g += math.Abs(v)
							acc[i] += v
						}
					} else {
						for _, v := range b {
							s += v
							g += math.Abs(v)
						}
					}
					if !finite(s, g) {
						for i, v := range b {
							if !finite(v) {
								errs[w] = inputf("scenario %d: the P&L of instrument %d is %v", desc[r], from+i, v)
								return
							}
						}
						errs[w] = overflow(fmt.Sprintf("the sum of the instruments' P&L on scenario %d", desc[r]))
						return
					}
					sums[w][2*r] += s
					sums[w][2*r+1] += g
				}
				for _, sp := range splits {
					comp := sp.out.Component[from : from+size]
					for k, r := range sp.ranks {
						wk := sp.w[k]
						for i, v := range buf[r*chunk : r*chunk+size] {
							comp[i] -= wk * v
						}
					}
					// v·0 is 0 for a finite v, NaN otherwise.
					z := 0.0
					for _, v := range comp {
						z += v * 0
					}
					if z != 0 {
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
			return nil, nil, err
		}
	}
	for r := range ranks {
		s, g := 0.0, 0.0
		for w := range workers {
			s += sums[w][2*r]
			g += sums[w][2*r+1]
		}
		p := pnl[desc[r]]
		if math.Abs(s-p) > 1e-9*max(g, math.Abs(p)) || !finite(s, g) {
			return nil, nil, inputf("scenario %d: the instruments' P&L add up to %v, the portfolio's P&L is %v", desc[r], s, p)
		}
	}
	return VaR, ES, nil
}
