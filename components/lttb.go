package components

import "github.com/dashkit/dashkit/internal/lttb"

// LTTB returns the indices of at most threshold points of the series (x, y)
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
func LTTB(x, y []float64, threshold int) []int { return lttb.Indices(x, y, threshold) }
