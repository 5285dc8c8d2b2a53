package risk

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors. Every error the package returns wraps one of them (or is
// the context's error).
var (
	// ErrInput is wrapped by every error about the caller's data or
	// arguments: a bad price, a value that is not finite, mismatched
	// dimensions, a negative size, an index out of range, a confidence
	// outside [0.5, 1), too few observations, or a result that would
	// overflow.
	ErrInput = errors.New("risk: invalid input")
	// ErrOutsideDomain is returned by [CornishFisher] when the skewness
	// and kurtosis put the expansion outside its domain of validity: the
	// Cornish–Fisher quantile is then not increasing in the probability,
	// so what it gives is not a quantile (Maillard 2012).
	ErrOutsideDomain = errors.New("risk: Cornish–Fisher expansion outside its domain (not monotone for this skewness and kurtosis)")
)

// PriceError names a price that cannot be used: missing (NaN), infinite,
// zero or negative.
type PriceError struct {
	Instrument int // column
	Day        int // row
	Value      float64
}

func (e *PriceError) Error() string {
	switch {
	case math.IsNaN(e.Value):
		return fmt.Sprintf("risk: price of instrument %d on day %d is missing (NaN)", e.Instrument, e.Day)
	case math.IsInf(e.Value, 0):
		return fmt.Sprintf("risk: price of instrument %d on day %d is infinite (%v)", e.Instrument, e.Day, e.Value)
	}
	return fmt.Sprintf("risk: price of instrument %d on day %d is not positive (%v)", e.Instrument, e.Day, e.Value)
}

// Unwrap makes errors.Is(err, ErrInput) hold.
func (e *PriceError) Unwrap() error { return ErrInput }

func inputf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, args...))
}

// checkConfidence accepts a confidence level in [0.5, 1). A level below
// one half is almost always a tail probability passed by mistake (0.05 for
// 95%), which would silently turn VaR into a gain; [FromTail] converts a
// tail probability explicitly.
func checkConfidence(c float64) error {
	if !(c > 0 && c < 1) {
		return inputf("confidence %v outside (0, 1)", c)
	}
	if c < 0.5 {
		return inputf("confidence %v below 0.5: for a tail probability of %v, pass FromTail(%v) = %v", c, c, c, 1-c)
	}
	return nil
}

// FromTail converts a tail probability p (0.01 for the worst 1%) into the
// confidence level 1 − p that every function of the package takes. It is
// how a caller says explicitly that a number below one half is a tail
// probability; p must lie in (0, 0.5].
func FromTail(p float64) (float64, error) {
	if !(p > 0 && p <= 0.5) {
		return 0, inputf("tail probability %v outside (0, 0.5]", p)
	}
	return 1 - p, nil
}

// finite reports whether every value is a finite number.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// allFinite reports whether every value of xs is finite: x·0 is 0 for a
// finite x and NaN otherwise, so a sum tells, without a branch per value.
// Four independent sums keep the additions from waiting on each other.
func allFinite(xs []float64) bool {
	var z0, z1, z2, z3 float64
	i := 0
	for ; i+4 <= len(xs); i += 4 {
		z0 += xs[i] * 0
		z1 += xs[i+1] * 0
		z2 += xs[i+2] * 0
		z3 += xs[i+3] * 0
	}
	for ; i < len(xs); i++ {
		z0 += xs[i] * 0
	}
	return z0+z1+z2+z3 == 0
}

// checkFinite fails on the first value of xs that is NaN or infinite,
// naming it.
func checkFinite(what string, xs []float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return inputf("%s %d is %v", what, i, x)
		}
	}
	return nil
}

// overflow is the error for a result that is not finite although every
// input was.
func overflow(what string) error {
	return inputf("%s overflows: the inputs are too large", what)
}
