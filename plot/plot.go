package plot

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/connectors"
)

// ErrNoField is wrapped by the error a helper returns for a field the
// resampler does not keep.
var ErrNoField = errors.New("plot: no such field")

// Name writes a key as a series name or a category; nil uses fmt's %v.
type Name[K comparable] func(K) string

func (n Name[K]) of(k K) string {
	if n == nil {
		return fmt.Sprint(k)
	}
	return n(k)
}

// values picks measure m out of each Stat.
func values(stats []connectors.Stat, m connectors.Measure) []float64 {
	out := make([]float64, len(stats))
	for i, s := range stats {
		out[i] = m.Of(s)
	}
	return out
}

// Line is a line chart with one series per key of r, each the measure m of
// its buckets, on one time axis ([connectors.Resampler.Aligned]): a key
// with no value in an interval has a gap there.
func Line[K comparable](title string, r *connectors.Resampler[K], keys []K, name Name[K], m connectors.Measure) components.Line {
	starts, stats := r.Aligned(keys...)
	l := components.Line{Title: title, Times: starts, Series: make([]components.Series, len(keys))}
	for i, k := range keys {
		l.Series[i] = components.Series{Name: name.of(k), Values: values(stats[i], m)}
	}
	return l
}

// LineKeys is a line chart of one field of r, one series per key, each the
// measure m of the field in its buckets, on one time axis.
func LineKeys[K comparable](title string, r *connectors.MultiResampler[K], keys []K, name Name[K], field string, m connectors.Measure) (components.Line, error) {
	f := r.Field(field)
	if f < 0 {
		return components.Line{}, fmt.Errorf("%w: %q (have %v)", ErrNoField, field, r.Fields())
	}
	starts, stats := r.Aligned(f, keys...)
	l := components.Line{Title: title, Times: starts, Series: make([]components.Series, len(keys))}
	for i, k := range keys {
		l.Series[i] = components.Series{Name: name.of(k), Values: values(stats[i], m)}
	}
	return l, nil
}

// LineFields is a line chart of one key of r, one series per field (named
// by the field), each the measure m of the field in its buckets
// ([connectors.MultiResampler.Series]).
func LineFields[K comparable](title string, r *connectors.MultiResampler[K], key K, m connectors.Measure, fields ...string) (components.Line, error) {
	idx := make([]int, len(fields))
	for i, field := range fields {
		if idx[i] = r.Field(field); idx[i] < 0 {
			return components.Line{}, fmt.Errorf("%w: %q (have %v)", ErrNoField, field, r.Fields())
		}
	}
	frames := r.Series(key)
	l := components.Line{Title: title, Times: make([]time.Time, len(frames)), Series: make([]components.Series, len(fields))}
	for i := range fields {
		l.Series[i] = components.Series{Name: fields[i], Values: make([]float64, len(frames))}
	}
	for j, f := range frames {
		l.Times[j] = f.Start
		for i, fi := range idx {
			l.Series[i].Values[j] = m.Of(f.Stats[fi])
		}
	}
	return l, nil
}

// BarKeys is a bar chart with a bar per key: the measure m of the field over
// the key's whole period ([connectors.MultiResampler.Total]), such as
// revenue by region. Categories are the keys' names, in keys' order; a
// cross-filter on the chart sets the filter option whose value (or label)
// is the category.
func BarKeys[K comparable](title string, r *connectors.MultiResampler[K], keys []K, name Name[K], field string, m connectors.Measure) (components.Bar, error) {
	f := r.Field(field)
	if f < 0 {
		return components.Bar{}, fmt.Errorf("%w: %q (have %v)", ErrNoField, field, r.Fields())
	}
	b := components.Bar{Title: title, Categories: make([]string, len(keys)), Series: []components.Series{{Name: field, Values: make([]float64, len(keys))}}}
	for i, k := range keys {
		b.Categories[i] = name.of(k)
		b.Series[0].Values[i] = m.Of(r.Total(k, f))
	}
	return b, nil
}

// BarTimes is a bar chart of one key's field per interval (daily revenue,
// say), categories written with layout (zero means "2006-01-02 15:04").
func BarTimes[K comparable](title string, r *connectors.MultiResampler[K], key K, field string, m connectors.Measure, layout string) (components.Bar, error) {
	f := r.Field(field)
	if f < 0 {
		return components.Bar{}, fmt.Errorf("%w: %q (have %v)", ErrNoField, field, r.Fields())
	}
	starts, stats := r.Aligned(f, key)
	b := components.Bar{Title: title, Categories: make([]string, len(starts)), Series: []components.Series{{Name: field, Values: values(stats[0], m)}}}
	for i, t := range starts {
		b.Categories[i] = t.Format(cmp.Or(layout, "2006-01-02 15:04"))
	}
	return b, nil
}

// Card is a metric card of the measure m of s, such as the sum of an
// [connectors.Agg] (its Stat method) or a resampler's Total. A measure with
// no value (no data in the period) shows 0 with the subtitle "No data", as a
// card never shows NaN.
func Card(title string, s connectors.Stat, m connectors.Measure, format components.NumberFormat) components.MetricCard {
	c := components.MetricCard{Title: title, Value: m.Of(s), Format: format}
	if c.Value != c.Value { // NaN
		c.Value, c.Subtitle = 0, "No data"
	}
	return c
}
