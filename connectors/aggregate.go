package connectors

import "math"

// Agg is a mergeable summary of a stream of numbers: count, sum, mean,
// min, max and variance by Welford's online algorithm. Partials from chunks
// or files combine exactly with Merge (Chan, Golub and LeVeque's pairwise
// update), in any order, to the same result as one pass up to rounding.
type Agg struct {
	N        int64
	Sum      float64
	mean, m2 float64
	Min, Max float64
}

// Add includes one value. NaN is the caller's to filter (a missing value
// policy decides it at decoding).
func (a *Agg) Add(x float64) {
	if a.N == 0 {
		a.Min, a.Max = x, x
	} else {
		// The built-in min and max are math.Min and math.Max (NaN wins,
		// min(-0, 0) is -0), inlined.
		a.Min, a.Max = min(a.Min, x), max(a.Max, x)
	}
	a.N++
	a.Sum += x
	d := x - a.mean
	a.mean += d / float64(a.N)
	a.m2 += d * (x - a.mean)
}

// Merge folds b into a.
func (a *Agg) Merge(b Agg) {
	if b.N == 0 {
		return
	}
	if a.N == 0 {
		*a = b
		return
	}
	n := a.N + b.N
	d := b.mean - a.mean
	a.m2 += b.m2 + d*d*float64(a.N)*float64(b.N)/float64(n)
	a.mean += d * float64(b.N) / float64(n)
	a.N = n
	a.Sum += b.Sum
	a.Min, a.Max = math.Min(a.Min, b.Min), math.Max(a.Max, b.Max)
}

// Mean is the arithmetic mean; 0 for no values.
func (a Agg) Mean() float64 { return a.mean }

// Variance is the sample variance (divisor n−1); 0 for fewer than two
// values.
func (a Agg) Variance() float64 {
	if a.N < 2 {
		return 0
	}
	return a.m2 / float64(a.N-1)
}

// StdDev is the sample standard deviation.
func (a Agg) StdDev() float64 { return math.Sqrt(a.Variance()) }
