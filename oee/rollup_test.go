package oee

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The Year benchmark's plant, 15 facilities × 20 machines × 370 days, is
// 304 machine-years: past the 292 years of a Duration, which made Report
// refuse it ("totals of F14 would exceed 292 years"). Its totals are exact
// sums of its parts at every level, and so are its ratios.
func TestPlantYearRollsUpToTheSumOfItsParts(t *testing.T) {
	recs, evs := plant(15, 20, 370, 1)
	r := calc(t, recs, evs)
	require.Empty(t, r.Rejected)
	require.Len(t, r.Machines, 300)

	// All time is 300 machines × 370 days × 24 h, to the nanosecond.
	all := SpanOf(24 * time.Hour).mul(300 * 370)
	require.Equal(t, all, r.Global.AllTime)
	_, fits := r.Global.AllTime.Duration()
	require.False(t, fits, "more than a Duration holds")
	require.InDelta(t, 304, r.Global.AllTime.Hours()/(24*365.25), 0.5, "machine-years")

	// Each record: 8 h, 30 min of breaks; the planned time is the records'
	// less the planned stops ("maintenance").
	var net Span
	var total int64
	for _, rec := range recs {
		net = net.Add(SpanOf(rec.IdealCycleTime * time.Duration(rec.TotalCount)))
		total += rec.TotalCount
	}
	var plannedStops, unplanned Span
	for _, e := range evs {
		if e.Planned {
			plannedStops = plannedStops.Add(SpanOf(e.End.Sub(e.Start)))
		} else {
			unplanned = unplanned.Add(SpanOf(e.End.Sub(e.Start)))
		}
	}
	planned := SpanOf(7*time.Hour + 30*time.Minute).mul(len(recs)).Sub(plannedStops)
	require.Equal(t, planned, r.Global.PlannedTime)
	require.Equal(t, net, r.Global.NetRunTime)
	require.Equal(t, total, r.Global.TotalCount)
	var pareto Span
	for _, p := range r.Pareto {
		pareto = pareto.Add(SpanOf(p.Downtime))
	}
	require.Equal(t, unplanned, pareto, "the Pareto holds every unplanned stop")

	require.Len(t, r.Facilities, 15)
	requireSumsOfParts(t, r)

	// Ratios are those of the sums, not averages of ratios.
	g := r.Global
	var machines []Totals
	for _, m := range r.Machines {
		machines = append(machines, m.Totals)
	}
	require.Equal(t, g.FullyProductiveTime.Nanoseconds()/g.PlannedTime.Nanoseconds(), g.OEE())
	require.InDelta(t, g.Availability()*g.Performance()*g.Quality(), g.OEE(), 1e-12)
	require.InDelta(t, g.OEE()*g.Utilization(), g.TEEP(), 1e-12)
	require.InDelta(t, float64(g.GoodCount)/float64(g.TotalCount)*g.Performance()*g.Availability(), g.OEE(), 1e-12,
		"one ideal cycle time everywhere: quality is good / total")
	mtbf, ok := g.MTBF()
	require.True(t, ok)
	require.Equal(t, g.RunTime.div(uint64(g.Failures)), mtbf)
	requireRatios(t, r)
	for _, tot := range append(machines, g) {
		require.True(t, tot.OEE() > 0.5 && tot.OEE() < 1, "OEE %v", tot.OEE())
	}
}

// requireSumsOfParts checks that every line is the exact sum of its
// machines, every facility of its lines, and the globe of the facilities
// and of the machines.
func requireSumsOfParts(t *testing.T, r *Report) {
	t.Helper()
	sum := func(ts ...Totals) Totals {
		var s Totals
		for _, t := range ts {
			s = s.Add(t)
		}
		return s
	}
	var machines, facilities []Totals
	lines := make(map[string]map[string][]Totals)
	for _, m := range r.Machines {
		machines = append(machines, m.Totals)
		if lines[m.Facility] == nil {
			lines[m.Facility] = make(map[string][]Totals)
		}
		lines[m.Facility][m.Line] = append(lines[m.Facility][m.Line], m.Totals)
	}
	for f, fac := range r.Facilities {
		var ls []Totals
		for l, ms := range lines[f] {
			require.Equal(t, sum(ms...), r.Lines[f][l], "%s/%s is the sum of its machines", f, l)
			ls = append(ls, r.Lines[f][l])
		}
		require.Equal(t, sum(ls...), fac, "%s is the sum of its lines", f)
		facilities = append(facilities, fac)
	}
	require.Equal(t, sum(facilities...), r.Global, "the globe is the sum of the facilities")
	require.Equal(t, sum(machines...), r.Global, "and of the machines")
}

