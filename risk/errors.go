package risk

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns wraps one of them.
var (
	// ErrInput is wrapped by every error about the caller's data or
	// arguments: a bad price, mismatched dimensions, a confidence outside
	// (0, 1), too few observations.
	ErrInput = errors.New("risk: invalid input")
)

// PriceError names a price that cannot be used: missing (NaN), infinite,
// zero or negative.
type PriceError struct {
	Instrument int // column
	Day        int // row
	Value      float64
}

func (e *PriceError) Error() string {
	what := "not positive"
	switch {
	case e.Value != e.Value:
		what = "missing (NaN)"
	case e.Value > 1e308 || e.Value < -1e308:
		what = "infinite"
	}
	return fmt.Sprintf("risk: price of instrument %d on day %d is %s (%v)", e.Instrument, e.Day, what, e.Value)
}

// Unwrap makes errors.Is(err, ErrInput) hold.
func (e *PriceError) Unwrap() error { return ErrInput }

func inputf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, args...))
}

func checkConfidence(c float64) error {
	if !(c > 0 && c < 1) {
		return inputf("confidence %v outside (0, 1)", c)
	}
	return nil
}
