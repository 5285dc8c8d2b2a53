package connectors

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// Stat summarises one field's values in one bucket: count, sum, min, max
// and the value with the latest time (the first of equal times wins).
type Stat struct {
	N             int64
	Sum, Min, Max float64
	Last          float64
	LastAt        time.Time
}

// Mean is Sum/N; NaN for an empty bucket.
func (s Stat) Mean() float64 { return mean(s.Sum, s.N) }

// mean is sum/n; NaN for n == 0.
func mean(sum float64, n int64) float64 {
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// Measure picks one number out of a [Stat], for a chart or a card.
type Measure int

// The measures. Every one but Count is NaN for an empty bucket, which a
// chart draws as a gap; Count is 0.
const (
	Sum Measure = iota
	Count
	Mean
	Min
	Max
	Last
)

// String is the measure's name: "sum", "count", "mean", "min", "max" or
// "last".
func (m Measure) String() string {
	switch m {
	case Sum:
		return "sum"
	case Count:
		return "count"
	case Mean:
		return "mean"
	case Min:
		return "min"
	case Max:
		return "max"
	case Last:
		return "last"
	}
	return fmt.Sprintf("Measure(%d)", int(m))
}

// Of is the measure of s.
func (m Measure) Of(s Stat) float64 {
	if m == Count {
		return float64(s.N)
	}
	if s.N == 0 {
		return math.NaN()
	}
	switch m {
	case Sum:
		return s.Sum
	case Mean:
		return s.Sum / float64(s.N)
	case Min:
		return s.Min
	case Max:
		return s.Max
	case Last:
		return s.Last
	}
	return math.NaN()
}

// Stat is the bucket as a [Stat]. A [Resampler] keeps no minimum or
// maximum: they are NaN.
func (b Bucket) Stat() Stat {
	return Stat{N: b.N, Sum: b.Sum, Min: math.NaN(), Max: math.NaN(), Last: b.Last, LastAt: b.LastAt}
}

// Frame is one interval of a [MultiResampler]'s series: the Stat of each of
// its fields, in field order, for values whose time falls in the interval
// that begins at Start.
type Frame struct {
	Start time.Time
	Stats []Stat
}

// stat is the dense per-field, per-bucket summary.
type stat struct {
	n             int64
	sum, min, max float64
	last          float64
	lastAt        int64
}

func (s *stat) merge(o stat) {
	if o.n == 0 {
		return
	}
	if s.n == 0 {
		*s = o
		return
	}
	s.n += o.n
	s.sum += o.sum
	s.min, s.max = math.Min(s.min, o.min), math.Max(s.max, o.max)
	if o.lastAt > s.lastAt {
		s.last, s.lastAt = o.last, o.lastAt
	}
}

type frames struct {
	origin int64  // slot of stats[0:fields]
	stats  []stat // len(fields) per bucket
}

// MultiResampler groups rows by key and resamples several named fields of
// each row to a fixed interval in one pass, keeping count, sum, min, max and
// last of every field per bucket (so mean too): revenue and order count per
// region and hour from one scan of the orders. A NaN value is missing: it
// counts nowhere, so each field has its own count and mean. Buckets are
// aligned in a time zone as [NewResamplerIn] describes.
//
// Resamplers fed by different goroutines or files combine with Merge; a
// MultiResampler itself is not safe for concurrent use.
type MultiResampler[K comparable] struct {
	clk    clock
	fields []string
	// MaxBuckets bounds the buckets one key may span (default 1<<20).
	MaxBuckets int
	keys       map[K]*frames
	err        error
}

// NewMultiResampler returns a MultiResampler of the named fields with
// buckets of interval aligned in loc (nil is UTC). It panics, as a
// programmer's error, for a non-positive interval or no fields.
func NewMultiResampler[K comparable](interval time.Duration, loc *time.Location, fields ...string) *MultiResampler[K] {
	if interval <= 0 || len(fields) == 0 {
		panic("connectors: NewMultiResampler: interval must be positive, with at least one field")
	}
	return &MultiResampler[K]{clk: newClock(interval, loc), fields: slices.Clone(fields), MaxBuckets: 1 << 20, keys: make(map[K]*frames)}
}

// Fields returns the field names, in the order Add takes their values.
func (r *MultiResampler[K]) Fields() []string { return slices.Clone(r.fields) }

// Field returns the index of the named field, or -1.
func (r *MultiResampler[K]) Field(name string) int { return slices.Index(r.fields, name) }

// Add includes one row at time t for key: values holds one value per field,
// in [MultiResampler.Fields] order; a NaN is a missing value. A row with the
// wrong number of values, or past the span limit, is ignored and recorded
// for [MultiResampler.Err].
func (r *MultiResampler[K]) Add(key K, t time.Time, values ...float64) {
	if len(values) != len(r.fields) {
		if r.err == nil {
			r.err = fmt.Errorf("connectors: MultiResampler.Add: %d values for %d fields %v", len(values), len(r.fields), r.fields)
		}
		return
	}
	b := r.bucket(key, r.clk.slot(t))
	if b == nil {
		return
	}
	ns := t.UnixNano()
	for i, v := range values {
		if math.IsNaN(v) {
			continue
		}
		b[i].merge(stat{n: 1, sum: v, min: v, max: v, last: v, lastAt: ns})
	}
}

// bucket returns the stats of key's bucket at slot, growing its series;
// nil past MaxBuckets.
func (r *MultiResampler[K]) bucket(key K, slot int64) []stat {
	nf := int64(len(r.fields))
	s := r.keys[key]
	if s == nil {
		s = &frames{origin: slot, stats: make([]stat, nf, 64*nf)}
		r.keys[key] = s
	}
	n := int64(len(s.stats)) / nf
	switch i := slot - s.origin; {
	case i < 0:
		if n-i > int64(r.MaxBuckets) {
			r.fail(key, slot)
			return nil
		}
		grown := make([]stat, (n-i)*nf, (2*n-i)*nf)
		copy(grown[-i*nf:], s.stats)
		s.stats, s.origin = grown, slot
	case i >= n:
		if i+1 > int64(r.MaxBuckets) {
			r.fail(key, slot)
			return nil
		}
		s.stats = append(s.stats, make([]stat, (i+1-n)*nf)...)
	}
	i := (slot - s.origin) * nf
	return s.stats[i : i+nf]
}

func (r *MultiResampler[K]) fail(key K, slot int64) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: key %v at %s spans more than %d buckets of %s", ErrSpan, key,
			r.clk.start(slot).Format(time.RFC3339), r.MaxBuckets, r.clk)
	}
}

