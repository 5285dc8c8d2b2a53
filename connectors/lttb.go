package connectors

import "math"

// LTTB downsamples the series (x[i], y[i]) to at most maxPoints points by
// Sveinn Steinarsson's largest-triangle-three-buckets algorithm
// ("Downsampling Time Series for Visual Representation", University of
// Iceland, 2013), which keeps the shape a chart shows — peaks and troughs
// — where taking every n-th point or bucket means would flatten them. It
// returns the indices of the kept points in order: the first and last
// always, and one per bucket between, so the caller keeps whole records.
//
// x must be sorted ascending; x and y must have the same length and be
// finite (drop NaN first). With maxPoints < 3 or no more points than
// maxPoints, every index is returned.
func LTTB(x, y []float64, maxPoints int) []int {
	n := len(x)
	if len(y) != n {
		panic("connectors: LTTB: x and y lengths differ")
	}
	if maxPoints >= n || maxPoints < 3 {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, 0, maxPoints)
	out = append(out, 0)
	every := float64(n-2) / float64(maxPoints-2)
	a := 0
	for i := range maxPoints - 2 {
		// The average of the next bucket is the triangle's third vertex.
		lo := int(math.Floor(float64(i+1)*every)) + 1
		hi := min(int(math.Floor(float64(i+2)*every))+1, n)
		var avgX, avgY float64
		for j := lo; j < hi; j++ {
			avgX += x[j]
			avgY += y[j]
		}
		avgX /= float64(hi - lo)
		avgY /= float64(hi - lo)

		from := int(math.Floor(float64(i)*every)) + 1
		to := int(math.Floor(float64(i+1)*every)) + 1
		ax, ay := x[a], y[a]
		best, bestArea := from, -1.0
		for j := from; j < to; j++ {
			area := math.Abs((ax-avgX)*(y[j]-ay) - (ax-x[j])*(avgY-ay))
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		out = append(out, best)
		a = best
	}
	return append(out, n-1)
}
