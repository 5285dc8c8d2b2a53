package risk

import (
	"context"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// ReturnKind is how a return is computed from two prices.
type ReturnKind int

// The return kinds. The zero value is Simple.
const (
	// Simple is P(t)/P(t−1) − 1: P&L of a position is position × return.
	Simple ReturnKind = iota
	// Log is ln(P(t)/P(t−1)): additive over time.
	Log
)

// MissingPolicy says what a missing price (NaN) does. Zero, negative and
// infinite prices are always errors.
type MissingPolicy int

// The policies. The zero value is MissingError. There is no forward fill:
// a stale price silently hides risk.
const (
	// MissingError fails with a [*PriceError] naming instrument and day.
	MissingError MissingPolicy = iota
	// MissingDropDay drops every day on which any instrument's price is
	// missing, for all instruments; returns then span the remaining
	// consecutive days.
	MissingDropDay
)

// usableDays returns the indices of the days the policy keeps, or a
// *PriceError for the first bad price.
func usableDays(prices *mat.Dense, policy MissingPolicy) ([]int, error) {
	days, n := prices.Dims()
	raw := prices.RawMatrix()
	keep := make([]int, 0, days)
	for t := range days {
		row := raw.Data[t*raw.Stride : t*raw.Stride+n]
		missing := false
		for i, p := range row {
			switch {
			case math.IsNaN(p):
				if policy == MissingError {
					return nil, &PriceError{Instrument: i, Day: t, Value: p}
				}
				missing = true
			case !(p > 0) || math.IsInf(p, 0):
				return nil, &PriceError{Instrument: i, Day: t, Value: p}
			}
		}
		if !missing {
			keep = append(keep, t)
		}
	}
	return keep, nil
}

// Returns computes the (days−1) × instruments matrix of returns from prices,
// a days × instruments matrix with one row per day, oldest first. It
// allocates the whole matrix: the portfolio functions ([PortfolioPnL],
// [NewReport]) never do, and are the way to go at scale.
func Returns(prices *mat.Dense, kind ReturnKind, policy MissingPolicy) (*mat.Dense, error) {
	if prices == nil {
		return nil, inputf("no prices")
	}
	if err := kind.check(); err != nil {
		return nil, err
	}
	if err := policy.check(); err != nil {
		return nil, err
	}
	days, err := usableDays(prices, policy)
	if err != nil {
		return nil, err
	}
	if len(days) < 2 {
		return nil, inputf("%d usable days: need at least 2", len(days))
	}
	_, n := prices.Dims()
	out := mat.NewDense(len(days)-1, n, nil)
	for k := 1; k < len(days); k++ {
		prev, cur := prices.RawRowView(days[k-1]), prices.RawRowView(days[k])
		row := out.RawRowView(k - 1)
		for i := range row {
			if kind == Log {
				row[i] = math.Log(cur[i] / prev[i])
			} else {
				row[i] = cur[i]/prev[i] - 1
			}
			if math.IsInf(row[i], 0) {
				return nil, inputf("the return of instrument %d on day %d overflows (price %v after %v)", i, days[k], cur[i], prev[i])
			}
		}
	}
	return out, nil
}

// scan is one pass over the prices: the portfolio's daily P&L and, with
// stats, each sector's P&L and per instrument the sums that covariances
// with the portfolio need. It never materialises the returns: each worker
// keeps one day's row.
type scan struct {
	pnl       []float64   // per return day
	sectorPnL [][]float64 // [sector][day]; with stats and sectors
	sumR      []float64   // Σ_t r_ti; with stats
	sumR2     []float64   // Σ_t r_ti²; with stats and squares
	cross     []float64   // Σ_t r_ti · pnl_t; with stats
	days      []int       // the price rows used, oldest first
}

// scanOptions say what a scan accumulates beyond the P&L.
type scanOptions struct {
	stats    bool  // sumR and cross (and sector P&L when sectors is set)
	squares  bool  // sumR2 too
	sectors  []int // instrument → sector, or nil
	nSectors int
}

// scanPortfolio runs the pass on up to GOMAXPROCS workers, each over a block
// of consecutive days. positions are currency amounts per instrument. Prices
// are validated on the way (the policy MissingDropDay needs a first pass to
// find the days to drop).
func scanPortfolio(ctx context.Context, prices *mat.Dense, positions []float64, policy MissingPolicy, o scanOptions) (*scan, error) {
	rows, n := prices.Dims()
	var days []int
	if policy == MissingDropDay {
		var err error
		if days, err = usableDays(prices, policy); err != nil {
			return nil, err
		}
	} else {
		days = make([]int, rows)
		for t := range days {
			days[t] = t
		}
		if err := checkRow(prices.RawRowView(0)[:n], 0); err != nil {
			return nil, err
		}
	}
	if len(days) < 3 {
		return nil, inputf("%d usable days: need at least 3 (two returns)", len(days))
	}
	T := len(days) - 1
	s := &scan{pnl: make([]float64, T), days: days}
	if o.stats && o.sectors != nil {
		s.sectorPnL = make([][]float64, o.nSectors)
		for j := range s.sectorPnL {
			s.sectorPnL[j] = make([]float64, T)
		}
	}
	var sectors32 []int32
	if s.sectorPnL != nil {
		sectors32 = make([]int32, n)
		for i, j := range o.sectors {
			sectors32[i] = int32(j)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), T)
	type partial struct{ sumR, sumR2, cross []float64 }
	parts := make([]partial, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := T*w/workers, T*(w+1)/workers
		wg.Go(func() {
			var p partial
			r := make([]float64, n)
			if o.stats {
				p.sumR, p.cross = make([]float64, n), make([]float64, n)
				if o.squares {
					p.sumR2 = make([]float64, n)
				}
			}
			var sec []float64
			if s.sectorPnL != nil {
				sec = make([]float64, o.nSectors)
			}
			// fused: the stats of day k−1 are summed in day k's pass.
			fused, lastPnL := sec != nil && o.stats && !o.squares, 0.0
			for k := lo; k < hi; k++ {
				if k%16 == 0 && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				prev, cur, r, positions := prices.RawRowView(days[k])[:n], prices.RawRowView(days[k+1])[:n], r[:n], positions[:n]
				pnl, ok := 0.0, true
				// Prices are validated in the same loop: a flag, not a
				// branch out, on the fast path.
				// The P&L is summed in several independent partial sums
				// (the sectors', or four), not one chain of dependent
				// additions, whose latency bounded the loop.
				if sec == nil {
					var p4 [4]float64
					for i := range r {
						c := cur[i]
						ok = ok && c > 0 && c <= math.MaxFloat64
						ri := c/prev[i] - 1
						r[i] = ri
						p4[i&3] += positions[i] * ri
					}
					pnl = (p4[0] + p4[1]) + (p4[2] + p4[3])
				} else if fused && k > lo {
					// The previous day's returns, still in r, go into the
					// sums as this day's replace them: one pass, not two.
					clear(sec)
					sectors32, sumR, cross, pp := sectors32[:n], p.sumR[:n], p.cross[:n], lastPnL
					for i := range r {
						c := cur[i]
						ok = ok && c > 0 && c <= math.MaxFloat64
						old := r[i]
						sumR[i] += old
						cross[i] += old * pp
						ri := c/prev[i] - 1
						r[i] = ri
						sec[sectors32[i]] += positions[i] * ri
					}
					for j, v := range sec {
						s.sectorPnL[j][k] = v
						pnl += v
					}
				} else {
					clear(sec)
					sectors32 := sectors32[:n]
					for i := range r {
						c := cur[i]
						ok = ok && c > 0 && c <= math.MaxFloat64
						ri := c/prev[i] - 1
						r[i] = ri
						sec[sectors32[i]] += positions[i] * ri
					}
					for j, v := range sec {
						s.sectorPnL[j][k] = v
						pnl += v
					}
				}
				if !ok {
					errs[w] = checkRow(cur, days[k+1])
					return
				}
				if math.IsNaN(pnl) || math.IsInf(pnl, 0) {
					errs[w] = inputf("the portfolio's P&L on day %d overflows", days[k+1])
					return
				}
				s.pnl[k] = pnl
				if !o.stats {
					continue
				}
				if fused && k < hi-1 {
					lastPnL = pnl // summed with the next day's pass
					continue
				}
				sumR, cross := p.sumR[:n], p.cross[:n]
				if p.sumR2 != nil {
					sumR2 := p.sumR2[:n]
					for i, ri := range r {
						sumR[i] += ri
						sumR2[i] += ri * ri
						cross[i] += ri * pnl
					}
				} else {
					for i, ri := range r {
						sumR[i] += ri
						cross[i] += ri * pnl
					}
				}
			}
			parts[w] = p
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if o.stats {
		s.sumR, s.sumR2, s.cross = parts[0].sumR, parts[0].sumR2, parts[0].cross
		for _, p := range parts[1:] {
			for i := range n {
				s.sumR[i] += p.sumR[i]
				s.cross[i] += p.cross[i]
			}
			if s.sumR2 != nil {
				for i := range n {
					s.sumR2[i] += p.sumR2[i]
				}
			}
		}
	}
	return s, nil
}

// checkRow fails on the first price that is not a finite positive number.
// The test is one comparison pair per price on the fast path.
func checkRow(row []float64, day int) error {
	for i, p := range row {
		if !(p > 0 && p <= math.MaxFloat64) {
			return &PriceError{Instrument: i, Day: day, Value: p}
		}
	}
	return nil
}

// PortfolioPnL returns the portfolio's daily P&L from prices (days ×
// instruments, oldest first) and positions (currency amounts per
// instrument, negative for short): P&L(t) = Σ_i position_i · r_i(t) with
// simple returns. It never allocates the returns matrix. For weights, pass
// weight × portfolio value; [EqualPositions] makes equal weights explicit.
func PortfolioPnL(ctx context.Context, prices *mat.Dense, positions []float64, policy MissingPolicy) ([]float64, error) {
	if err := checkPortfolio(prices, positions, nil, 0); err != nil {
		return nil, err
	}
	if err := policy.check(); err != nil {
		return nil, err
	}
	s, err := scanPortfolio(ctx, prices, positions, policy, scanOptions{})
	if err != nil {
		return nil, err
	}
	return s.pnl, nil
}

// EqualPositions spreads value equally over n instruments: the equal
// weighting the original applied silently, made explicit. n must be
// positive and value finite.
func EqualPositions(n int, value float64) ([]float64, error) {
	if n <= 0 {
		return nil, inputf("%d instruments: need at least one", n)
	}
	if !finite(value) {
		return nil, inputf("portfolio value %v", value)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = value / float64(n)
	}
	return out, nil
}

func checkPortfolio(prices *mat.Dense, positions []float64, sectors []int, nSectors int) error {
	if prices == nil {
		return inputf("no prices")
	}
	_, n := prices.Dims()
	if len(positions) != n {
		return inputf("%d positions for %d instruments", len(positions), n)
	}
	for i, p := range positions {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return inputf("position %d is %v", i, p)
		}
	}
	if sectors != nil {
		return checkSectors(sectors, n, nSectors)
	}
	return nil
}

// checkSectors validates an assignment of n instruments to sectors
// 0..nSectors−1.
func checkSectors(sectors []int, n, nSectors int) error {
	if nSectors < 0 {
		return inputf("%d sectors", nSectors)
	}
	if len(sectors) != n {
		return inputf("%d sector assignments for %d instruments", len(sectors), n)
	}
	for i, s := range sectors {
		if s < 0 || s >= nSectors {
			return inputf("instrument %d: sector %d outside 0..%d", i, s, nSectors-1)
		}
	}
	return nil
}

func (k ReturnKind) check() error {
	if k != Simple && k != Log {
		return inputf("unknown return kind %d", int(k))
	}
	return nil
}

func (p MissingPolicy) check() error {
	if p != MissingError && p != MissingDropDay {
		return inputf("unknown missing-price policy %d", int(p))
	}
	return nil
}
