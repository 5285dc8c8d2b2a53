package dashboard

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dashkit/dashkit/components"
)

// Filter is a control on the page whose value panels depend on: a dropdown
// with an allow-list of values, or a date range. Filter state lives in the
// page's URL query, so a view can be shared by its link.
type Filter struct {
	// Name is the query parameter: a lower-case letter, then lower-case
	// letters, digits, '-' or '_'. A date range uses Name_from and Name_to.
	Name  string
	Label string

	// Options are the values a dropdown accepts, in the order shown; any
	// other value is refused with 400 before a data function runs. An
	// option's Label is what people read (and may be what a chart shows as
	// its category: a cross-filter click on the label "North" sets the value
	// "north"); its Value is what the URL and the data function see.
	Options []components.Option
	// All, when set, adds a first choice with this label (such as "All
	// regions") to a single dropdown, meaning no restriction. It is the
	// filter's default, and its canonical form is the absence of the
	// parameter: a data function sees Params.Value return "" (and Values
	// nil), and links to the view carry nothing for the filter. Options
	// may not then have an empty value, and Default must be empty.
	All string
	// Multiple lets the dropdown hold several values.
	Multiple bool
	// Default is the value when the query has none; zero means the first
	// option for a single dropdown, none for a multiple one.
	Default []string

	// DateRange makes the filter a pair of dates instead of a dropdown.
	DateRange bool
	// Min and Max bound a date range; zero times leave it open.
	Min, Max time.Time
	// DefaultFrom and DefaultTo are a date range's value when the query has
	// none; zero times leave it open.
	DefaultFrom, DefaultTo time.Time

	// NumberRange makes the filter a pair of numbers, Name_from and
	// Name_to, inclusive, within Bounds (required, Bounds[0] <
	// Bounds[1]). An end the query leaves out or empty is its bound.
	NumberRange bool
	Bounds      [2]float64
}

// CrossFilter makes selections on a panel's chart set a filter, with
// ECharts' own select and brush gestures, offered only to users who may
// change filters:
//
//   - on a dropdown filter, a click on a bar, a point or a heatmap cell
//     chooses the category under it; a click on the one chosen category,
//     on empty space, Escape or the selection bar's × clears it;
//   - on a [Filter.Multiple] dropdown, besides, a shift- or ctrl-click adds
//     or removes one category, and a drag draws a rectangle that selects
//     every category it spans;
//   - on a [Filter.DateRange] or [Filter.NumberRange], a drag along the X
//     axis selects that range of the axis (a time axis gives dates).
//
// The chart highlights what is selected (the rest dimmed) and keeps it
// highlighted across live updates; it never filters itself: a panel may
// not depend on the filter its chart sets. Selections of several charts
// combine: each sets its own filter, and panels see them all.
type CrossFilter struct {
	// Filter is the filter the selection sets; a chosen category must be
	// one of its options, a range within its bounds.
	Filter string
	// From says which category: "name" (zero value: the clicked bar's or
	// point's category) or "x" / "y" (a heatmap cell's column or row label).
	// A range filter takes its range from the X axis.
	From string
}

// Params are the filter values a panel is computed for: only the filters it
// declared in [Panel.Filters], validated against their allow-lists.
type Params struct {
	values  map[string][]string
	ranges  map[string][2]time.Time
	numbers map[string][2]float64
	table   tableState
}

