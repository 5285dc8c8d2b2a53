package connectors

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// ErrSpan reports a resample whose buckets for one key would exceed
// [Resampler.MaxBuckets].
var ErrSpan = errors.New("connectors: resample span too large")

// Bucket is one interval of a resampled series: it summarises the values
// whose time falls in [Start, Start+interval).
type Bucket struct {
	Start time.Time
	N     int64
	Sum   float64
	// Last is the value with the latest time in the bucket (the first of
	// equal times wins), LastAt its time.
	Last   float64
	LastAt time.Time
}

// Mean is Sum/N; NaN for an empty bucket.
func (b Bucket) Mean() float64 { return mean(b.Sum, b.N) }

// bucket is the dense in-memory form: times as Unix nanoseconds.
type bucket struct {
	n      int64
	sum    float64
	last   float64
	lastAt int64
}

type series struct {
	origin  int64 // slot index of buckets[0]
	buckets []bucket
	id      int32
}

// pending is one Add not yet applied: Adds are buffered and applied grouped
// by key (a stable counting sort), so each key's buckets are touched while
// in cache rather than at random — 500 keys × 720 hours is larger than the
// caches.
type pending struct {
	id   int32
	slot int64
	v    float64
	ns   int64
}

const pendingMax = 8192

// Resampler groups values by key and resamples each key's series to a
// fixed interval (pandas' groupby(key).resample(interval)), keeping count,
// sum, mean and last per bucket. Memory is one small bucket per key per
// interval spanned (500 devices × 720 hours ≈ 11 MB), not per row.
// Resamplers fed by different goroutines or files combine with Merge; a
// Resampler itself is not safe for concurrent use.
type Resampler[K comparable] struct {
	interval int64
	clk      clock // set for a time zone; zero: epoch-aligned UTC
	// MaxBuckets bounds the buckets one key may span (default 1<<20), so a
	// stray timestamp in 1970 cannot allocate years of empty intervals.
	MaxBuckets int
	keys       map[K]*series
	byID       []*series
	keyOf      []K
	pend       []pending
	sorted     []pending
	counts     []int32
	err        error
}

// NewResampler returns a Resampler with buckets of interval, aligned on
// the Unix epoch (hourly buckets start on the hour in UTC).
func NewResampler[K comparable](interval time.Duration) *Resampler[K] {
	return NewResamplerIn[K](interval, time.UTC)
}

// NewResamplerIn returns a Resampler with buckets of interval aligned in
// loc, whose buckets' Start times are in loc: "today" and "this hour" as
// the people in loc see them. An interval of whole days is calendar days
// (from local midnight; a DST day is 23 or 25 hours long); a shorter one is
// absolute and aligned on loc's standard offset, so hourly buckets start on
// the local hour all year (the day clocks go back has 25 of them, the day
// they go forward 23). A nil loc or time.UTC is [NewResampler].
func NewResamplerIn[K comparable](interval time.Duration, loc *time.Location) *Resampler[K] {
	if interval <= 0 {
		panic("connectors: NewResampler: interval must be positive")
	}
	r := &Resampler[K]{interval: int64(interval), MaxBuckets: 1 << 20, keys: make(map[K]*series)}
	if c := newClock(interval, loc); c.loc != nil {
		r.clk = c
	}
	return r
}

// Add includes value v at time t for key. Callers drop NaN first if it is
// missing (see [MissingPolicy]). Past the span limit Add records the error
// for [Resampler.Err] and ignores the value.
func (r *Resampler[K]) Add(key K, t time.Time, v float64) {
	ns := t.UnixNano()
	var slot int64
	if r.clk.loc == nil {
		slot = floorDiv(ns, r.interval)
	} else {
		slot = r.clk.slot(t)
	}
	s := r.series(key, slot)
	if r.pend == nil {
		r.pend = make([]pending, 0, pendingMax)
	}
	r.pend = append(r.pend, pending{s.id, slot, v, ns})
	if len(r.pend) == pendingMax {
		r.flush()
	}
}

func (r *Resampler[K]) series(key K, slot int64) *series {
	s := r.keys[key]
	if s == nil {
		s = &series{origin: slot, buckets: make([]bucket, 1, 64), id: int32(len(r.byID))}
		r.keys[key] = s
		r.byID = append(r.byID, s)
		r.keyOf = append(r.keyOf, key)
	}
	return s
}

