package oee

import (
	"cmp"
	"math/big"
	"math/bits"
	"strings"
	"time"
)

// Span is an amount of time in nanoseconds, held exactly as a 128-bit
// integer. The times in [Totals] are Spans because a roll-up outgrows a
// [time.Duration]: 300 machines over a year are about 300 machine-years,
// past the 292 years of an int64 of nanoseconds. A Span holds ±5 × 10²¹
// years, more than the sum of any number of Durations a program can hold,
// so sums of Spans never overflow; they are exact and do not depend on the
// order of addition, so a facility's totals equal the sum of its machines'
// to the nanosecond.
//
// The zero value is zero time. Spans are comparable with ==; use
// [Span.Cmp] to order them. [Span.Hours], [Span.Minutes] and
// [Span.Seconds] give the time as a float64 (as [time.Duration] does,
// exactly rounded while it fits in a Duration, within one part in 2⁵²
// beyond).
type Span struct {
	hi int64 // two's complement: the value is hi·2⁶⁴ + lo
	lo uint64
}

// SpanOf returns d as a Span.
func SpanOf(d time.Duration) Span { return Span{hi: int64(d) >> 63, lo: uint64(d)} }

// Add returns s + u.
func (s Span) Add(u Span) Span {
	lo, carry := bits.Add64(s.lo, u.lo, 0)
	return Span{hi: s.hi + u.hi + int64(carry), lo: lo}
}

// Sub returns s − u.
func (s Span) Sub(u Span) Span {
	lo, borrow := bits.Sub64(s.lo, u.lo, 0)
	return Span{hi: s.hi - u.hi - int64(borrow), lo: lo}
}

// Neg returns −s.
func (s Span) Neg() Span { return Span{}.Sub(s) }

// Cmp returns −1, 0 or +1 as s is less than, equal to or greater than u.
func (s Span) Cmp(u Span) int {
	if s.hi != u.hi {
		return cmp.Compare(s.hi, u.hi)
	}
	return cmp.Compare(s.lo, u.lo)
}

// Sign returns −1, 0 or +1 as s is negative, zero or positive.
func (s Span) Sign() int { return s.Cmp(Span{}) }

// Duration returns s as a time.Duration; ok is false, and d zero, when s is
// outside the ±292 years a Duration holds.
func (s Span) Duration() (d time.Duration, ok bool) {
	if s.hi != int64(s.lo)>>63 {
		return 0, false
	}
	return time.Duration(s.lo), true
}

// Nanoseconds returns s in nanoseconds as a float64.
func (s Span) Nanoseconds() float64 {
	if d, ok := s.Duration(); ok {
		return float64(d)
	}
	return float64(s.hi)*(1<<64) + float64(s.lo)
}

// in returns s in units of unit, exactly as [time.Duration]'s methods do
// while s fits one.
func (s Span) in(unit time.Duration) float64 {
	if d, ok := s.Duration(); ok {
		return float64(d/unit) + float64(d%unit)/float64(unit)
	}
	return s.Nanoseconds() / float64(unit)
}

// Seconds returns s in seconds.
func (s Span) Seconds() float64 { return s.in(time.Second) }

// Minutes returns s in minutes.
func (s Span) Minutes() float64 { return s.in(time.Minute) }

// Hours returns s in hours.
func (s Span) Hours() float64 { return s.in(time.Hour) }

// String formats s as [time.Duration.String] does ("72h3m0.5s"), with as
// many hours as it takes beyond 292 years ("2663040h0m0s").
func (s Span) String() string {
	if d, ok := s.Duration(); ok {
		return d.String()
	}
	if s.Sign() < 0 {
		return "-" + s.Neg().String()
	}
	hours, rem := new(big.Int).QuoRem(s.big(), big.NewInt(int64(time.Hour)), new(big.Int))
	// One hour plus the remainder formats as "1h…m…s": keep the "…m…s".
	return hours.String() + "h" + strings.TrimPrefix((time.Hour+time.Duration(rem.Int64())).String(), "1h")
}

// big returns s as a big.Int.
func (s Span) big() *big.Int {
	n := new(big.Int).Lsh(big.NewInt(s.hi), 64)
	return n.Add(n, new(big.Int).SetUint64(s.lo))
}

// MarshalText writes s as its integer number of nanoseconds, exactly.
func (s Span) MarshalText() ([]byte, error) { return []byte(s.big().String()), nil }

// UnmarshalText reads an integer number of nanoseconds written by
// [Span.MarshalText]; a number outside ±(2¹²⁷ − 1) is an error
// wrapping [ErrInput].
func (s *Span) UnmarshalText(text []byte) error {
	n, ok := new(big.Int).SetString(string(text), 10)
	if !ok || n.BitLen() > 127 {
		return inputf("span %q is not an integer number of nanoseconds within ±(2¹²⁷ − 1)", text)
	}
	abs := new(big.Int).Abs(n)
	lo := new(big.Int).And(abs, new(big.Int).SetUint64(1<<64-1)).Uint64()
	v := Span{hi: int64(new(big.Int).Rsh(abs, 64).Uint64()), lo: lo}
	if n.Sign() < 0 {
		v = v.Neg()
	}
	*s = v
	return nil
}

// div returns s / n, truncated toward zero, for n > 0.
func (s Span) div(n uint64) Span {
	if s.Sign() < 0 {
		return s.Neg().div(n).Neg()
	}
	hi, r := uint64(s.hi)/n, uint64(s.hi)%n
	lo, _ := bits.Div64(r, s.lo, n)
	return Span{hi: int64(hi), lo: lo}
}

// fraction is a / b, or 0 when b is not positive.
func fraction(a, b Span) float64 {
	if b.Sign() <= 0 {
		return 0
	}
	return a.Nanoseconds() / b.Nanoseconds()
}
