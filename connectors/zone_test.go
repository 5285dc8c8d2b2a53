package connectors

import (
	"math"
	"testing"
	"time"
	_ "time/tzdata" // the zones below on any machine

	"github.com/stretchr/testify/require"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// TestResamplerInDaysAreCalendarDays: daily buckets in New York start at
// local midnight; the day clocks go forward is 23 hours, the day they go
// back 25, and a sale at 23:30 stays on its own day.
func TestResamplerInDaysAreCalendarDays(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	r := NewResamplerIn[string](24*time.Hour, ny)
	for _, s := range []string{"2026-03-07T23:30:00-05:00", "2026-03-08T00:30:00-05:00", "2026-03-09T00:10:00-04:00", "2026-11-01T23:59:00-05:00", "2026-11-01T00:01:00-04:00"} {
		at, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		r.Add("shop", at, 1)
	}
	got := r.Series("shop")
	require.Equal(t, time.Date(2026, 3, 7, 0, 0, 0, 0, ny), got[0].Start)
	require.Equal(t, time.Date(2026, 3, 8, 0, 0, 0, 0, ny), got[1].Start)
	require.Equal(t, 23*time.Hour, got[2].Start.Sub(got[1].Start), "spring forward")
	require.Equal(t, []int64{1, 1, 1}, []int64{got[0].N, got[1].N, got[2].N})
	last := got[len(got)-1]
	require.Equal(t, time.Date(2026, 11, 1, 0, 0, 0, 0, ny), last.Start)
	require.Equal(t, int64(2), last.N, "both times are on November 1st in New York")
	require.Equal(t, ny, last.Start.Location())
}

// TestResamplerInHoursFollowTheLocalHour: hourly buckets in New York on the
// day clocks go back are 25, the repeated 01:00 twice; in Kolkata (+05:30)
// they start on the local hour, not the UTC one.
func TestResamplerInHoursFollowTheLocalHour(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	r := NewResamplerIn[string](time.Hour, ny)
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, ny)
	end := time.Date(2026, 11, 2, 0, 0, 0, 0, ny)
	for at := start; at.Before(end); at = at.Add(30 * time.Minute) {
		r.Add("shop", at, 1)
	}
	got := r.Series("shop")
	require.Len(t, got, 25)
	require.Equal(t, "01:00 EDT", got[1].Start.Format("15:04 MST"))
	require.Equal(t, "01:00 EST", got[2].Start.Format("15:04 MST"))
	for _, b := range got {
		require.Equal(t, int64(2), b.N)
		require.Zero(t, b.Start.Minute())
	}

	kolkata := mustZone(t, "Asia/Kolkata")
	k := NewResamplerIn[string](time.Hour, kolkata)
	k.Add("x", time.Date(2026, 6, 1, 9, 10, 0, 0, kolkata), 1)
	k.Add("x", time.Date(2026, 6, 1, 9, 50, 0, 0, kolkata), 1)
	kb := k.Series("x")
	require.Len(t, kb, 1)
	require.Equal(t, time.Date(2026, 6, 1, 9, 0, 0, 0, kolkata), kb[0].Start)
	require.Equal(t, int64(2), kb[0].N)

	require.Panics(t, func() { r.Merge(NewResampler[string](time.Hour)) }, "a zone's buckets do not merge with UTC's")
}

// TestMultiResamplerKeepsEveryMeasureInOnePass: revenue and quantity per
// region and hour from one pass; a NaN counts nowhere; split in two and
// merged it is the same; Total is the whole period.
func TestMultiResamplerKeepsEveryMeasureInOnePass(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	rows := []struct {
		region   string
		at       time.Time
		revenue  float64
		quantity float64
	}{
		{"north", t0.Add(5 * time.Minute), 100, 2},
		{"north", t0.Add(50 * time.Minute), 50, math.NaN()},
		{"north", t0.Add(2*time.Hour + time.Minute), 30, 1},
		{"south", t0.Add(10 * time.Minute), 70, 7},
	}
	one := NewMultiResampler[string](time.Hour, nil, "revenue", "quantity")
	a := NewMultiResampler[string](time.Hour, nil, "revenue", "quantity")
	b := NewMultiResampler[string](time.Hour, nil, "revenue", "quantity")
	for i, r := range rows {
		one.Add(r.region, r.at, r.revenue, r.quantity)
		if i%2 == 0 {
			a.Add(r.region, r.at, r.revenue, r.quantity)
		} else {
			b.Add(r.region, r.at, r.revenue, r.quantity)
		}
	}
	require.NoError(t, one.Err())
	b.Merge(a)
	for _, m := range []*MultiResampler[string]{one, b} {
		north := m.Series("north")
		require.Len(t, north, 3, "10:00, an empty 11:00, 12:00")
		rev, qty := north[0].Stats[0], north[0].Stats[1]
		require.Equal(t, Stat{N: 2, Sum: 150, Min: 50, Max: 100, Last: 50, LastAt: t0.Add(50 * time.Minute)}, rev)
		require.Equal(t, int64(1), qty.N, "the missing quantity counts nowhere")
		require.Equal(t, 2.0, Mean.Of(qty))
		require.True(t, math.IsNaN(Sum.Of(north[1].Stats[0])), "an empty hour is a gap")
		require.Equal(t, 0.0, Count.Of(north[1].Stats[0]))
		require.Equal(t, 180.0, m.Total("north", m.Field("revenue")).Sum)
		require.Equal(t, 70.0, Max.Of(m.Total("south", 0)))
		require.Equal(t, []string{"north", "south"}, m.Keys(Ascending[string]))
	}
	one.Add("north", t0, 1)
	require.ErrorContains(t, one.Err(), "1 values for 2 fields")
	require.Equal(t, "mean", Mean.String())
}
