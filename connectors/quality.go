package connectors

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Rule is one declarative data-quality check on records of type T, made by
// [Required], [Range], [OneOf], [Increasing] or [Unique] and run by a
// [Checker].
type Rule[T any] struct {
	name, field string
	// start returns a fresh check, with its own state, for one Checker.
	start func() func(T) (bad bool, detail string)
}

// Violation is one record breaking one rule.
type Violation struct {
	// Row is the record's 1-based position in everything the Checker saw.
	Row    int64
	Rule   string
	Field  string
	Detail string
}

// String is "row N: field rule: detail".
func (v Violation) String() string {
	return fmt.Sprintf("row %d: %s %s: %s", v.Row, v.Field, v.Rule, v.Detail)
}

// Required flags records whose field is its zero value (an empty string or
// category, a zero time, 0) or NaN, a missing number kept by the
// [MissingPolicy]. For a float where 0 is a real reading, use Range.
func Required[T any, V comparable](field string, get func(T) V) Rule[T] {
	var zero V
	return Rule[T]{name: "required", field: field, start: func() func(T) (bool, string) {
		return func(r T) (bool, string) {
			v := get(r)
			if v == zero || v != v { // v != v: NaN
				return true, "missing"
			}
			return false, ""
		}
	}}
}

// Range flags records whose field is outside [lo, hi], or NaN.
func Range[T any, V cmp.Ordered](field string, get func(T) V, lo, hi V) Rule[T] {
	return Rule[T]{name: "range", field: field, start: func() func(T) (bool, string) {
		return func(r T) (bool, string) {
			v := get(r)
			if v != v || v < lo || v > hi {
				return true, fmt.Sprintf("%v outside [%v, %v]", v, lo, hi)
			}
			return false, ""
		}
	}}
}

// OneOf flags records whose field is not one of allowed.
func OneOf[T any, V comparable](field string, get func(T) V, allowed ...V) Rule[T] {
	set := make(map[V]struct{}, len(allowed))
	for _, a := range allowed {
		set[a] = struct{}{}
	}
	return Rule[T]{name: "allowed values", field: field, start: func() func(T) (bool, string) {
		return func(r T) (bool, string) {
			v := get(r)
			if _, ok := set[v]; !ok {
				return true, fmt.Sprintf("%v not allowed", v)
			}
			return false, ""
		}
	}}
}

// Increasing flags records whose time is before the previous record's
// (equal times pass; strict makes them violations too), the check for a
// series that must arrive in order. A violating record does not become the
// new reference, so one early timestamp is one violation, not many.
func Increasing[T any](field string, get func(T) time.Time, strict bool) Rule[T] {
	return Rule[T]{name: "monotonic", field: field, start: func() func(T) (bool, string) {
		var prev time.Time
		seen := false
		return func(r T) (bool, string) {
			t := get(r)
			if seen && (t.Before(prev) || strict && t.Equal(prev)) {
				return true, fmt.Sprintf("%s not after %s", t.Format(time.RFC3339Nano), prev.Format(time.RFC3339Nano))
			}
			prev, seen = t, true
			return false, ""
		}
	}}
}

// Unique flags records whose key was already seen, naming the first row
// with it. It remembers every distinct key: memory grows with them.
func Unique[T any, K comparable](field string, key func(T) K) Rule[T] {
	return Rule[T]{name: "duplicate", field: field, start: func() func(T) (bool, string) {
		first := make(map[K]int64)
		var row int64
		return func(r T) (bool, string) {
			row++
			k := key(r)
			if at, ok := first[k]; ok {
				return true, fmt.Sprintf("%v first seen at row %d", k, at)
			}
			first[k] = row
			return false, ""
		}
	}}
}

// Checker runs rules over a stream of records, chunk by chunk, and reports
// violations with their rows instead of dropping records silently. It
// counts every violation per rule and keeps the first MaxKept (default
// 1,000) in full. Not safe for concurrent use.
type Checker[T any] struct {
	// MaxKept bounds the violations kept in full.
	MaxKept int
	rules   []Rule[T]
	checks  []func(T) (bool, string)
	rows    int64
	counts  map[string]int64
	kept    []Violation
}

// NewChecker returns a Checker for rules.
func NewChecker[T any](rules ...Rule[T]) *Checker[T] {
	c := &Checker[T]{MaxKept: 1000, rules: rules, counts: make(map[string]int64)}
	for _, r := range rules {
		c.checks = append(c.checks, r.start())
	}
	return c
}

// Check runs every rule on records, in order, and returns how many of them
// broke at least one rule. The caller decides what to do with them.
func (c *Checker[T]) Check(records []T) int {
	bad := 0
	for i := range records {
		c.rows++
		broke := false
		for j, check := range c.checks {
			if ko, detail := check(records[i]); ko {
				broke = true
				r := c.rules[j]
				c.counts[r.field+" "+r.name]++
				if len(c.kept) < c.MaxKept {
					c.kept = append(c.kept, Violation{Row: c.rows, Rule: r.name, Field: r.field, Detail: detail})
				}
			}
		}
		if broke {
			bad++
		}
	}
	return bad
}

// Rows is the number of records checked.
func (c *Checker[T]) Rows() int64 { return c.rows }

// Violations returns the kept violations in row order.
func (c *Checker[T]) Violations() []Violation { return slices.Clone(c.kept) }

// Counts returns the number of violations per "field rule" (for example
// "value range"), all of them, kept or not.
func (c *Checker[T]) Counts() map[string]int64 {
	return maps.Clone(c.counts)
}

// Total is the number of violations of all rules.
func (c *Checker[T]) Total() int64 {
	var n int64
	for _, v := range c.counts {
		n += v
	}
	return n
}

// DropMissing removes, in place, the records where any of the given float
// fields is NaN (pandas' dropna on those columns, for rows decoded with
// [MissingKeep]) and returns the shortened chunk and how many it dropped.
// With no fields it drops nothing.
func DropMissing[T any](chunk []T, fields ...func(T) float64) ([]T, int) {
	kept := chunk[:0]
	for _, r := range chunk {
		ok := true
		for _, f := range fields {
			if v := f(r); v != v {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, r)
		}
	}
	clear(chunk[len(kept):])
	return kept, len(chunk) - len(kept)
}
