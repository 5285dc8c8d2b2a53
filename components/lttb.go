package components

import "github.com/dashkit/dashkit/internal/lttb"

// LTTB returns the indices of at most maxPoints points of the series (x, y),
// chosen by largest-triangle-three-buckets downsampling so that peaks and
// troughs survive; [Line.MaxPoints] uses it. It is the same function as
// [github.com/dashkit/dashkit/connectors.LTTB]: see there for the algorithm
// and its conventions (sorted x, NaN gaps, small maxPoints).
func LTTB(x, y []float64, maxPoints int) []int { return lttb.Indices(x, y, maxPoints) }
