// Package pareto ranks categories for a Pareto chart. It is shared by oee
// (downtime by reason) and components (the Pareto chart), which may not
// import each other.
package pareto

import (
	"cmp"
	"slices"
)

// Number is a value a Pareto ranks: a float, or an integer type such as
// time.Duration, whose total is then exact.
type Number interface {
	~int64 | ~float64
}

// Item is one category with its value and its cumulative share.
type Item[V Number] struct {
	Label string
	Value V
	// Cumulative is the share of the total up to and including this item,
	// 0..1; Rank sets it.
	Cumulative float64
}

// Rank sorts items by value, largest first, ties by label (and equal items
// keep their order), and sets each item's cumulative share of the total.
// The last share is exactly 1, with no 99.99999% from rounding; with a total
// of zero every share is 0, not NaN. Values are expected non-negative; the
// callers check.
func Rank[V Number](items []Item[V]) {
	var total V
	for _, it := range items {
		total += it.Value
	}
	slices.SortStableFunc(items, func(a, b Item[V]) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Label, b.Label))
	})
	var run V
	for i := range items {
		run += items[i].Value
		if total > 0 {
			items[i].Cumulative = float64(run) / float64(total)
		}
	}
	if len(items) > 0 && total > 0 {
		items[len(items)-1].Cumulative = 1
	}
}
