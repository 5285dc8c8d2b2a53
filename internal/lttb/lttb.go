// Package lttb is Sveinn Steinarsson's largest-triangle-three-buckets
// downsampling, shared by components (charts) and connectors (streams),
// which may not import each other.
package lttb

import "math"

// Indices returns the indices of at most threshold points of the series (x, y)
// chosen by Steinarsson's largest-triangle-three-buckets algorithm
// ("Downsampling Time Series for Visual Representation", 2013): the first
// and last points, and from each of threshold-2 equal buckets between them
// the point forming the largest triangle with the point chosen in the bucket
// before and the mean of the bucket after. Peaks and troughs survive, so a
// downsampled line looks like the original.
//
// x must be increasing. A point whose y is NaN is never chosen over a real
// one; a bucket of NaNs yields its first index, so a long gap stays a gap.
// With threshold < 3 or no more points than threshold, every index is
// returned.
func Indices(x, y []float64, threshold int) []int {
	n := len(y)
	if len(x) != n {
		panic("lttb: x and y lengths differ")
	}
	if threshold < 3 || n <= threshold {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, 0, threshold)
	out = append(out, 0)
	every := float64(n-2) / float64(threshold-2)
	a := 0
	for i := range threshold - 2 {
		// The next bucket's mean is the third vertex.
		nextStart := int(math.Floor(float64(i+1)*every)) + 1
		nextEnd := min(int(math.Floor(float64(i+2)*every))+1, n)
		avgX, avgY, cnt := 0.0, 0.0, 0
		for j := nextStart; j < nextEnd; j++ {
			if !math.IsNaN(y[j]) {
				avgX += x[j]
				avgY += y[j]
				cnt++
			}
		}
		if cnt > 0 {
			avgX /= float64(cnt)
			avgY /= float64(cnt)
		} else {
			avgX, avgY = x[min(nextStart, n-1)], y[a]
		}
		start := int(math.Floor(float64(i)*every)) + 1
		end := int(math.Floor(float64(i+1)*every)) + 1
		best, bestArea := start, -1.0
		for j := start; j < end; j++ {
			if math.IsNaN(y[j]) {
				continue
			}
			area := math.Abs((x[a]-avgX)*(y[j]-y[a]) - (x[a]-x[j])*(avgY-y[a]))
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		out = append(out, best)
		if !math.IsNaN(y[best]) {
			a = best
		}
	}
	return append(out, n-1)
}
