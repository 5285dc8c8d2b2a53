package connectors

import "math"

// Rolling is a fixed-size sliding window over a stream of numbers — pandas'
// Series.rolling(window) — with mean, sum, variance, min and max of the
// last Window values, each Add in O(1) amortized time and O(window) memory.
// The variance updates by the sliding form of Welford's algorithm, so a
// long stream does not drift the way running sums of squares do.
type Rolling struct {
	buf        []float64
	next, n    int
	mean, m2   float64
	seq        int64
	mins, maxs []seqValue // monotonic deques
}

type seqValue struct {
	seq int64
	v   float64
}

// NewRolling returns an empty window of the given size (at least 1).
func NewRolling(window int) *Rolling {
	if window < 1 {
		panic("connectors: NewRolling: window must be at least 1")
	}
	return &Rolling{buf: make([]float64, window)}
}

// Add pushes x, dropping the oldest value once the window is full. NaN is
// the caller's to filter.
func (r *Rolling) Add(x float64) {
	w := len(r.buf)
	if r.n < w {
		r.n++
		d := x - r.mean
		r.mean += d / float64(r.n)
		r.m2 += d * (x - r.mean)
	} else {
		old := r.buf[r.next]
		mean := r.mean + (x-old)/float64(w)
		r.m2 += (x - old) * (x - mean + old - r.mean)
		r.mean = mean
		if r.m2 < 0 { // rounding on a constant window
			r.m2 = 0
		}
	}
	r.buf[r.next] = x
	r.next = (r.next + 1) % w

	expired := r.seq - int64(w) // the sequence number leaving the window
	for len(r.mins) > 0 && r.mins[len(r.mins)-1].v >= x {
		r.mins = r.mins[:len(r.mins)-1]
	}
	r.mins = append(r.mins, seqValue{r.seq, x})
	for len(r.maxs) > 0 && r.maxs[len(r.maxs)-1].v <= x {
		r.maxs = r.maxs[:len(r.maxs)-1]
	}
	r.maxs = append(r.maxs, seqValue{r.seq, x})
	for r.mins[0].seq <= expired {
		r.mins = r.mins[1:]
	}
	for r.maxs[0].seq <= expired {
		r.maxs = r.maxs[1:]
	}
	r.seq++
}

// Ready reports whether the window is full; pandas shows NaN before.
func (r *Rolling) Ready() bool { return r.n == len(r.buf) }

// Len is the number of values in the window.
func (r *Rolling) Len() int { return r.n }

// Mean of the window; NaN when empty.
func (r *Rolling) Mean() float64 {
	if r.n == 0 {
		return math.NaN()
	}
	return r.mean
}

// Sum of the window.
func (r *Rolling) Sum() float64 { return r.mean * float64(r.n) }

// Variance is the sample variance of the window (n-1 denominator, as
// pandas); NaN for fewer than two values.
func (r *Rolling) Variance() float64 {
	if r.n < 2 {
		return math.NaN()
	}
	return r.m2 / float64(r.n-1)
}

// StdDev is the square root of Variance.
func (r *Rolling) StdDev() float64 { return math.Sqrt(r.Variance()) }

// Min of the window; NaN when empty.
func (r *Rolling) Min() float64 {
	if r.n == 0 {
		return math.NaN()
	}
	return r.mins[0].v
}

// Max of the window; NaN when empty.
func (r *Rolling) Max() float64 {
	if r.n == 0 {
		return math.NaN()
	}
	return r.maxs[0].v
}