// flush applies the buffered Adds, grouped by key in arrival order (so
// sums and lasts are exactly what applying them one by one gives). With
// many more keys than buffered Adds, grouping would cost more than it
// saves, and they are applied as they came.
func (r *Resampler[K]) flush() {
	p := r.pend
	if len(p) == 0 {
		return
	}
	if len(r.byID) <= len(p)/4 {
		if cap(r.counts) < len(r.byID)+1 {
			r.counts = make([]int32, len(r.byID)+1, 2*len(r.byID)+1)
		}
		counts := r.counts[:len(r.byID)+1]
		clear(counts)
		for i := range p {
			counts[p[i].id+1]++
		}
		for i := 1; i < len(counts); i++ {
			counts[i] += counts[i-1]
		}
		if r.sorted == nil {
			r.sorted = make([]pending, pendingMax)
		}
		sorted := r.sorted[:len(p)]
		for i := range p {
			sorted[counts[p[i].id]] = p[i]
			counts[p[i].id]++
		}
		p = sorted
	}
	for lo := 0; lo < len(p); {
		hi := lo + 1
		for hi < len(p) && p[hi].id == p[lo].id {
			hi++
		}
		s := r.byID[p[lo].id]
		if hi-lo > 1 {
			r.reserve(s, p[lo:hi])
		}
		for i := lo; i < hi; i++ {
			e := &p[i]
			r.addTo(s, e.slot, bucket{n: 1, sum: e.v, last: e.v, lastAt: e.ns})
		}
		lo = hi
	}
	r.pend = r.pend[:0]
}

// reserve grows s once, with room for half as much again split between
// its ends, to span every slot of p (one key's buffered Adds), where
// growing Add by Add would copy the series each time one end overflowed
// (in a file in random time order, several times per key). It does
// nothing when the span would pass MaxBuckets: addTo then fails the Adds
// in arrival order, as without it. Buckets outside the data stay empty,
// which every reader skips.
func (r *Resampler[K]) reserve(s *series, p []pending) {
	end := s.origin + int64(len(s.buckets))
	lo, hi := s.origin, end-1
	for i := range p {
		lo, hi = min(lo, p[i].slot), max(hi, p[i].slot)
	}
	span := hi - lo + 1
	if (lo >= s.origin && hi < end) || span <= 0 || span > int64(r.MaxBuckets) {
		return
	}
	room := min(span/2, int64(r.MaxBuckets)-span)
	origin := lo - room/2
	grown := make([]bucket, span+room)
	copy(grown[s.origin-origin:], s.buckets)
	s.buckets, s.origin = grown, origin
}

func (r *Resampler[K]) add(key K, slot int64, b bucket) {
	r.addTo(r.series(key, slot), slot, b)
}

func (r *Resampler[K]) addTo(s *series, slot int64, b bucket) {
	key := r.keyOf[s.id]
	i := slot - s.origin
	switch {
	case i < 0:
		if !r.fits(len(s.buckets) - int(i)) {
			r.fail(key, slot)
			return
		}
		// Leave as much room again before the new first slot, so data in
		// random time order grows the front amortized, like append does
		// the back. Series trims the empty edges.
		need := len(s.buckets) - int(i)
		room := min(need, r.MaxBuckets-need)
		shift := int(-i) + room
		grown := make([]bucket, shift+len(s.buckets), shift+cap(s.buckets))
		copy(grown[shift:], s.buckets)
		s.buckets, s.origin, i = grown, s.origin-int64(shift), int64(room)
	case i >= int64(len(s.buckets)):
		if !r.fits(int(i) + 1) {
			r.fail(key, slot)
			return
		}
		s.buckets = append(s.buckets, make([]bucket, int(i)+1-len(s.buckets))...)
	}
	d := &s.buckets[i]
	if d.n == 0 || b.lastAt > d.lastAt {
		d.last, d.lastAt = b.last, b.lastAt
	}
	d.n += b.n
	d.sum += b.sum
}

func (r *Resampler[K]) fits(n int) bool { return int64(n) <= int64(r.MaxBuckets) }

func (r *Resampler[K]) fail(key K, slot int64) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: key %v at %s spans more than %d buckets of %s", ErrSpan, key,
			r.start(slot).Format(time.RFC3339), r.MaxBuckets, r.clock())
	}
}

