package risk

import (
	"context"
	"math"
	"sync"

	"gonum.org/v1/gonum/floats"
)

// maxTile is the most instruments the column pass reads at a time: eight
// days' segments of a tile (1 MB) and its cross sums (128 KB) are what
// the pass reads and writes between two reads of the sums. Long segments keep
// the hardware prefetchers streaming: in two passes over the window, a
// scan with tiles of 512 to 4,096 instruments took 1.1–1.4× the time of
// one with tiles of 16,384 (BENCHMARKS.md).
const maxTile = 1 << 14

// zeros are the rows of the days past the last in a group of eight: read
// only.
var zeros [maxTile]float64

// vecPool holds the N-vectors a window's scan adds its sums into (1.6 MB
// at 50,000 instruments in four parts, and Σ r), so that a report after a report
// reuses them instead of touching fresh pages: on the VM this was
// measured on, the first touch of a page costs about 15 µs
// (BENCHMARKS.md).
var vecPool sync.Pool

// getVec returns a zeroed vector of n, from the pool if it has one.
func getVec(n int) []float64 {
	if p, ok := vecPool.Get().(*[]float64); ok && cap(*p) >= n {
		v := (*p)[:n]
		clear(v)
		return v
	}
	return make([]float64, n)
}

// putVec gives v back to the pool; nothing may use it after.
func putVec(v []float64) {
	if v != nil {
		vecPool.Put(&v)
	}
}

// sectorTile is the number of instruments a sector sum gathers from at a
// time: four days' segments are 16 KB, which stay in L1 while the sums
// of all the sectors gather from them. Gathering from a whole tile (in L2)
// brought each cache line into L1 once per sector.
const sectorTile = 512

// tiles splits n instruments into tiles of at most most (maxTile, or less
// to measure), each a multiple of sectorTile.
func tiles(n, most int) (count, size int) {
	count = (n + most - 1) / most
	size = (n + count - 1) / count
	size = (size + sectorTile - 1) / sectorTile * sectorTile
	return (n + size - 1) / size, size
}

// blockBytes is how much of the window a worker of [Window.scan] reads
// in one block of days (a multiple of eight days, never fewer: at 50,000
// instruments, 8 days, 3.2 MB): the column pass reads the block again
// while it is still in cache. In two 5-round runs (BENCHMARKS.md) the
// scan with 2 MB blocks (then four days) took 1.9–2.2× the floor, 4–32
// MB blocks 2.0–2.5×, and one block per worker (two passes over the
// window) 2.2–2.6×.
const blockBytes = 2 << 20

// scan is a report's passes over the window, fused in blocks of days:
// workers take consecutive days, and each reads its days a block at a
// time. The P&L of a block's days comes first, four days per read of the
// positions ([Window.pnlDays]), from memory; then, with the block's P&L
// known and its rows still in cache, the column pass reads the block a
// tile of instruments at a time, eight days per read of the sums: each
// instrument's Σ r·pnl (and Σ r² with squares) gains eight days per
// read and write instead of one, and each sector's P&L is a gathered
// dot product per sector tile instead of a scatter per return. Σ r is
// the window's own, kept up to date by Push. The days are cut into
// twice as many parts as workers, taken in turn; each part keeps its own
// sums, added up in part order at the end.
//
// Without stats (no delta-normal split asks for the sums) and sectors,
// the scan is the P&L alone.
func (w *Window) scan(ctx context.Context, positions []float64, sectors []int, nSectors int, stats, squares bool) (*scan, error) {
	var st *sectorTiles
	if sectors != nil {
		st = newSectorTiles(sectors, nSectors, positions)
	}
	return w.scanBlocked(ctx, positions, st, stats, squares, blockBytes, maxTile)
}

// newColumnWorker is a worker with no sums yet, and its sector table if
// st is not nil.
func newColumnWorker(w *Window, pnl []float64, st *sectorTiles, size int) *columnWorker {
	c := &columnWorker{w: w, pnl: pnl, st: st, size: size}
	if st != nil {
		// Eight rows of padding for the days past T in the last group.
		c.tab = make([]float64, (w.t+8)*st.n)
	}
	return c
}

// columnWorker is one worker's state in the column pass.
type columnWorker struct {
	w          *Window
	pnl        []float64
	st         *sectorTiles
	size       int       // instruments per tile
	cross, sr2 []float64 // the sums it adds into (sr2 with squares)
	tab        []float64 // day-major sector P&L, (T+8) × sectors
}

