package components

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Style says what kind of number is written, as in JavaScript's
// Intl.NumberFormat.
type Style int

// The number styles. The zero value is StyleDecimal.
const (
	// StyleDecimal writes digits with thousands separators: 1,234,567.
	StyleDecimal Style = iota
	// StylePercent treats the value as a fraction: 0.052 is 5.2%.
	StylePercent
	// StyleCurrency writes a currency symbol before the number: $1,234.
	StyleCurrency
)

// NumberFormat is a complete description of how to write a number.
type NumberFormat struct {
	// Style picks decimal, percent or currency; zero is StyleDecimal.
	Style Style
	// Decimals is the number of digits after the point; zero writes none.
	Decimals int
	// Compact writes thousands as K, millions as M, billions as B and
	// trillions as T (2.4M), with Decimals digits after the point. It applies
	// to numbers and currency.
	Compact bool
	// Currency is the symbol for StyleCurrency; empty means "$".
	Currency string
	// Unit is appended after a space when not empty: "12 ms".
	Unit string
}

// compactStep is a compact suffix and the power of ten it stands for.
type compactStep struct {
	limit  float64
	suffix string
}

// compactSteps returns the compact suffixes, largest first, as an array
// value: no package variable holds them.
func compactSteps() [4]compactStep {
	return [4]compactStep{{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}}
}

// Format writes v. NaN and infinities are written as "n/a", "∞" and "-∞":
// they never pass silently as numbers.
func (f NumberFormat) Format(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	}
	dec := max(f.Decimals, 0)
	neg := v < 0
	a := math.Abs(v)
	var body string
	switch {
	case f.Style == StylePercent:
		body = group(strconv.FormatFloat(a*100, 'f', dec, 64)) + "%"
	case f.Compact:
		body = compact(a, dec)
	default:
		body = group(strconv.FormatFloat(a, 'f', dec, 64))
	}
	if f.Style == StyleCurrency {
		body = cmp.Or(f.Currency, "$") + body
	}
	if neg && !isZero(body) {
		body = "-" + body
	}
	if f.Unit != "" {
		body += " " + f.Unit
	}
	return body
}

func compact(a float64, dec int) string {
	steps := compactSteps()
	for i, s := range steps {
		if a < s.limit {
			continue
		}
		str := strconv.FormatFloat(a/s.limit, 'f', dec, 64)
		// 999,950 with one decimal rounds to 1000.0K: write 1.0M instead.
		if r, _ := strconv.ParseFloat(str, 64); r >= 1000 && i > 0 {
			up := steps[i-1]
			return strconv.FormatFloat(a/up.limit, 'f', dec, 64) + up.suffix
		}
		return str + s.suffix
	}
	return strconv.FormatFloat(a, 'f', dec, 64)
}

// isZero reports whether a formatted number has only zero digits, so that
// -0.001 with no decimals is written "0" and not "-0".
func isZero(s string) bool {
	for _, r := range s {
		if r >= '1' && r <= '9' {
			return false
		}
	}
	return true
}

// group inserts thousands separators into the integer part of a plain decimal.
func group(s string) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if len(intPart) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(intPart) % 3
	if lead > 0 {
		b.WriteString(intPart[:lead])
	}
	for i := lead; i < len(intPart); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Duration writes d for people, in its two largest units at most (days
// from 48 hours on): "24 h",
// "10 min", "1 h 30 min", "2 d 3 h", "45 s", "250 ms". Zero is "0 s"; a
// negative duration is written with a minus sign.
func Duration(d time.Duration) string {
	if d < 0 {
		return "-" + Duration(-d)
	}
	if d < time.Second {
		if d == 0 {
			return "0 s"
		}
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	units := [4]struct {
		size time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "min"}, {time.Second, "s"}}
	var parts []string
	for _, u := range units {
		if u.name == "d" && d < 48*time.Hour {
			continue // "24 h", "36 h": days from two on
		}
		if n := d / u.size; n > 0 || len(parts) > 0 {
			if n > 0 {
				parts = append(parts, strconv.FormatInt(int64(n), 10)+" "+u.name)
			}
			d -= n * u.size
			if len(parts) == 2 || len(parts) == 1 && n == 0 {
				break
			}
		}
	}
	return strings.Join(parts, " ")
}

// Distinct returns f with Decimals raised, if need be, until the smallest
// difference between two of the values shows: 0.0067% and 0.0075% need
// four decimals in percent, where two would write both as 0.01%. Digits
// stop at three significant ones of the smallest non-zero magnitude, so
// values that differ only by noise do not ask for more. Compact formats
// and NaNs are left as they are.
func (f NumberFormat) Distinct(values []float64) NumberFormat {
	scale := 1.0
	if f.Style == StylePercent {
		scale = 100
	}
	var xs []float64
	smallest := math.Inf(1)
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		x := v * scale
		xs = append(xs, x)
		if a := math.Abs(x); a > 0 {
			smallest = math.Min(smallest, a)
		}
	}
	if f.Compact || len(xs) < 2 || math.IsInf(smallest, 1) {
		return f
	}
	slices.Sort(xs)
	diff := math.Inf(1)
	for i := 1; i < len(xs); i++ {
		if d := xs[i] - xs[i-1]; d > 0 {
			diff = math.Min(diff, d)
		}
	}
	if math.IsInf(diff, 1) {
		return f
	}
	need := int(math.Ceil(-math.Log10(diff) - 1e-9))
	most := 2 - int(math.Floor(math.Log10(smallest)))
	f.Decimals = max(f.Decimals, min(need, most))
	return f
}