// Err is the first span error Add met, or nil.
func (r *Resampler[K]) Err() error {
	r.flush()
	return r.err
}

// Merge folds o's buckets into r; o must have the same interval. Order of
// merging does not change counts, sums or lasts (sums up to rounding).
func (r *Resampler[K]) Merge(o *Resampler[K]) {
	if o.interval != r.interval || o.clk != r.clk {
		panic("connectors: Resampler.Merge: intervals or locations differ")
	}
	r.flush()
	o.flush()
	for k, s := range o.keys {
		for i, b := range s.buckets {
			if b.n > 0 {
				r.add(k, s.origin+int64(i), b)
			}
		}
	}
	if r.err == nil {
		r.err = o.Err()
	}
}

// Keys returns the keys seen, sorted by cmpKey.
func (r *Resampler[K]) Keys(cmpKey func(a, b K) int) []K {
	r.flush()
	return slices.SortedFunc(maps.Keys(r.keys), cmpKey)
}

// Series returns key's buckets in time order, from its first to its last
// non-empty interval. Intervals without values are included with N == 0
// (pandas' resample shows them as NaN means), so a chart's x axis stays
// regular.
func (r *Resampler[K]) Series(key K) []Bucket {
	r.flush()
	s := r.keys[key]
	if s == nil {
		return nil
	}
	lo, hi := 0, len(s.buckets)
	for lo < hi && s.buckets[lo].n == 0 {
		lo++
	}
	for hi > lo && s.buckets[hi-1].n == 0 {
		hi--
	}
	out := make([]Bucket, 0, hi-lo)
	for i := lo; i < hi; i++ {
		b := s.buckets[i]
		o := Bucket{Start: r.start(s.origin + int64(i)), N: b.n, Sum: b.sum, Last: b.last}
		if b.n > 0 {
			o.LastAt = time.Unix(0, b.lastAt).In(o.Start.Location())
		}
		out = append(out, o)
	}
	return out
}

// clock is the resampler's bucketing.
func (r *Resampler[K]) clock() clock {
	if r.clk.loc == nil {
		return clock{interval: r.interval}
	}
	return r.clk
}

// start is when bucket slot begins.
func (r *Resampler[K]) start(slot int64) time.Time { return r.clock().start(slot) }

// Len is the number of keys.
func (r *Resampler[K]) Len() int { return len(r.keys) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Ascending is cmp.Compare for ordered keys, for [Resampler.Keys].
func Ascending[K cmp.Ordered](a, b K) int { return cmp.Compare(a, b) }

// Aligned returns the given keys' buckets on one regular time axis: every
// interval from the first any of them has a value in to the last, so a
// chart of several keys lines up and shows an interval none of them has as a
// gap. stats[k][i] is keys[k]'s bucket starting at starts[i], as a [Stat]
// (no minimum or maximum: NaN).
func (r *Resampler[K]) Aligned(keys ...K) (starts []time.Time, stats [][]Stat) {
	r.flush()
	lo, hi, ok := int64(math.MaxInt64), int64(math.MinInt64), false
	for _, k := range keys {
		if s := r.keys[k]; s != nil {
			for i, b := range s.buckets {
				if b.n > 0 {
					lo, hi, ok = min(lo, s.origin+int64(i)), max(hi, s.origin+int64(i)), true
				}
			}
		}
	}
	stats = make([][]Stat, len(keys))
	if !ok {
		return nil, stats
	}
	starts = make([]time.Time, hi-lo+1)
	for i := range starts {
		starts[i] = r.start(lo + int64(i))
	}
	for ki, k := range keys {
		out := make([]Stat, len(starts))
		for i := range out {
			out[i] = Stat{Min: math.NaN(), Max: math.NaN()}
		}
		if s := r.keys[k]; s != nil {
			for i, b := range s.buckets {
				slot := s.origin + int64(i)
				if b.n == 0 || slot < lo || slot > hi {
					continue
				}
				out[slot-lo] = Stat{N: b.n, Sum: b.sum, Min: math.NaN(), Max: math.NaN(), Last: b.last, LastAt: time.Unix(0, b.lastAt).In(starts[0].Location())}
			}
		}
		stats[ki] = out
	}
	return starts, stats
}