// NewParams builds the Params a data function gets from a URL query, as a
// page's link carries it, for tests and tools that call a [DataFunc]
// without a dashboard: each parameter is a dropdown filter's values, in the
// order given, except name_from and name_to, which are a date range's bounds
// (YYYY-MM-DD; empty is an open end). A parameter left out is a filter with
// no value — for a filter with an "All" choice, no restriction. A table's
// <panel>.sort, <panel>.desc and <panel>.page and the runtime's _last are
// ignored. The error, wrapping [ErrBadFilter], names a malformed date.
//
// Unlike a dashboard, NewParams knows no allow-lists: what it is given is
// what the data function sees (see [Dashboard.Compute] for a query checked
// against a dashboard's filters).
func NewParams(q url.Values) (Params, error) {
	p := Params{values: make(map[string][]string), ranges: make(map[string][2]time.Time)}
	for name, vals := range q {
		if reservedParams[name] || strings.Contains(name, ".") {
			continue
		}
		base, i := name, -1
		if b, ok := strings.CutSuffix(name, "_from"); ok {
			base, i = b, 0
		} else if b, ok := strings.CutSuffix(name, "_to"); ok {
			base, i = b, 1
		}
		if i < 0 {
			p.values[name] = slices.Clone(vals)
			continue
		}
		r := p.ranges[base]
		if len(vals) > 1 {
			return Params{}, fmt.Errorf("%w: %s takes one date", ErrBadFilter, name)
		}
		if len(vals) == 1 && vals[0] != "" {
			t, err := time.Parse(dateLayout, vals[0])
			if err != nil {
				return Params{}, fmt.Errorf("%w: %s: %q is not a date (YYYY-MM-DD)", ErrBadFilter, name, clip(vals[0]))
			}
			r[i] = t
		}
		p.ranges[base] = r
	}
	return p, nil
}

