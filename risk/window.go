package risk

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Window is a rolling window of historical scenarios: the simple returns
// r = P(t)/P(t−1) − 1 of N instruments over the last T days, built once from
// prices by [NewWindow] and advanced one day at a time by [Window.Push],
// which costs N divisions, not T × N. Reports over the window
// ([Window.Report], [Window.PnL]) read the stored returns with
// multiply-adds only.
//
// # Layout and memory
//
// The returns are one contiguous block of (T + 1) × N float64s, day-major (each
// day's N returns are adjacent), used as a ring: Push overwrites the oldest
// day's row. The window holds (T + 1) × N × 8 bytes of returns (101 MB for
// 50,000 instruments × 252 days; the spare row keeps the day the last push
// dropped) plus O(N) (the newest prices, each instrument's Σ r as a
// compensated pair: 24 bytes per instrument) and O(T) (the day numbers).
// Day-major is what the P&L pass wants (one row is one scenario's dot
// product with the positions, and four rows share one read of the
// positions) and what Push writes (one row); for the per-instrument sums
// of the delta-normal split, a report reads each block of days again
// while it is in cache, in tiles of up to 16,384 instruments, so that the
// sums stay in L2 ([Window.scan]).
// An instrument-major block was measured beside it: its P&L pass took
// 1.4× and its push 1.5× the CPU (BENCHMARKS.md; 3.5× for the push in an
// earlier, busier run).
//
// A Window is not safe for concurrent use: Push must not run while a
// report reads the window. Reports may run concurrently with each other.
type Window struct {
	n, t int
	// returns has t+1 rows of n, day-major; day k (0 the oldest) is at
	// row (head+k) % (t+1). The spare row holds the day the last Push
	// dropped, which a [Tracker] subtracts.
	returns []float64
	head    int
	days    []int     // ring parallel to returns: the day each return ends on
	last    []float64 // the newest prices, for the next Push
	pushes  uint64    // the number of Pushes so far
	// sumR and sumC are each instrument's Σ r over the window's days as
	// an unevaluated sum sumR + sumC: Push adds the new day's return and
	// subtracts the oldest's with their rounding errors carried in sumC
	// (compensated summation), so the sum does not drift however many
	// days pass. The delta-normal split needs it; keeping it here spares
	// every report the adding of T × N returns.
	sumR, sumC []float64
}

// NewWindow builds the window from prices, a days × instruments matrix,
// one row per day, oldest first, in one parallel pass (the divisions). The
// window holds the returns of the usable days: all of them, or with
// [MissingDropDay] those on which no price is missing (returns then span
// consecutive usable days). Day numbers are the price rows: the return of
// row d over the previous usable row is day d.
//
// A price that is missing (with [MissingError]), zero, negative or infinite
// is a [*PriceError] naming instrument and row; fewer than three usable
// days (two returns), a return that overflows or an unknown policy wrap
// [ErrInput].
func NewWindow(ctx context.Context, prices *mat.Dense, policy MissingPolicy) (*Window, error) {
	src, err := newPriceSource(prices, policy)
	if err != nil {
		return nil, err
	}
	days, n := src.rows, src.n
	T := len(days) - 1
	w := &Window{n: n, t: T, returns: make([]float64, (T+1)*n), days: append(slices.Clone(days[1:]), -1), last: make([]float64, n),
		sumC: make([]float64, n)}
	copy(w.last, prices.RawRowView(days[T])[:n])
	workers := blocks(T)
	parts := make([][]float64, workers)
	err = runBlocks(workers, T, func(worker, lo, hi int) error {
		sum := make([]float64, n) // the worker's Σ r, added while each row is in cache
		for k := lo; k < hi; k++ {
			if k%16 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			row := w.returns[k*n : (k+1)*n]
			if _, err := src.row(k, row); err != nil {
				return err
			}
			floats.Add(sum, row)
		}
		parts[worker] = sum
		return nil
	})
	if err != nil {
		return nil, err
	}
	w.sumR = parts[0]
	for _, p := range parts[1:] {
		floats.Add(w.sumR, p)
	}
	return w, nil
}

