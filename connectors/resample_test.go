package connectors

import (
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestFileAggregateAndHourlyResampleMatchIndependentComputation runs the
// original's two computations on a real file of the benchmark's shape —
// the chunked count/mean/min/max of value, and the per-device hourly mean
// (pandas: df.set_index("timestamp").groupby("device_id").resample("1h")
// ["value"].mean()) — on two cores, and checks both against a direct
// computation through encoding/csv and strconv.
func TestFileAggregateAndHourlyResampleMatchIndependentComputation(t *testing.T) {
	path, _ := sampleFile(t, 200_000)

	// Independent: encoding/csv, strconv, time.Parse, maps.
	type key struct {
		dev  string
		hour int64
	}
	type acc struct {
		n        int
		sum      float64
		last     float64
		lastTime time.Time
	}
	want := map[key]*acc{}
	var n int
	var sum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	f, err := os.Open(path)
	require.NoError(t, err)
	r := csv.NewReader(f)
	_, err = r.Read()
	require.NoError(t, err)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		v, err := strconv.ParseFloat(rec[1], 64)
		require.NoError(t, err)
		ts, err := time.Parse(time.RFC3339, rec[4])
		require.NoError(t, err)
		n++
		sum += v
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		k := key{rec[3], ts.Truncate(time.Hour).Unix()}
		a := want[k]
		if a == nil {
			a = &acc{}
			want[k] = a
		}
		a.n++
		a.sum += v
		if a.n == 1 || ts.After(a.lastTime) {
			a.last, a.lastTime = v, ts
		}
	}
	f.Close()

	// dashkit: two byte ranges, per-part partials, merged.
	aggs := make([]Agg, 2)
	res := []*Resampler[Category]{NewResampler[Category](time.Hour), NewResampler[Category](time.Hour)}
	err = ScanFile(context.Background(), path, 2, CSVOptions{ReuseChunks: true}, func(p int, chunk []sample) error {
		for i := range chunk {
			aggs[p].Add(chunk[i].Value)
			res[p].Add(chunk[i].Device, chunk[i].Time, chunk[i].Value)
		}
		return nil
	})
	require.NoError(t, err)
	aggs[0].Merge(aggs[1])
	res[0].Merge(res[1])
	require.NoError(t, res[0].Err())

	require.Equal(t, int64(n), aggs[0].N)
	require.InEpsilon(t, sum/float64(n), aggs[0].Mean(), 1e-12)
	require.Equal(t, lo, aggs[0].Min)
	require.Equal(t, hi, aggs[0].Max)

	require.Equal(t, 500, res[0].Len())
	buckets := 0
	for _, dev := range res[0].Keys(Ascending[Category]) {
		for _, b := range res[0].Series(dev) {
			a := want[key{string(dev), b.Start.Unix()}]
			if b.N == 0 {
				require.Nil(t, a, "%s %s", dev, b.Start)
				continue
			}
			require.NotNil(t, a, "%s %s", dev, b.Start)
			require.Equal(t, int64(a.n), b.N)
			require.InDelta(t, a.sum/float64(a.n), b.Mean(), 1e-9)
			require.Equal(t, a.lastTime, b.LastAt)
			buckets++
		}
	}
	require.Equal(t, len(want), buckets, "every non-empty (device, hour) appears once")
}