// Value returns a single dropdown filter's value, or the first of a multiple
// one's; "" when the filter has none (its All choice: no restriction) or the
// panel did not declare it.
func (p Params) Value(name string) string {
	if v := p.values[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Values returns a dropdown filter's values, in the filter's option order,
// without duplicates; nil when none is selected. A [Filter.Multiple]
// dropdown holds at most [Options.MaxFilterValues] of them. Pass them to
// SQL as arguments, never as text (see package connectors: "= ANY($1)"
// for PostgreSQL, [github.com/dashkit/dashkit/connectors.Placeholders] for
// "IN (?, ?, …)").
func (p Params) Values(name string) []string {
	return slices.Clone(p.values[name])
}

// Range returns a date range filter's bounds, inclusive; zero times are
// open ends.
func (p Params) Range(name string) (from, to time.Time) {
	r := p.ranges[name]
	return r[0], r[1]
}

// NumberRange returns a number range filter's ends, inclusive, within the
// filter's Bounds (an end the view leaves open is its bound); ok is false
// when the panel did not declare the filter or it is not a number range.
func (p Params) NumberRange(name string) (from, to float64, ok bool) {
	r, ok := p.numbers[name]
	return r[0], r[1], ok
}

// view is a validated filter state for the whole page, with each table
// panel's presentation state (sort and page).
type view struct {
	values  map[string][]string
	ranges  map[string][2]time.Time
	numbers map[string][2]float64
	tables  map[string]tableState
}

// tableState is how a table panel is sorted and paged: the query parameters
// <panel>.sort, <panel>.desc and <panel>.page. It is presentation, not a
// filter: any user may change it.
type tableState struct {
	sort string
	desc bool
	page int
}

var sortKey = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// parseTableParam validates one <panel>.<field> parameter into v.
func (d *Dashboard) parseTableParam(v view, name string, vals []string) error {
	id, field, _ := strings.Cut(name, ".")
	if d.panels[id] == nil || len(vals) != 1 {
		return fmt.Errorf("%w: unknown parameter %q", ErrBadFilter, clip(name))
	}
	ts := v.tables[id]
	val := vals[0]
	switch field {
	case "sort":
		if !sortKey.MatchString(val) {
			return fmt.Errorf("%w: %s: %q is not a column key", ErrBadFilter, name, clip(val))
		}
		ts.sort = val
	case "desc":
		if val != "1" && val != "0" {
			return fmt.Errorf("%w: %s takes 0 or 1", ErrBadFilter, name)
		}
		ts.desc = val == "1"
	case "page":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 || n > 100_000 {
			return fmt.Errorf("%w: %s: %q is not a page number", ErrBadFilter, name, clip(val))
		}
		ts.page = n
	default:
		return fmt.Errorf("%w: unknown parameter %q", ErrBadFilter, clip(name))
	}
	v.tables[id] = ts
	return nil
}

// ErrBadFilter is wrapped by the error a request with an unknown filter, an
// unknown value or a malformed date gets; it answers 400.
var ErrBadFilter = errors.New("dashboard: bad filter")

// reservedParams are query parameters the runtime adds; they are not
// filters.
var reservedParams = map[string]bool{"_last": true}

const dateLayout = "2006-01-02"

func (d *Dashboard) validateFilters() error {
	d.filters = make(map[string]*Filter, len(d.opts.Filters))
	for i := range d.opts.Filters {
		f := &d.opts.Filters[i]
		if !components.ValidID(f.Name) || strings.HasSuffix(f.Name, "_from") || strings.HasSuffix(f.Name, "_to") {
			return fmt.Errorf("%w: filter name %q: want a lower-case letter, then lower-case letters, digits, '-' or '_', not ending in _from or _to", ErrInvalidOptions, f.Name)
		}
		if d.filters[f.Name] != nil {
			return fmt.Errorf("%w: duplicate filter %q", ErrInvalidOptions, f.Name)
		}
		d.filters[f.Name] = f
		if f.NumberRange {
			b := f.Bounds
			switch {
			case f.DateRange || len(f.Options) > 0:
				return fmt.Errorf("%w: filter %q: a number range has no options and is no date range", ErrInvalidOptions, f.Name)
			case !finite(b[0]) || !finite(b[1]) || b[1] <= b[0]:
				return fmt.Errorf("%w: filter %q: Bounds %v are not a range", ErrInvalidOptions, f.Name, b)
			}
			continue
		}
		if f.Multiple && len(f.Default) > d.opts.MaxFilterValues {
			return fmt.Errorf("%w: filter %q: %d defaults, more than MaxFilterValues (%d)", ErrInvalidOptions, f.Name, len(f.Default), d.opts.MaxFilterValues)
		}
		if f.DateRange {
			if len(f.Options) > 0 {
				return fmt.Errorf("%w: filter %q: a date range has no options", ErrInvalidOptions, f.Name)
			}
			if !f.Min.IsZero() && !f.Max.IsZero() && f.Max.Before(f.Min) {
				return fmt.Errorf("%w: filter %q: Max before Min", ErrInvalidOptions, f.Name)
			}
			continue
		}
		if len(f.Options) == 0 {
			return fmt.Errorf("%w: filter %q has no options", ErrInvalidOptions, f.Name)
		}
		if f.All != "" {
			switch {
			case f.Multiple:
				return fmt.Errorf("%w: filter %q: All is for a single dropdown (a multiple one with nothing chosen already means all)", ErrInvalidOptions, f.Name)
			case len(f.Default) > 0:
				return fmt.Errorf("%w: filter %q: with All, the default is All: leave Default empty", ErrInvalidOptions, f.Name)
			case slices.ContainsFunc(f.Options, func(o components.Option) bool { return o.Value == "" }):
				return fmt.Errorf("%w: filter %q: with All, no option may have an empty value", ErrInvalidOptions, f.Name)
			}
		}
		seen := make(map[string]bool, len(f.Options))
		for _, o := range f.Options {
			if seen[o.Value] {
				return fmt.Errorf("%w: filter %q: duplicate option %q", ErrInvalidOptions, f.Name, o.Value)
			}
			seen[o.Value] = true
		}
		if !f.Multiple && len(f.Default) > 1 {
			return fmt.Errorf("%w: filter %q: several defaults for a single dropdown", ErrInvalidOptions, f.Name)
		}
		for _, v := range f.Default {
			if !seen[v] {
				return fmt.Errorf("%w: filter %q: default %q is not an option", ErrInvalidOptions, f.Name, v)
			}
		}
		if !f.Multiple && len(f.Default) == 0 && f.All == "" {
			f.Default = []string{f.Options[0].Value}
		}
	}
	return nil
}

// parseView validates a query against the filters. Every parameter must be a
// filter (or reserved), every value an option, every date a date in bounds.
func (d *Dashboard) parseView(q url.Values) (view, error) {
	v := view{values: make(map[string][]string), ranges: make(map[string][2]time.Time), numbers: make(map[string][2]float64), tables: make(map[string]tableState)}
	for name, vals := range q {
		if reservedParams[name] {
			continue
		}
		if strings.Contains(name, ".") {
			if err := d.parseTableParam(v, name, vals); err != nil {
				return view{}, err
			}
			continue
		}
		base := strings.TrimSuffix(strings.TrimSuffix(name, "_from"), "_to")
		f := d.filters[base]
		if f == nil || f.isRange() != (base != name) {
			return view{}, fmt.Errorf("%w: unknown parameter %q", ErrBadFilter, clip(name))
		}
	}
	for _, f := range d.opts.Filters {
		if f.NumberRange {
			r, err := parseNumberRange(f, q)
			if err != nil {
				return view{}, err
			}
			v.numbers[f.Name] = r
			continue
		}
		if f.DateRange {
			r, err := parseRange(f, q)
			if err != nil {
				return view{}, err
			}
			v.ranges[f.Name] = r
			continue
		}
		got, ok := q[f.Name]
		if ok && f.All != "" && len(got) == 1 && got[0] == "" {
			ok = false // the All choice, as a form submits it
		}
		if !ok {
			v.values[f.Name] = f.Default
			continue
		}
		if !f.Multiple && len(got) != 1 {
			return view{}, fmt.Errorf("%w: filter %q takes one value, got %d", ErrBadFilter, f.Name, len(got))
		}
		if len(got) > d.opts.MaxFilterValues {
			return view{}, fmt.Errorf("%w: filter %q holds at most %d values, got %d: select fewer", ErrBadFilter, f.Name, d.opts.MaxFilterValues, len(got))
		}
		var vals []string
		for _, o := range f.Options { // option order: one canonical form
			if slices.Contains(got, o.Value) {
				vals = append(vals, o.Value)
			}
		}
		for _, g := range got {
			if !slices.Contains(vals, g) {
				return view{}, fmt.Errorf("%w: filter %q has no option %q", ErrBadFilter, f.Name, clip(g))
			}
		}
		v.values[f.Name] = vals
	}
	return v, nil
}

func parseRange(f Filter, q url.Values) ([2]time.Time, error) {
	r, err := parseEnds(f, q, [2]time.Time{f.DefaultFrom, f.DefaultTo}, "date", func(_ int, suffix, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(dateLayout, s)
		if err != nil {
			return t, fmt.Errorf("%w: %s%s: %q is not a date (YYYY-MM-DD)", ErrBadFilter, f.Name, suffix, clip(s))
		}
		if (!f.Min.IsZero() && t.Before(f.Min)) || (!f.Max.IsZero() && t.After(f.Max)) {
			return t, fmt.Errorf("%w: %s%s: %s is outside the allowed range", ErrBadFilter, f.Name, suffix, clip(s))
		}
		return t, nil
	})
	if err == nil && !r[0].IsZero() && !r[1].IsZero() && r[1].Before(r[0]) {
		err = fmt.Errorf("%w: %s: to is before from", ErrBadFilter, f.Name)
	}
	return r, err
}

// parseEnds reads the two ends of a range filter, Name_from and Name_to,
// into r: an end left out keeps r's value, an end given more than once is
// an error, and parse turns each end given (i is 0 for from, 1 for to)
// into a value or an error that names it.
func parseEnds[T any](f Filter, q url.Values, r [2]T, what string, parse func(i int, suffix, s string) (T, error)) ([2]T, error) {
	for i, suffix := range [...]string{"_from", "_to"} {
		vals, ok := q[f.Name+suffix]
		if !ok {
			continue
		}
		if len(vals) != 1 {
			return r, fmt.Errorf("%w: %s%s takes one %s", ErrBadFilter, f.Name, suffix, what)
		}
		v, err := parse(i, suffix, vals[0])
		if err != nil {
			return r, err
		}
		r[i] = v
	}
	return r, nil
}

// isRange reports whether the filter is a pair of parameters, Name_from
// and Name_to.
func (f *Filter) isRange() bool { return f.DateRange || f.NumberRange }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// parseNumberRange validates a number range: finite numbers within the
// filter's bounds, from not above to. An end left out or empty is its
// bound, and -0 is 0, so one range has one canonical form (formatNumber).
func parseNumberRange(f Filter, q url.Values) ([2]float64, error) {
	r, err := parseEnds(f, q, f.Bounds, "number", func(i int, suffix, s string) (float64, error) {
		if s == "" {
			return f.Bounds[i], nil
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || !finite(x) {
			return 0, fmt.Errorf("%w: %s%s: %q is not a number", ErrBadFilter, f.Name, suffix, clip(s))
		}
		if x < f.Bounds[0] || x > f.Bounds[1] {
			return 0, fmt.Errorf("%w: %s%s: %s is outside %s to %s", ErrBadFilter, f.Name, suffix, clip(s), formatNumber(f.Bounds[0]), formatNumber(f.Bounds[1]))
		}
		if x == 0 {
			x = 0 // not -0
		}
		return x, nil
	})
	if err == nil && r[1] < r[0] {
		err = fmt.Errorf("%w: %s: to is below from", ErrBadFilter, f.Name)
	}
	return r, err
}

// formatNumber is a number's canonical form in a query: the shortest
// decimal that reads back as the same float64.
func formatNumber(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// isDefault reports whether the view holds every filter's default.
func (d *Dashboard) isDefault(v view) bool {
	for _, f := range d.opts.Filters {
		if f.NumberRange {
			if v.numbers[f.Name] != f.Bounds {
				return false
			}
		} else if f.DateRange {
			if r := v.ranges[f.Name]; !r[0].Equal(f.DefaultFrom) || !r[1].Equal(f.DefaultTo) {
				return false
			}
		} else if !slices.Equal(v.values[f.Name], f.Default) {
			return false
		}
	}
	return true
}

// query is the canonical query of the filters a panel depends on: the same
// view of a panel always has the same query, whatever the URL's order.
func (v view) query(filters []string) string {
	q := url.Values{}
	for _, name := range filters {
		if r, ok := v.ranges[name]; ok {
			q.Set(name+"_from", dateOrEmpty(r[0]))
			q.Set(name+"_to", dateOrEmpty(r[1]))
			continue
		}
		if r, ok := v.numbers[name]; ok {
			q.Set(name+"_from", formatNumber(r[0]))
			q.Set(name+"_to", formatNumber(r[1]))
			continue
		}
		q[name] = v.values[name]
	}
	return q.Encode() // sorted by key
}

// panelQuery is the canonical query of one panel's view: the filters it
// depends on and, for a table, its sort and page. It keys the panel's cache
// entries and event topics.
func (v view) panelQuery(p *panel) string {
	q := v.query(p.Filters)
	ts, ok := v.tables[p.ID]
	if !ok {
		return q
	}
	extra := url.Values{}
	if ts.sort != "" {
		extra.Set("_sort", ts.sort)
	}
	if ts.desc {
		extra.Set("_desc", "1")
	}
	if ts.page > 0 {
		extra.Set("_page", strconv.Itoa(ts.page))
	}
	if len(extra) == 0 {
		return q
	}
	if q == "" {
		return extra.Encode()
	}
	return q + "&" + extra.Encode()
}

// pageQuery is the canonical query of the whole view, for links.
func (d *Dashboard) pageQuery(v view) string {
	names := make([]string, 0, len(d.opts.Filters))
	for _, f := range d.opts.Filters {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return v.query(names)
}

// viewOfPanel is one panel's validated view: its canonical query, which keys
// the panel's rendered results and event topics; the canonical query of its
// filters alone, which keys its data; and the Params its data function gets,
// taken from the validated view with no re-parsing.
type viewOfPanel struct {
	query   string // filters and table state: keys the rendered result
	filters string // filters only: keys the data function's component
	params  Params
}

// of is panel p's part of the view: the filters it declared and its own
// table state.
func (v view) of(p *panel) viewOfPanel {
	params := Params{values: make(map[string][]string, len(p.Filters)), ranges: make(map[string][2]time.Time), numbers: make(map[string][2]float64)}
	for _, name := range p.Filters {
		if r, ok := v.ranges[name]; ok {
			params.ranges[name] = r
			continue
		}
		if r, ok := v.numbers[name]; ok {
			params.numbers[name] = r
			continue
		}
		if vals, ok := v.values[name]; ok {
			params.values[name] = vals
		}
	}
	params.table = v.tables[p.ID]
	return viewOfPanel{query: v.panelQuery(p), filters: v.query(p.Filters), params: params}
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}