// divide writes dst = cur/prev − 1 and reports whether every price of cur
// is positive and every return finite. prev is known to be valid. The test
// is a flag, not a branch out, on the fast path.
func divide(dst, cur, prev []float64) bool {
	ok := true
	cur, prev = cur[:len(dst)], prev[:len(dst)]
	for i := range dst {
		c := cur[i]
		r := c/prev[i] - 1
		dst[i] = r
		// NaN fails c > 0; an infinite price or ratio fails the second.
		ok = ok && c > 0 && r <= math.MaxFloat64
	}
	return ok
}

// badReturn names the first price of cur that is not usable, or the first
// return that overflows.
func badReturn(cur, prev []float64, day int) error {
	if err := checkRow(cur, day); err != nil {
		return err
	}
	for i := range cur {
		if !(cur[i]/prev[i]-1 <= math.MaxFloat64) {
			return inputf("the return of instrument %d on day %d overflows (price %v after %v)", i, day, cur[i], prev[i])
		}
	}
	return inputf("day %d: a price is not usable", day)
}

// Push advances the window by one day: prices are the instruments' prices
// on the day after the newest, whose returns replace the oldest day's. It
// costs N divisions and no allocation. The new day's number is the newest
// one's plus one.
//
// A price that is missing, zero, negative or infinite is a [*PriceError]
// naming the instrument and the new day's number, whatever the window's
// missing-price policy (skip the day to drop it); a wrong number of prices
// or a price more than MaxFloat64/2 times the previous one (a return that
// would overflow) wraps [ErrInput]. On error the window is unchanged.
func (w *Window) Push(prices []float64) error {
	if len(prices) != w.n {
		return inputf("%d prices for %d instruments", len(prices), w.n)
	}
	day := w.day(w.t-1) + 1
	// Validate before writing, with no division: c ≤ p·MaxFloat64/2 keeps
	// c/p − 1 finite whatever the rounding of the product.
	const half = math.MaxFloat64 / 2
	last := w.last[:len(prices)]
	ok := true
	for i, c := range prices {
		ok = ok && c > 0 && c <= math.MaxFloat64 && c <= last[i]*half
	}
	if !ok {
		if err := checkRow(prices, day); err != nil {
			return err
		}
		for i, c := range prices {
			if !(c <= last[i]*half) {
				return inputf("the return of instrument %d on day %d overflows (price %v after %v)", i, day, c, last[i])
			}
		}
	}
	free := (w.head + w.t) % (w.t + 1) // the spare row; the oldest becomes it
	row := free * w.n
	pushRow(w.returns[row:row+w.n], prices, w.last, w.sumR, w.sumC, w.rowAt(0))
	w.days[free] = day
	w.head = (w.head + 1) % (w.t + 1)
	w.pushes++
	return nil
}

// pushGo is Push's pass over the instruments, once: the new returns
// row = cur/last − 1, the newest prices last = cur, and each
// instrument's compensated sum gains its new return and loses its
// oldest, old (as [slideGo]). It is the reference of pushAVX, and the
// kernel where there is none.
func pushGo(row, cur, last, s, c, old []float64) {
	cur, last = cur[:len(row)], last[:len(row)]
	for i, x := range cur {
		row[i] = x/last[i] - 1
		last[i] = x
	}
	slideGo(s, c, row, old)
}

// slideGo adds each instrument's new return and subtracts its oldest
// from the compensated sums s + c: the difference of the two returns is
// exact as a value and its error (Knuth's TwoSum), the value is added to
// s by another TwoSum, and both errors go into c.
func slideGo(s, c, add, sub []float64) {
	c, add, sub = c[:len(s)], add[:len(s)], sub[:len(s)]
	for i, a := range add {
		b := -sub[i]
		d := a + b
		z := d - a
		de := (a - (d - z)) + (b - z)
		v := s[i]
		t := v + d
		z = t - v
		e := (v - (t - z)) + (d - z)
		s[i] = t
		c[i] += e + de
	}
}

