package risk

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// The window's scan — per block of days the P&L, then the sums and the
// sectors' P&L tile by tile — gives what the definitions give, summed
// plainly day by day and instrument by instrument: with several column
// tiles and sector tiles (the last of each partial), a day count that is
// not a multiple of eight, after pushes have wrapped the ring, with
// incremental VaR's squares, and blocks of one to eight groups of eight
// days (the least a block holds).
func TestWindowScanTiles(t *testing.T) {
	ctx := context.Background()
	const T, n, nSectors = 37, 1500, 7
	prices, pos, _ := randomPortfolio(3, T+1, n)
	w, err := NewWindow(ctx, prices, MissingError)
	require.NoError(t, err)
	more, _, _ := randomPortfolio(4, 12, n)
	for d := range 11 {
		row := make([]float64, n)
		for i := range row {
			row[i] = w.last[i] * more.At(d+1, i) / more.At(d, i)
		}
		require.NoError(t, w.Push(row))
	}
	sectors := make([]int, n)
	for i := range sectors {
		sectors[i] = (i*7 + i/13) % nSectors
	}
	// The definitions.
	pnl := make([]float64, T)
	sumR, sumR2, cross := make([]float64, n), make([]float64, n), make([]float64, n)
	sec := make([][]float64, nSectors)
	for s := range sec {
		sec[s] = make([]float64, T)
	}
	for k := range T {
		for i, r := range w.rowAt(k) {
			pnl[k] += pos[i] * r
			sec[sectors[i]][k] += pos[i] * r
		}
	}
	for k := range T {
		for i, r := range w.rowAt(k) {
			sumR[i] += r
			sumR2[i] += r * r
			cross[i] += r * pnl[k]
		}
	}
	check := func(t *testing.T, s *scan) {
		nearAll(t, pnl, s.pnl, 1e-12, "pnl")
		nearAll(t, sumR, s.sumR, 1e-12, "sumR")
		nearAll(t, sumR2, s.sumR2, 1e-12, "sumR2")
		nearAll(t, cross, s.cross, 1e-12, "cross")
		require.Len(t, s.sectorPnL, nSectors)
		for j := range sec {
			nearAll(t, sec[j], s.sectorPnL[j], 1e-12, fmt.Sprintf("sector %d", j))
		}
		require.Equal(t, w.Days(), s.ends)
	}
	t.Run("P&L alone", func(t *testing.T) {
		s, err := w.scan(ctx, pos, nil, 0, false, true)
		require.NoError(t, err)
		nearAll(t, pnl, s.pnl, 1e-12, "pnl")
		require.Nil(t, s.sumR)
		require.Nil(t, s.cross)
		require.Nil(t, s.sumR2)
		require.Nil(t, s.sectorPnL)
	})
	t.Run("sectors without sums", func(t *testing.T) {
		s, err := w.scan(ctx, pos, sectors, nSectors, false, false)
		require.NoError(t, err)
		require.Nil(t, s.sumR)
		for j := range sec {
			nearAll(t, sec[j], s.sectorPnL[j], 1e-12, fmt.Sprintf("sector %d", j))
		}
	})
	t.Run("scan", func(t *testing.T) {
		s, err := w.scan(ctx, pos, sectors, nSectors, true, true)
		require.NoError(t, err)
		check(t, s)
	})
	for _, most := range []int{sectorTile, 1024, maxTile} {
		for _, days := range []int{8, 16, 24, 40, 64} {
			t.Run(fmt.Sprintf("tiles of at most %d, blocks of %d days", most, days), func(t *testing.T) {
				s, err := w.scanBlocked(ctx, pos, newSectorTiles(sectors, nSectors, pos), true, true, days*8*n, most)
				require.NoError(t, err)
				check(t, s)
			})
		}
	}
}
