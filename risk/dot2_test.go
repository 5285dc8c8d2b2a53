package risk

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// dotPair gives each day's P&L bit for bit as dot does (gonum's
// floats.Dot), for every length of tail and unaligned slices, with values
// of mixed sign and magnitude so that the summation order shows.
func TestDotPairEqualsDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	draw := func(n int) []float64 { return drawMixed(rng, n) }
	for n := range 70 {
		for range 20 {
			x, r, s := draw(n), draw(n+3), draw(n)
			a, b := dotPair(x, r, s)
			require.Equal(t, math.Float64bits(dot(x, r)), math.Float64bits(a), "n=%d", n)
			require.Equal(t, math.Float64bits(dot(x, s)), math.Float64bits(b), "n=%d", n)
		}
	}
	require.Panics(t, func() { dotPair(make([]float64, 3), make([]float64, 2), make([]float64, 3)) })
}

// dotQuad gives each of four days' P&L bit for bit as dot does.
func TestDotQuadEqualsDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	draw := func(n int) []float64 { return drawMixed(rng, n) }
	for n := range 70 {
		for range 20 {
			x := draw(n)
			rows := [4][]float64{draw(n + 1), draw(n), draw(n + 5), draw(n)}
			got := dotQuad(x, &rows)
			for j, r := range rows {
				require.Equal(t, math.Float64bits(dot(x, r)), math.Float64bits(got[j]), "n=%d row %d", n, j)
			}
			// Both kernels, whichever dotQuad took.
			for _, k := range quadKernels() {
				a := k(x, &rows)
				require.Equal(t, got, a, "n=%d", n)
			}
		}
	}
	require.Panics(t, func() {
		dotQuad(make([]float64, 3), &[4][]float64{make([]float64, 3), make([]float64, 3), make([]float64, 2), make([]float64, 3)})
	})
}

// addDays8 (AVX2 where the CPU has it) adds eight days into the cross
// sums bit for bit as the reference colCross8Go, for every length of
// tail and unaligned slices, with the sums' own values of mixed magnitude
// so that the order of the fused multiply-adds shows.
func TestAddDays8EqualsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	draw := func(n int) []float64 { return drawMixed(rng, n) }
	for n := range 70 {
		for range 20 {
			cross := draw(n)
			var rows [8][]float64
			var p [8]float64
			for d := range rows {
				rows[d] = draw(n + d%3)
				p[d] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-3))
			}
			want := append([]float64(nil), cross...)
			colCross8Go(want, &rows, &p)
			addDays8(cross, &rows, &p)
			for i := range want {
				require.Equal(t, math.Float64bits(want[i]), math.Float64bits(cross[i]), "n=%d cross[%d]", n, i)
			}
		}
	}
	require.Panics(t, func() {
		rows := [8][]float64{make([]float64, 3), make([]float64, 3), make([]float64, 2)}
		addDays8(make([]float64, 3), &rows, &[8]float64{})
	})
	_ = haveAVX
}

// pushRow (AVX where the CPU has it) is pushGo bit for bit, for every
// tail length, with prices and returns of mixed magnitude and signed
// zeros among the old returns; and the compensated sums it keeps are the
// exact sum of what was added and taken away, where the plain sum drifts.
func TestPushRowEqualsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	positive := func(n int) []float64 {
		v := drawMixed(rng, n)
		for i := range v {
			v[i] = math.Abs(v[i]) + 1e-3
		}
		return v
	}
	for n := range 40 {
		s, c, old := drawMixed(rng, n), drawMixed(rng, n), drawMixed(rng, n)
		cur, last := positive(n), positive(n)
		if n > 2 {
			old[0], old[1] = 0, math.Copysign(0, -1)
			cur[0] = last[0] // a return of exactly zero
		}
		ws, wc, wl, prev := slices.Clone(s), slices.Clone(c), slices.Clone(last), slices.Clone(last)
		want, got := make([]float64, n), make([]float64, n)
		pushGo(want, cur, wl, ws, wc, old)
		pushRow(got, cur, last, s, c, old)
		for i := range want {
			require.Equal(t, math.Float64bits(want[i]), math.Float64bits(got[i]), "n=%d row[%d]", n, i)
			require.Equal(t, math.Float64bits(ws[i]), math.Float64bits(s[i]), "n=%d s[%d]", n, i)
			require.Equal(t, math.Float64bits(wc[i]), math.Float64bits(c[i]), "n=%d c[%d]", n, i)
			require.Equal(t, cur[i], last[i], "n=%d last[%d]", n, i)
			require.Equal(t, cur[i]/prev[i]-1, got[i], "n=%d: the return", n)
		}
	}
	// 1 + 1e-16 − 1, a thousand times over, through slideGo (which
	// pushGo, and so pushRow, adds with): the plain sum loses every
	// 1e-16; the compensated one keeps them all.
	s, c, plain := []float64{0}, []float64{0}, 0.0
	for range 1000 {
		slideGo(s, c, []float64{1}, []float64{0})
		slideGo(s, c, []float64{1e-16}, []float64{0})
		slideGo(s, c, []float64{0}, []float64{1})
		plain = plain + 1 + 1e-16 - 1
	}
	require.InEpsilon(t, 1e-13, s[0]+c[0], 1e-12)
	require.Greater(t, math.Abs(plain-1e-13), 1e-14, "the plain sum should drift")
}

// drawMixed is n values of mixed sign and magnitude (1e-6 to 1e6), so
// that the order of a sum shows in its bits, in a slice that starts one
// element into its array (unaligned).
func drawMixed(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n+1)
	for i := range v {
		v[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-6))
	}
	return v[1:]
}

// addRows adds any number of rows (several groups of eight and a partial
// one) bit for bit as adding them one by one, signed zeros aside.
func TestAddRowsEqualsOneByOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, count := range []int{0, 1, 7, 8, 9, 17, 20} {
		for _, n := range []int{0, 1, 5, 64, 1001} {
			acc := drawMixed(rng, n)
			rows := make([][]float64, count)
			for r := range rows {
				rows[r] = drawMixed(rng, n+r%2)
			}
			want := slices.Clone(acc)
			for _, r := range rows {
				for i := range want {
					want[i] += r[i]
				}
			}
			addRows(acc, rows)
			for i := range want {
				require.Equal(t, math.Float64bits(want[i]), math.Float64bits(acc[i]), "%d rows, n=%d, [%d]", count, n, i)
			}
		}
	}
}