// Sums of times cannot overflow any more, so long histories add up: two
// 250-year records of one machine, and 400 years of events no record
// covers, which were errors when a machine's totals were Durations.
func TestCenturiesAddUp(t *testing.T) {
	y1700 := time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	y1950 := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	y2200 := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	rec := func(start, end time.Time) Record {
		return Record{Facility: "F", Line: "L", Machine: "M", Start: start, End: end, IdealCycleTime: time.Hour, TotalCount: 1000}
	}
	evs := []Event{
		{Facility: "F", Machine: "X", Start: y1700, End: y1700.AddDate(200, 0, 0), Reason: "breakdown"},
		{Facility: "F", Machine: "X", Start: y1950, End: y1950.AddDate(200, 0, 0), Reason: "breakdown"},
	}
	r := calc(t, []Record{rec(y1700, y1950), rec(y1950, y2200)}, evs)
	require.Empty(t, r.Rejected)
	m := r.Machines[0].Totals
	require.Equal(t, SpanOf(y1950.Sub(y1700)).Add(SpanOf(y2200.Sub(y1950))), m.AllTime)
	require.Equal(t, "4382904h0m0s", m.AllTime.String(), "500 years: 182,621 days")
	require.InDelta(t, 2000.0/4382904, m.OEE(), 1e-15)
	require.Equal(t, SpanOf(evs[0].End.Sub(evs[0].Start)).Add(SpanOf(evs[1].End.Sub(evs[1].Start))), r.Unattributed)
	requireRatios(t, r)
}

// What a plant cannot produce is still an error, never a wrapped number:
// more than 2⁶³ − 1 units in one total (a 250-year run at a 1 ns cycle
// time), or a Pareto of more than 292 years of unplanned downtime (its
// items are Durations).
func TestAbsurdTotalsAreErrorsNotWrapped(t *testing.T) {
	y1750 := time.Date(1750, 1, 1, 0, 0, 0, 0, time.UTC)
	y2000 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	units := int64(y2000.Sub(y1750)) // one every nanosecond: 7.9e18
	absurd := func(machine string, start, end time.Time) Record {
		return Record{Facility: "F", Line: "L", Machine: machine, Start: start, End: end, IdealCycleTime: 1, TotalCount: units}
	}
	t.Run("count of a facility", func(t *testing.T) {
		c, err := NewCalculator(Options{})
		require.NoError(t, err)
		require.NoError(t, c.AddRecords(context.Background(), []Record{absurd("A", y1750, y2000), absurd("B", y1750, y2000)}))
		_, err = c.Report(context.Background())
		require.ErrorIs(t, err, ErrInput)
		require.ErrorContains(t, err, "total count of F would exceed 9223372036854775807 units")
	})
	t.Run("count of a machine", func(t *testing.T) {
		r := calc(t, []Record{absurd("A", y1750, y2000), absurd("A", y2000, y2000.AddDate(250, 0, 0))}, nil)
		require.Len(t, r.Rejected, 1, "the second record would wrap the machine's count")
		require.ErrorIs(t, r.Rejected[0], ErrInput)
		require.Equal(t, units, r.Global.TotalCount)
		requireRatios(t, r)
	})
	t.Run("pareto past 292 years", func(t *testing.T) {
		var recs []Record
		var evs []Event
		for _, m := range []string{"A", "B"} {
			recs = append(recs, Record{Facility: "F", Line: "L", Machine: m, Start: y1750, End: y2000, IdealCycleTime: time.Hour})
			evs = append(evs, Event{Facility: "F", Machine: m, Start: y1750, End: y1750.AddDate(150, 0, 0), Reason: "breakdown"})
		}
		c, err := NewCalculator(Options{})
		require.NoError(t, err)
		require.NoError(t, c.AddRecords(context.Background(), recs))
		require.NoError(t, c.AddEvents(context.Background(), evs))
		_, err = c.Report(context.Background())
		require.ErrorIs(t, err, ErrInput)
		require.ErrorContains(t, err, "unplanned downtime of 300 years is more than the Pareto's 292 years")
	})
	require.Less(t, units, int64(math.MaxInt64))
}