// Err is the first error Add met, or nil.
func (r *MultiResampler[K]) Err() error { return r.err }

// Merge folds o's buckets into r; o must have the same interval, location
// and fields. Order of merging does not change counts, sums, minima, maxima
// or lasts (sums up to rounding).
func (r *MultiResampler[K]) Merge(o *MultiResampler[K]) {
	if o.clk != r.clk || !slices.Equal(o.fields, r.fields) {
		panic("connectors: MultiResampler.Merge: intervals, locations or fields differ")
	}
	nf := int64(len(r.fields))
	for k, s := range o.keys {
		for j := int64(0); j < int64(len(s.stats))/nf; j++ {
			src := s.stats[j*nf : (j+1)*nf]
			if !anyValues(src) {
				continue
			}
			dst := r.bucket(k, s.origin+j)
			if dst == nil {
				continue
			}
			for i := range src {
				dst[i].merge(src[i])
			}
		}
	}
	if r.err == nil {
		r.err = o.err
	}
}

func anyValues(b []stat) bool {
	for _, s := range b {
		if s.n > 0 {
			return true
		}
	}
	return false
}

// Keys returns the keys seen, sorted by cmpKey.
func (r *MultiResampler[K]) Keys(cmpKey func(a, b K) int) []K {
	return slices.SortedFunc(maps.Keys(r.keys), cmpKey)
}

// Len is the number of keys.
func (r *MultiResampler[K]) Len() int { return len(r.keys) }