// tile adds tile t's returns on days lo..hi−1 into the cross sums (if it
// keeps them), the squares (with them) and the sector table (if it has
// one), eight days at a time; the days past hi are rows of zeros with
// zero P&L, which add nothing.
func (c *columnWorker) tile(t, lo, hi int) {
	w := c.w
	a, b := t*c.size, min((t+1)*c.size, w.n)
	for k := lo; k < hi; k += 8 {
		var rows [8][]float64
		var p [8]float64
		for d := range 8 {
			rows[d] = zeros[:b-a]
			if k+d < hi {
				rows[d], p[d] = w.rowAt(k + d)[a:b], c.pnl[k+d]
			}
		}
		if c.cross != nil {
			addDays8(c.cross[a:b], &rows, &p)
		}
		if c.sr2 != nil {
			sr2 := c.sr2[a:b]
			for _, r := range rows {
				r = r[:len(sr2)]
				for i, v := range r {
					sr2[i] += v * v
				}
			}
		}
		if c.st != nil {
			c.sectors(a, b, k, (*[4][]float64)(rows[:4]))
			c.sectors(a, b, k+4, (*[4][]float64)(rows[4:]))
		}
	}
}

// sectors adds the sector P&L of the tile [a, b) on days k..k+3 (rows,
// the tile's segments) into the table, one sector tile at a time.
func (c *columnWorker) sectors(a, b, k int, rows *[4][]float64) {
	n := c.st.n
	sec := c.tab[k*n : (k+4)*n]
	for lo := a; lo < b; lo += sectorTile {
		hi := min(lo+sectorTile, b)
		var sub [4][]float64
		for d, r := range rows {
			sub[d] = r[lo-a : hi-a]
		}
		c.st.add4(lo/sectorTile, &sub, sec)
	}
}

// colCross8Go adds eight days' returns r into each instrument's
// p-weighted sum: cross[i] gains p_d·r_d[i] for d = 0..7 in turn, each
// by one fused multiply-add. It is the reference the assembly follows,
// and the kernel where there is none, so that the sums are the same bits
// on every machine.
func colCross8Go(cross []float64, r *[8][]float64, p *[8]float64) {
	n := len(cross)
	r0, r1, r2, r3, r4, r5, r6, r7 := r[0][:n], r[1][:n], r[2][:n], r[3][:n], r[4][:n], r[5][:n], r[6][:n], r[7][:n]
	for i, c := range cross {
		c = math.FMA(p[0], r0[i], c)
		c = math.FMA(p[1], r1[i], c)
		c = math.FMA(p[2], r2[i], c)
		c = math.FMA(p[3], r3[i], c)
		c = math.FMA(p[4], r4[i], c)
		c = math.FMA(p[5], r5[i], c)
		c = math.FMA(p[6], r6[i], c)
		cross[i] = math.FMA(p[7], r7[i], c)
	}
}

// sectorTiles is how the column pass sums each sector's P&L: for each
// tile, the tile's instruments in sector order (their offsets in the
// tile) with their positions, and where each sector's run starts. A
// sector's P&L over a tile is then a gathered dot product from rows in
// L1, with no scatter: a scatter's stores to the same sector wait for
// each other.
type sectorTiles struct {
	n    int       // sectors
	at   []uint16  // per tile, its instruments' offsets in sector order
	x    []float64 // their positions, in the same order
	runs []int32   // per tile, n+1 bounds of the sectors' runs in at
}

// newSectorTiles orders each tile's instruments by sector (a counting
// sort, stable), for tiles of sectorTile instruments. The sectors were
// checked against nSectors.
func newSectorTiles(sectors []int, nSectors int, positions []float64) *sectorTiles {
	N := len(positions)
	count, size := (N+sectorTile-1)/sectorTile, sectorTile
	st := &sectorTiles{n: nSectors, at: make([]uint16, N), x: make([]float64, N), runs: make([]int32, count*(nSectors+1))}
	next := make([]int32, nSectors)
	for t := range count {
		a, b := t*size, min((t+1)*size, N)
		runs := st.runs[t*(nSectors+1) : (t+1)*(nSectors+1)]
		for _, s := range sectors[a:b] {
			runs[s+1]++
		}
		for s := range nSectors {
			runs[s+1] += runs[s]
		}
		copy(next, runs[:nSectors])
		for i := a; i < b; i++ {
			j := a + int(next[sectors[i]])
			next[sectors[i]]++
			st.at[j], st.x[j] = uint16(i-a), positions[i]
		}
	}
	return st
}

