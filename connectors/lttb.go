package connectors

import "github.com/dashkit/dashkit/internal/lttb"

// LTTB downsamples the series (x[i], y[i]) to at most maxPoints points by
// Sveinn Steinarsson's largest-triangle-three-buckets algorithm
// ("Downsampling Time Series for Visual Representation", University of
// Iceland, 2013), which keeps the shape a chart shows — peaks and troughs
// — where taking every n-th point or bucket means would flatten them. It
// returns the indices of the kept points in order: the first and last
// always, and one per bucket between, so the caller keeps whole records.
//
// x must be sorted ascending and as long as y (it panics otherwise). A NaN
// y is never chosen over a real one; a bucket of NaNs yields its first
// index, so a gap stays a gap. With maxPoints < 3 or no more points than
// maxPoints, every index is returned.
func LTTB(x, y []float64, maxPoints int) []int { return lttb.Indices(x, y, maxPoints) }