// colSums are each instrument's Σ r over the window's days, in dst (of N).
func (w *Window) colSums(dst []float64) {
	c := w.sumC[:len(w.sumR)]
	for i, v := range w.sumR {
		dst[i] = v + c[i]
	}
}

// Len returns T, the number of return days (scenarios) in the window.
func (w *Window) Len() int { return w.t }

// Instruments returns N, the number of instruments.
func (w *Window) Instruments() int { return w.n }

// Days returns the day number each return of the window ends on, oldest
// first, in a new slice: price rows for the days [NewWindow] read, then
// one more for each [Window.Push].
func (w *Window) Days() []int { return days(w) }

// dropped is the row of the day the last Push dropped (valid after one).
func (w *Window) dropped() []float64 {
	r := (w.head + w.t) % (w.t + 1)
	return w.returns[r*w.n : (r+1)*w.n]
}

// rowAt is day k's returns, k = 0 the oldest.
func (w *Window) rowAt(k int) []float64 {
	r := (w.head + k) % (w.t + 1)
	return w.returns[r*w.n : (r+1)*w.n]
}

// PnL writes into dst the portfolio's P&L on each day of the window,
// oldest first: P&L(k) = Σ_i position_i · r_i(k), one pass of multiply-adds
// over the returns on up to GOMAXPROCS workers. positions are currency
// amounts per instrument (negative for short). dst is grown to [Window.Len]
// if it is too short, and returned. Positions that are not finite or do not
// match the instruments, or a P&L that overflows, wrap [ErrInput].
func (w *Window) PnL(ctx context.Context, dst []float64, positions []float64) ([]float64, error) {
	if err := w.checkPositions(positions); err != nil {
		return nil, err
	}
	if cap(dst) < w.t {
		dst = make([]float64, w.t)
	}
	dst = dst[:w.t]
	err := parallel(w.t, func(lo, hi int) error {
		for k := lo; k < hi; k += 16 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.pnlRange(k, min(k+16, hi), positions, dst); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

func (w *Window) checkPositions(positions []float64) error {
	if len(positions) != w.n {
		return inputf("%d positions for %d instruments", len(positions), w.n)
	}
	return checkFinite("position", positions)
}

// sums are per-instrument sums over the window's days that the
// delta-normal split needs: Σ_k r_ik, Σ_k r_ik·pnl_k and, for incremental
// VaR, Σ_k r_ik².
type sums struct{ r, r2, cross []float64 }

// pass is the P&L pass over src's days: pnl[k] for every day and, with
// sectors, sectorPnL[j][k]. (A window's P&L alone goes through
// [Window.pnlRange] instead, four days per read of the positions.) With stats
// it also returns the sums, which it accumulates while each day's row is
// still in cache: over prices ([NewReport]) a second read would divide
// every return again. A window's report reads each block of days twice
// instead ([Window.scan]), which costs less than adding each day's row
// into 2 × N sums. Workers take blocks of days and keep their own sums,
// added up at the end in block order.
func pass(ctx context.Context, src source, pnl []float64, sectorPnL [][]float64, positions []float64, sectors *sectorMap, stats, squares bool) (sums, error) {
	T, n := src.dims()
	workers := blocks(T)
	parts := make([][3][]float64, workers)
	err := runBlocks(workers, T, func(worker, lo, hi int) error {
		var sr, sr2, cross []float64
		if stats {
			sr, cross = make([]float64, n), make([]float64, n)
			if squares {
				sr2 = make([]float64, n)
			}
		}
		buf := src.buffer()
		var sec, lanes []float64
		if sectorPnL != nil {
			sec, lanes = make([]float64, sectors.n), make([]float64, 4*sectors.n)
		}
		check := lo // the next day to check ctx on or after
		for k := lo; k < hi; k++ {
			if k >= check {
				if err := ctx.Err(); err != nil {
					return err
				}
				check = k + 16
			}
			r, v, err := rowPnL(src, k, buf, positions)
			if err != nil {
				return err
			}
			if sec != nil {
				sectors.pnl(sec, lanes, positions, r)
				for j, s := range sec {
					sectorPnL[j][k] = s
				}
			}
			if !finite(v) {
				return inputf("the portfolio's P&L on day %d overflows", src.day(k))
			}
			pnl[k] = v
			if stats {
				accumulate(sr, sr2, cross, r, v)
			}
		}
		if stats {
			parts[worker] = [3][]float64{sr, sr2, cross}
		}
		return nil
	})
	if err != nil || !stats {
		return sums{}, err
	}
	out := sums{r: parts[0][0], r2: parts[0][1], cross: parts[0][2]}
	for _, p := range parts[1:] {
		for j, dst := range [][]float64{out.r, out.r2, out.cross} {
			for i, v := range p[j] {
				dst[i] += v
			}
		}
	}
	return out, nil
}

// pnlDays is the P&L alone of days k to k+3 (or k+1, when hi is nearer),
// four (or two) days per read of the positions; it returns how many days
// it did.
func (w *Window) pnlDays(k, hi int, positions, pnl []float64) (int, error) {
	var v [4]float64
	days := 2
	if k+3 < hi {
		days = 4
		v = dotQuad(positions, &[4][]float64{w.rowAt(k), w.rowAt(k + 1), w.rowAt(k + 2), w.rowAt(k + 3)})
	} else {
		v[0], v[1] = dotPair(positions, w.rowAt(k), w.rowAt(k+1))
	}
	for j := range days {
		if !finite(v[j]) {
			return 0, inputf("the portfolio's P&L on day %d overflows", w.day(k+j))
		}
		pnl[k+j] = v[j]
	}
	return days, nil
}

// rowPnL is day k's returns and the portfolio's P&L on it: for prices,
// divided and summed in one loop, whose additions the divisions hide.
func rowPnL(src source, k int, buf, positions []float64) ([]float64, float64, error) {
	if p, ok := src.(*priceSource); ok {
		return p.rowPnL(k, buf, positions)
	}
	r, err := src.row(k, buf)
	if err != nil {
		return nil, 0, err
	}
	return r, dot(positions, r), nil
}

// sectorMap is how a pass sums each sector's P&L on a day.
type sectorMap struct {
	n  int     // sectors
	of []int32 // instrument → sector
	// bounds, when the instruments are in sector order, are the sectors'
	// ranges: sector s is [bounds[s], bounds[s+1]).
	bounds []int
}

func newSectorMap(sectors []int, n int) *sectorMap {
	m := &sectorMap{n: n, of: make([]int32, len(sectors))}
	for i, s := range sectors {
		m.of[i] = int32(s)
	}
	if slices.IsSorted(sectors) {
		m.bounds = make([]int, n+1)
		for s := range n {
			m.bounds[s+1], _ = slices.BinarySearch(sectors, s+1)
		}
	}
	return m
}

// pnl writes into sec each sector's P&L on a day's row r: with the
// instruments in sector order one SIMD dot product per sector, otherwise
// a scatter into four tables (lanes, 4 × sectors) so that instruments of
// the same sector next to each other do not wait for each other's store.
func (m *sectorMap) pnl(sec, lanes, x, r []float64) {
	r = r[:len(x)]
	if m.bounds != nil {
		for s := range m.n {
			lo, hi := m.bounds[s], m.bounds[s+1]
			sec[s] = floats.Dot(x[lo:hi], r[lo:hi])
		}
		return
	}
	clear(lanes)
	n, of := m.n, m.of[:len(x)]
	l0, l1, l2, l3 := lanes[:n], lanes[n:2*n], lanes[2*n:3*n], lanes[3*n:4*n]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		l0[of[i]] += x[i] * r[i]
		l1[of[i+1]] += x[i+1] * r[i+1]
		l2[of[i+2]] += x[i+2] * r[i+2]
		l3[of[i+3]] += x[i+3] * r[i+3]
	}
	for ; i < len(x); i++ {
		l0[of[i]] += x[i] * r[i]
	}
	for s := range sec {
		sec[s] = (l0[s] + l1[s]) + (l2[s] + l3[s])
	}
}

// accumulate adds a day's returns r and P&L p into the sums, by gonum's
// floats.Add and floats.AddScaled (SIMD assembly).
func accumulate(sr, sr2, cross, r []float64, p float64) {
	r = r[:len(sr)]
	floats.Add(sr, r)
	floats.AddScaled(cross, p, r)
	if sr2 != nil {
		sr2 = sr2[:len(r)]
		for i, v := range r {
			sr2[i] += v * v
		}
	}
}

// dot is Σ x_i·r_i by gonum's floats.Dot: SIMD assembly whose summation
// order depends only on the length, so every path that sums a day's P&L
// with it agrees to the bit. It beat eight scalar partial sums by 1.7× in
// CPU time (BENCHMARKS.md).
func dot(x, r []float64) float64 { return floats.Dot(x, r[:len(x)]) }

// source is where a report's pass reads each day's returns: a [Window]'s
// stored rows, or prices divided on the fly ([priceSource]), so that
// [NewReport] and [PortfolioPnL] share the window's pass without storing
// the returns.
type source interface {
	// dims are the return days T and the instruments N.
	dims() (T, n int)
	// buffer is a worker's scratch row for row, or nil if rows are stored.
	buffer() []float64
	// row returns day k's returns (k = 0 the oldest), in buf if computed,
	// or the error for a price that cannot be used.
	row(k int, buf []float64) ([]float64, error)
	// day is day k's number, for errors and the report's days.
	day(k int) int
	// span returns the returns of instruments from, …, from+size−1 on
	// day s: a view of the stored row, or computed into dst (len size;
	// nil if rows are stored). Day s's prices were checked by the pass.
	span(dst []float64, s, from, size int) []float64
}

func (w *Window) dims() (int, int)                          { return w.t, w.n }
func (w *Window) buffer() []float64                         { return nil }
func (w *Window) row(k int, _ []float64) ([]float64, error) { return w.rowAt(k), nil }
func (w *Window) day(k int) int                             { return w.days[(w.head+k)%(w.t+1)] }

func (w *Window) span(_ []float64, s, from, size int) []float64 {
	return w.rowAt(s)[from : from+size]
}

// priceSource divides prices on the fly: day k's return is P(d_{k+1}) /
// P(d_k) − 1 over the usable price rows d.
type priceSource struct {
	prices *mat.Dense
	n      int
	rows   []int // the usable price rows, oldest first
}

// newPriceSource validates what NewWindow validates before its pass: the
// policy, the usable days (a first pass with MissingDropDay) or the first
// row, and that there are two returns.
func newPriceSource(prices *mat.Dense, policy MissingPolicy) (*priceSource, error) {
	if prices == nil {
		return nil, inputf("no prices")
	}
	if err := policy.check(); err != nil {
		return nil, err
	}
	rows, n := prices.Dims()
	var days []int
	if policy == MissingDropDay {
		var err error
		if days, err = usableDays(prices, policy); err != nil {
			return nil, err
		}
	} else {
		days = make([]int, rows)
		for d := range days {
			days[d] = d
		}
		if err := checkRow(prices.RawRowView(0)[:n], 0); err != nil {
			return nil, err
		}
	}
	if len(days) < 3 {
		return nil, inputf("%d usable days: need at least 3 (two returns)", len(days))
	}
	return &priceSource{prices: prices, n: n, rows: days}, nil
}

func (p *priceSource) dims() (int, int)  { return len(p.rows) - 1, p.n }
func (p *priceSource) buffer() []float64 { return make([]float64, p.n) }
func (p *priceSource) day(k int) int     { return p.rows[k+1] }

func (p *priceSource) row(k int, buf []float64) ([]float64, error) {
	prev, cur := p.prices.RawRowView(p.rows[k])[:p.n], p.prices.RawRowView(p.rows[k+1])[:p.n]
	if !divide(buf, cur, prev) {
		return nil, badReturn(cur, prev, p.rows[k+1])
	}
	return buf, nil
}

// rowPnL divides day k's returns into buf and sums the P&L in the order
// of gonum's DotUnitary on amd64 (four lanes by index mod 4, the tail in
// the first, then (l0 + l2) + (l1 + l3)), so that it equals [dot] over the
// stored returns there, and within rounding elsewhere.
func (p *priceSource) rowPnL(k int, buf, x []float64) ([]float64, float64, error) {
	prev, cur := p.prices.RawRowView(p.rows[k])[:p.n], p.prices.RawRowView(p.rows[k+1])[:p.n]
	buf, x = buf[:len(prev)], x[:len(prev)]
	cur = cur[:len(prev)]
	ok := true
	var l0, l1, l2, l3 float64
	i := 0
	for ; i+4 <= len(buf); i += 4 {
		c0, c1, c2, c3 := cur[i], cur[i+1], cur[i+2], cur[i+3]
		r0, r1, r2, r3 := c0/prev[i]-1, c1/prev[i+1]-1, c2/prev[i+2]-1, c3/prev[i+3]-1
		buf[i], buf[i+1], buf[i+2], buf[i+3] = r0, r1, r2, r3
		ok = ok && c0 > 0 && c1 > 0 && c2 > 0 && c3 > 0 &&
			r0 <= math.MaxFloat64 && r1 <= math.MaxFloat64 && r2 <= math.MaxFloat64 && r3 <= math.MaxFloat64
		l0 += x[i] * r0
		l1 += x[i+1] * r1
		l2 += x[i+2] * r2
		l3 += x[i+3] * r3
	}
	for ; i < len(buf); i++ {
		c := cur[i]
		r := c/prev[i] - 1
		buf[i] = r
		ok = ok && c > 0 && r <= math.MaxFloat64
		l0 += x[i] * r
	}
	if !ok {
		return nil, 0, badReturn(cur, prev, p.rows[k+1])
	}
	return buf, (l0 + l2) + (l1 + l3), nil
}

func (p *priceSource) span(dst []float64, s, from, size int) []float64 {
	prev := p.prices.RawRowView(p.rows[s])[from : from+size]
	cur := p.prices.RawRowView(p.rows[s+1])[from : from+size]
	divide(dst[:size], cur, prev)
	return dst[:size]
}

// days are a source's day numbers, oldest first.
func days(src source) []int {
	T, _ := src.dims()
	out := make([]int, T)
	for k := range out {
		out[k] = src.day(k)
	}
	return out
}

// parallel runs f over [0, n) split into up to GOMAXPROCS consecutive
// blocks, one goroutine each, and returns the first block's error.
func parallel(n int, f func(lo, hi int) error) error {
	return runBlocks(blocks(n), n, func(_, lo, hi int) error { return f(lo, hi) })
}

// blocks is the number of blocks parallel splits n items into.
func blocks(n int) int { return max(min(runtime.GOMAXPROCS(0), n), 1) }

// runParts runs f over [0, n) split into parts consecutive parts, which
// up to workers goroutines take in turn as each finishes its last, so that
// a worker the machine slows does fewer of them; f learns its part's
// number. It returns the first part's error.
func runParts(parts, workers, n int, f func(part, lo, hi int) error) error {
	errs := make([]error, parts)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, parts) {
		wg.Go(func() {
			for p := int(next.Add(1) - 1); p < parts; p = int(next.Add(1) - 1) {
				errs[p] = f(p, n*p/parts, n*(p+1)/parts)
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

// runBlocks runs f over [0, n) split into the given number of consecutive
// blocks, one goroutine each, telling f its block's number, and returns
// the first block's error.
func runBlocks(workers, n int, f func(worker, lo, hi int) error) error {
	if workers == 1 {
		return f(0, 0, n)
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { errs[w] = f(w, n*w/workers, n*(w+1)/workers) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