// add4 adds each sector's P&L over sector tile t on four days (rows, the
// tile's segments of four rows) into sec[d·n + s], day d's row of the table. Two
// instruments per step keep eight sums in flight.
func (st *sectorTiles) add4(t int, rows *[4][]float64, sec []float64) {
	n := st.n
	runs := st.runs[t*(n+1) : (t+1)*(n+1)]
	r0, r1, r2, r3 := rows[0], rows[1], rows[2], rows[3]
	sec = sec[:4*n]
	base := t * sectorTile
	for s := range n {
		lo, hi := base+int(runs[s]), base+int(runs[s+1])
		at, x := st.at[lo:hi], st.x[lo:hi]
		x = x[:len(at)]
		var a0, a1, a2, a3, b0, b1, b2, b3 float64
		j := 0
		for ; j+2 <= len(at); j += 2 {
			i, v := at[j], x[j]
			a0 += v * r0[i]
			a1 += v * r1[i]
			a2 += v * r2[i]
			a3 += v * r3[i]
			i, v = at[j+1], x[j+1]
			b0 += v * r0[i]
			b1 += v * r1[i]
			b2 += v * r2[i]
			b3 += v * r3[i]
		}
		if j < len(at) {
			i, v := at[j], x[j]
			a0 += v * r0[i]
			a1 += v * r1[i]
			a2 += v * r2[i]
			a3 += v * r3[i]
		}
		sec[s] += a0 + b0
		sec[n+s] += a1 + b1
		sec[2*n+s] += a2 + b2
		sec[3*n+s] += a3 + b3
	}
}

// scanBlocked is [Window.scan] with blocks of about blockBytes per
// worker and tiles of at most most instruments (most ≤ maxTile), so that
// both can be measured.
func (w *Window) scanBlocked(ctx context.Context, positions []float64, st *sectorTiles, stats, squares bool, blockBytes, most int) (*scan, error) {
	T, n := w.t, w.n
	s := &scan{pnl: make([]float64, T), ends: days(w)}
	block := max(blockBytes/(8*n)/8*8, 8)
	count, size := tiles(n, most)
	if !stats && st == nil {
		count = 0 // the P&L alone
	}
	workers := blocks(T)
	// Twice as many parts as workers, taken in turn: a worker the machine
	// slows does fewer, and each part's sums are its own, added in part
	// order, so the result does not depend on who did which.
	parts := make([]*columnWorker, min(2*workers, T))
	err := runParts(len(parts), workers, T, func(part, lo, hi int) error {
		c := newColumnWorker(w, s.pnl, st, size)
		if stats {
			c.cross = getVec(n)
		}
		if stats && squares {
			c.sr2 = getVec(n)
		}
		for b0 := lo; b0 < hi; b0 += block {
			if err := ctx.Err(); err != nil {
				return err
			}
			b1 := min(b0+block, hi)
			if err := w.pnlRange(b0, b1, positions, s.pnl); err != nil {
				return err
			}
			for t := range count {
				c.tile(t, b0, b1)
			}
		}
		parts[part] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.cross, s.sumR2 = parts[0].cross, parts[0].sr2
	if stats {
		s.sumR = getVec(n)
		w.colSums(s.sumR)
		// Each worker adds up a range of instruments.
		_ = parallel(n, func(lo, hi int) error {
			for _, c := range parts[1:] {
				floats.Add(s.cross[lo:hi], c.cross[lo:hi])
				if s.sumR2 != nil {
					floats.Add(s.sumR2[lo:hi], c.sr2[lo:hi])
				}
			}
			return nil
		})
		for _, c := range parts[1:] {
			putVec(c.cross)
			putVec(c.sr2)
		}
	}
	if st != nil {
		s.sectorPnL = make([][]float64, st.n)
		for j := range s.sectorPnL {
			v := make([]float64, T)
			for _, c := range parts {
				for k := range v {
					v[k] += c.tab[k*st.n+j]
				}
			}
			s.sectorPnL[j] = v
		}
	}
	return s, nil
}

// pnlRange is the P&L of days lo..hi−1, four (or two) days per read of
// the positions where there are: the positions are the second stream a
// P&L pass reads beside the returns, and reading them once per four days
// brings the pass nearer the one-stream floor.
func (w *Window) pnlRange(lo, hi int, positions, pnl []float64) error {
	for k := lo; k < hi; {
		if k+1 < hi {
			d, err := w.pnlDays(k, hi, positions, pnl)
			if err != nil {
				return err
			}
			k += d
			continue
		}
		v := dot(positions, w.rowAt(k))
		if !finite(v) {
			return inputf("the portfolio's P&L on day %d overflows", w.day(k))
		}
		pnl[k] = v
		k++
	}
	return nil
}
