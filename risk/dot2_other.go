//go:build !amd64

package risk

// dotPair is [dot] of x with r and with s: the P&L of two days.
func dotPair(x, r, s []float64) (float64, float64) {
	return dot(x, r), dot(x, s)
}

// dotQuad is [dot] of x with four rows: the P&L of four days.
func dotQuad(x []float64, r *[4][]float64) [4]float64 {
	return [4]float64{dot(x, r[0]), dot(x, r[1]), dot(x, r[2]), dot(x, r[3])}
}

// addDays8 adds eight days' returns r, weighted by their P&L p, into
// each instrument's sum cross.
func addDays8(cross []float64, r *[8][]float64, p *[8]float64) {
	colCross8Go(cross, r, p)
}

// pushRow is [pushGo].
func pushRow(row, cur, last, s, c, old []float64) { pushGo(row, cur, last, s, c, old) }

// haveAVX is false: there is no assembly kernel here.
const haveAVX = false
