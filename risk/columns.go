package risk

import (
	"context"
	"math"
)

// maxTile is the most instruments the column pass reads at a time: four
// days' segments of a tile (512 KB) and its two sums (256 KB) stay in L2
// while the sums and the sector P&L gather from them. Long segments keep
// the hardware prefetchers streaming: tiles of 256 to 4,096 instruments
// took 1.5–2.4× the time of the P&L pass, 16,384 about 1× (BENCHMARKS.md).
const maxTile = 1 << 14

// sectorTile is the number of instruments a sector sum gathers from at a
// time: four days' segments are 16 KB, which stay in L1 while the sums
// of all the sectors gather from them. Gathering from a whole tile (in L2)
// brought each cache line into L1 once per sector.
const sectorTile = 512

// tiles splits n instruments into tiles of at most most (maxTile, or less
// to measure) and a multiple of sectorTile, at least one per worker while
// there are instruments for it.
func tiles(n, most int) (count, size int) {
	count = max((n+most-1)/most, blocks(n))
	size = (n + count - 1) / count
	size = (size + sectorTile - 1) / sectorTile * sectorTile
	return (n + size - 1) / size, size
}

// scan is a report's two passes over the window. The first is the P&L
// alone, four days per read of the positions ([Window.pnlDays]), near the
// one-stream floor. The second ([Window.columns]) reads the returns a tile
// of instruments at a time over every day, with the P&L known: each
// instrument's sums (Σ r, Σ r·pnl, and Σ r² with squares) stay in L1 for
// the whole window instead of streaming in and out of memory once per day,
// and each sector's P&L is a gathered dot product per tile instead of a
// scatter per return. Two reads of the window cost less than one read
// that writes 2 × N sums per day (BENCHMARKS.md).
func (w *Window) scan(ctx context.Context, positions []float64, sectors []int, nSectors int, squares bool) (*scan, error) {
	s := &scan{pnl: make([]float64, w.t), ends: days(w)}
	if _, err := pass(ctx, w, s.pnl, nil, positions, nil, false, false); err != nil {
		return nil, err
	}
	var st *sectorTiles
	if sectors != nil {
		st = newSectorTiles(sectors, nSectors, positions)
	}
	if err := w.columns(ctx, s, st, squares, maxTile); err != nil {
		return nil, err
	}
	return s, nil
}

// columns is the second pass of [Window.scan]: workers take consecutive
// tiles and write the tiles' sums in place (no per-worker N-vectors), and
// each keeps a T × sectors table of its tiles' sector P&L, added up in
// worker order at the end. Tiles hold at most most instruments.
func (w *Window) columns(ctx context.Context, s *scan, st *sectorTiles, squares bool, most int) error {
	T, n := w.t, w.n
	s.sumR, s.cross = make([]float64, n), make([]float64, n)
	if squares {
		s.sumR2 = make([]float64, n)
	}
	count, size := tiles(n, most)
	workers := blocks(count)
	tabs := make([][]float64, workers)
	err := runBlocks(workers, count, func(worker, lo, hi int) error {
		c := columnWorker{w: w, s: s, st: st, squares: squares, size: size, zero: make([]float64, size)}
		if st != nil {
			// Four rows of padding for the days past T in the last group.
			c.tab = make([]float64, (T+4)*st.n)
		}
		for t := lo; t < hi; t++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			c.tile(t)
		}
		tabs[worker] = c.tab
		return nil
	})
	if err != nil || st == nil {
		return err
	}
	s.sectorPnL = make([][]float64, st.n)
	for j := range s.sectorPnL {
		v := make([]float64, T)
		for _, tab := range tabs {
			for k := range v {
				v[k] += tab[k*st.n+j]
			}
		}
		s.sectorPnL[j] = v
	}
	return nil
}

// columnWorker is one worker's state in the column pass.
type columnWorker struct {
	w       *Window
	s       *scan
	st      *sectorTiles
	squares bool
	size    int       // instruments per tile
	zero    []float64 // a tile of zeros: the rows past the last day
	tab     []float64 // day-major sector P&L, (T+4) × sectors
}

// tile adds tile t's returns on every day into the sums, four days at a
// time; the days past the last are rows of zeros with zero P&L, which add
// nothing.
func (c *columnWorker) tile(t int) {
	w, s := c.w, c.s
	a, b := t*c.size, min((t+1)*c.size, w.n)
	sr, cross := s.sumR[a:b], s.cross[a:b]
	for k := 0; k < w.t; k += 4 {
		var rows [4][]float64
		var p [4]float64
		for d := range 4 {
			rows[d] = c.zero[:b-a]
			if k+d < w.t {
				rows[d], p[d] = w.rowAt(k + d)[a:b], s.pnl[k+d]
			}
		}
		addDays4(sr, cross, &rows, &p)
		if c.squares {
			sr2 := s.sumR2[a:b]
			for _, r := range rows {
				r = r[:len(sr2)]
				for i, v := range r {
					sr2[i] += v * v
				}
			}
		}
		if c.st != nil {
			c.sectors(a, b, k, &rows)
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

// colSums4Go adds four days' returns r into each instrument's sums:
// sr[i] += (r0[i] + r1[i]) + (r2[i] + r3[i]) and cross[i] gains p_d·r_d[i]
// for d = 0..3 in turn, each by one fused multiply-add. It is the
// reference the assembly follows, and the kernel where there is none, so
// that the sums are the same bits on every machine.
func colSums4Go(sr, cross []float64, r *[4][]float64, p *[4]float64) {
	n := len(sr)
	cross = cross[:n]
	r0, r1, r2, r3 := r[0][:n], r[1][:n], r[2][:n], r[3][:n]
	p0, p1, p2, p3 := p[0], p[1], p[2], p[3]
	for i := range sr {
		v0, v1, v2, v3 := r0[i], r1[i], r2[i], r3[i]
		sr[i] += (v0 + v1) + (v2 + v3)
		cross[i] = math.FMA(p3, v3, math.FMA(p2, v2, math.FMA(p1, v1, math.FMA(p0, v0, cross[i]))))
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