func TestResamplerEdges(t *testing.T) {
	r := NewResampler[string](15 * time.Minute)
	t0 := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	r.Add("a", t0.Add(40*time.Minute), 3) // 10:30 bucket
	r.Add("a", t0.Add(-1*time.Nanosecond), 1)
	r.Add("a", t0.Add(44*time.Minute), 5) // later in 10:30: Last
	r.Add("a", t0.Add(31*time.Minute), 7)
	s := r.Series("a")
	require.Len(t, s, 4) // 09:45, 10:00 (empty), 10:15 (empty), 10:30
	require.Equal(t, t0.Add(-15*time.Minute), s[0].Start)
	require.Equal(t, []int64{1, 0, 0, 3}, []int64{s[0].N, s[1].N, s[2].N, s[3].N})
	require.True(t, math.IsNaN(s[1].Mean()))
	require.Equal(t, 5.0, s[3].Last)
	require.InDelta(t, 5.0, s[3].Mean(), 1e-12)
	require.Nil(t, r.Series("missing"))

	// Before the epoch floors down, not toward zero.
	e := NewResampler[string](time.Hour)
	e.Add("x", time.Unix(-1, 0), 1)
	require.Equal(t, time.Unix(-3600, 0).UTC(), e.Series("x")[0].Start)

	// A stray timestamp far away is an error, not gigabytes of buckets.
	r.MaxBuckets = 1000
	r.Add("a", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 1)
	require.ErrorIs(t, r.Err(), ErrSpan)
	require.Len(t, r.Series("a"), 4)
}

// Adds are buffered and applied grouped by key when keys are few, in
// arrival order when they are many; both give the same buckets as a direct
// count, across several flushes.
func TestResamplerBufferedPathsAgree(t *testing.T) {
	for _, keys := range []int{3, 20_000} {
		r := NewResampler[int](time.Minute)
		type k struct {
			key  int
			slot int64
		}
		want := map[k][2]float64{} // n, sum
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 3*pendingMax + 17 {
			key := (i * 7919) % keys
			at := t0.Add(time.Duration((i*104729)%600) * time.Second)
			r.Add(key, at, float64(i))
			kk := k{key, at.Unix() / 60}
			w := want[kk]
			w[0]++
			w[1] += float64(i)
			want[kk] = w
		}
		got := 0
		for _, key := range r.Keys(Ascending[int]) {
			for _, b := range r.Series(key) {
				if b.N == 0 {
					continue
				}
				got++
				w := want[k{key, b.Start.Unix() / 60}]
				require.Equal(t, w[0], float64(b.N), "keys=%d", keys)
				require.Equal(t, w[1], b.Sum, "keys=%d: same order, same sum", keys)
			}
		}
		require.Equal(t, len(want), got, "keys=%d", keys)
	}
}

// TestResamplerSpanLimitInOneFlush: a key's buffered Adds, applied in one
// flush whatever their time order, may span exactly MaxBuckets; an Add
// past that is the ErrSpan naming its own time, and the other Adds of
// the flush still count — as when they are applied one by one.
func TestResamplerSpanLimitInOneFlush(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := NewResampler[string](time.Minute)
	r.MaxBuckets = 100
	for _, m := range []int{50, 99, 0, 75, 25, 1, 98} {
		r.Add("a", t0.Add(time.Duration(m)*time.Minute), float64(m))
	}
	require.NoError(t, r.Err())
	s := r.Series("a")
	require.Len(t, s, 100)
	require.Equal(t, t0, s[0].Start)
	require.Equal(t, 99.0, s[99].Sum)
	r.Add("a", t0.Add(120*time.Minute), 1) // the room reserved stays within the limit
	require.ErrorIs(t, r.Err(), ErrSpan)
	require.Len(t, r.Series("a"), 100)

	r = NewResampler[string](time.Minute)
	r.MaxBuckets = 100
	r.Add("a", t0.Add(100*time.Minute), 1)
	r.Add("a", t0, 1) // one bucket too many
	require.ErrorIs(t, r.Err(), ErrSpan)
	require.ErrorContains(t, r.Err(), t0.Format(time.RFC3339))
	require.Len(t, r.Series("a"), 1)

	r = NewResampler[string](time.Minute)
	r.MaxBuckets = 100
	for _, m := range []int{10, 150, 60, 0, 9} {
		r.Add("a", t0.Add(time.Duration(m)*time.Minute), 1)
	}
	require.ErrorIs(t, r.Err(), ErrSpan)
	require.ErrorContains(t, r.Err(), t0.Add(150*time.Minute).Format(time.RFC3339))
	s = r.Series("a")
	require.Len(t, s, 61)
	var n int64
	for _, b := range s {
		n += b.N
	}
	require.Equal(t, int64(4), n)
}
