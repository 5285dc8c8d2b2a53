// Package lttb is Sveinn Steinarsson's largest-triangle-three-buckets
// downsampling, shared by components (charts) and connectors (streams),
// which may not import each other.
package lttb

import "math"

// Indices is the implementation of connectors.LTTB and components.LTTB;
// the full description, with its conventions, is on connectors.LTTB.
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
