package risk

import "golang.org/x/sys/cpu"

// dot2 is two dot products with x in one pass over it (dot2_amd64.s).
//
//go:noescape
func dot2(x, r, s []float64) (a, b float64)

// dotPair is [dot] of x with r and with s, reading x once: the P&L of two
// days. Each sum is bit for bit the one dot gives.
func dotPair(x, r, s []float64) (float64, float64) {
	return dot2(x, r[:len(x)], s[:len(x)])
}

// dot4 is four dot products with x in one pass over it (dot2_amd64.s).
//
//go:noescape
func dot4(x, r0, r1, r2, r3 []float64) (a0, a1, a2, a3 float64)

// dot4AVX is dot4 in AVX, the same bits (dot2_amd64.s).
//
//go:noescape
func dot4AVX(x, r0, r1, r2, r3 []float64) (a0, a1, a2, a3 float64)

// dotQuad is [dot] of x with four rows, reading x once: the P&L of four
// days. Each sum is bit for bit the one dot gives, in AVX where the CPU
// has it (half the instructions of SSE2).
func dotQuad(x []float64, r *[4][]float64) [4]float64 {
	n := len(x)
	var a0, a1, a2, a3 float64
	if haveAVX {
		a0, a1, a2, a3 = dot4AVX(x, r[0][:n], r[1][:n], r[2][:n], r[3][:n])
	} else {
		a0, a1, a2, a3 = dot4(x, r[0][:n], r[1][:n], r[2][:n], r[3][:n])
	}
	return [4]float64{a0, a1, a2, a3}
}

// colCross8AVX is [colCross8Go] in AVX2 and FMA (dot2_amd64.s).
//
//go:noescape
func colCross8AVX(cross []float64, rows *[8]*float64, p *[8]float64)

// haveAVX is whether the CPU (and OS) run the AVX kernels: colCross8AVX
// needs AVX2 and FMA, dot4AVX and pushAVX AVX, which every AVX2 CPU has.
var haveAVX = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// addDays8 adds eight days' returns r, weighted by their P&L p, into
// each instrument's sum cross, bit for bit as [colCross8Go], in AVX2
// where the CPU has it. Every row must be at least len(cross) long.
func addDays8(cross []float64, r *[8][]float64, p *[8]float64) {
	if !haveAVX {
		colCross8Go(cross, r, p)
		return
	}
	n := len(cross)
	var ptrs [8]*float64
	for d, row := range r {
		if len(row) < n {
			panic("risk: a row shorter than the sums")
		}
		if n > 0 {
			ptrs[d] = &row[0]
		}
	}
	if n > 0 {
		colCross8AVX(cross, &ptrs, p)
	}
}

// pushAVX is [pushGo] in AVX (dot2_amd64.s).
//
//go:noescape
func pushAVX(row, cur, last, s, c, old []float64)

// pushRow is [pushGo], in AVX where the CPU has it.
func pushRow(row, cur, last, s, c, old []float64) {
	if !haveAVX {
		pushGo(row, cur, last, s, c, old)
		return
	}
	n := len(row)
	pushAVX(row, cur[:n], last[:n], s[:n], c[:n], old[:n])
}