// Series returns key's frames in time order, from its first to its last
// interval with a value in any field. Intervals without values are
// included, their Stats with N == 0, so a chart's x axis stays regular.
func (r *MultiResampler[K]) Series(key K) []Frame {
	s := r.keys[key]
	if s == nil {
		return nil
	}
	nf := len(r.fields)
	n := len(s.stats) / nf
	lo, hi := 0, n
	for lo < hi && !anyValues(s.stats[lo*nf:(lo+1)*nf]) {
		lo++
	}
	for hi > lo && !anyValues(s.stats[(hi-1)*nf:hi*nf]) {
		hi--
	}
	out := make([]Frame, 0, hi-lo)
	all := make([]Stat, (hi-lo)*nf)
	for j := lo; j < hi; j++ {
		f := Frame{Start: r.clk.start(s.origin + int64(j)), Stats: all[(j-lo)*nf : (j-lo+1)*nf : (j-lo+1)*nf]}
		for i, st := range s.stats[j*nf : (j+1)*nf] {
			f.Stats[i] = Stat{N: st.n, Sum: st.sum, Min: st.min, Max: st.max, Last: st.last}
			if st.n > 0 {
				f.Stats[i].LastAt = time.Unix(0, st.lastAt).In(f.Start.Location())
			} else {
				f.Stats[i].Min, f.Stats[i].Max = math.NaN(), math.NaN()
			}
		}
		out = append(out, f)
	}
	return out
}

// Total is key's Stat of one field over all its buckets (the field's index
// in [MultiResampler.Fields]): what a card shows for the whole period.
func (r *MultiResampler[K]) Total(key K, field int) Stat {
	var t stat
	if s := r.keys[key]; s != nil && field >= 0 && field < len(r.fields) {
		for j := field; j < len(s.stats); j += len(r.fields) {
			t.merge(s.stats[j])
		}
	}
	out := Stat{N: t.n, Sum: t.sum, Min: t.min, Max: t.max, Last: t.last}
	if t.n == 0 {
		out.Min, out.Max = math.NaN(), math.NaN()
	} else {
		out.LastAt = time.Unix(0, t.lastAt).In(r.clk.start(0).Location())
	}
	return out
}

// Stat is the aggregate as a [Stat]; an Agg keeps no last value (NaN).
func (a Agg) Stat() Stat {
	if a.N == 0 {
		return Stat{Min: math.NaN(), Max: math.NaN(), Last: math.NaN()}
	}
	return Stat{N: a.N, Sum: a.Sum, Min: a.Min, Max: a.Max, Last: math.NaN()}
}

// Aligned returns the given keys' Stats of one field (its index in
// [MultiResampler.Fields]) on one regular time axis: every interval from
// the first any of them has a value in to the last, so a chart of several
// keys lines up and shows an interval none of them has as a gap. stats[k][i]
// is keys[k]'s Stat in the interval starting at starts[i].
func (r *MultiResampler[K]) Aligned(field int, keys ...K) (starts []time.Time, stats [][]Stat) {
	nf := int64(len(r.fields))
	lo, hi, ok := int64(math.MaxInt64), int64(math.MinInt64), false
	for _, k := range keys {
		s := r.keys[k]
		if s == nil || field < 0 || int64(field) >= nf {
			continue
		}
		for j := int64(0); j < int64(len(s.stats))/nf; j++ {
			if s.stats[j*nf+int64(field)].n > 0 {
				lo, hi, ok = min(lo, s.origin+j), max(hi, s.origin+j), true
			}
		}
	}
	stats = make([][]Stat, len(keys))
	if !ok {
		return nil, stats
	}
	starts = make([]time.Time, hi-lo+1)
	for i := range starts {
		starts[i] = r.clk.start(lo + int64(i))
	}
	for ki, k := range keys {
		out := make([]Stat, len(starts))
		for i := range out {
			out[i] = Stat{Min: math.NaN(), Max: math.NaN()}
		}
		if s := r.keys[k]; s != nil && field >= 0 && int64(field) < nf {
			for j := int64(0); j < int64(len(s.stats))/nf; j++ {
				slot := s.origin + j
				st := s.stats[j*nf+int64(field)]
				if slot < lo || slot > hi || st.n == 0 {
					continue
				}
				out[slot-lo] = Stat{N: st.n, Sum: st.sum, Min: st.min, Max: st.max, Last: st.last, LastAt: time.Unix(0, st.lastAt).In(starts[0].Location())}
			}
		}
		stats[ki] = out
	}
	return starts, stats
}
