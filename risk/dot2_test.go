package risk

import (
	"math"
	"math/rand/v2"
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

// addDays4 (AVX2 where the CPU has it) adds four days into the sums bit
// for bit as the reference colSums4Go, for every length of tail and
// unaligned slices, with the sums' own values of mixed magnitude so that
// the order of the additions and the fused multiply-adds show.
func TestAddDays4EqualsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	draw := func(n int) []float64 { return drawMixed(rng, n) }
	for n := range 70 {
		for range 20 {
			sr, cross := draw(n), draw(n+2)
			rows := [4][]float64{draw(n + 1), draw(n), draw(n + 3), draw(n)}
			p := [4]float64{rng.NormFloat64() * 1e6, rng.NormFloat64(), -rng.Float64() * 1e3, rng.NormFloat64() * 1e-3}
			wantR, wantC := append([]float64(nil), sr...), append([]float64(nil), cross...)
			colSums4Go(wantR, wantC, &rows, &p)
			addDays4(sr, cross, &rows, &p)
			for i := range wantR {
				require.Equal(t, math.Float64bits(wantR[i]), math.Float64bits(sr[i]), "n=%d sr[%d]", n, i)
			}
			for i := range wantC {
				require.Equal(t, math.Float64bits(wantC[i]), math.Float64bits(cross[i]), "n=%d cross[%d]", n, i)
			}
		}
	}
	_ = haveAVX
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
