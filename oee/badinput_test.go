package oee

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The oee cases of issue 18's "Why": counts whose ideal time overflows a
// time.Duration, rejects whose sum overflows, and the performance error
// that did not wrap ErrInput. Each record is rejected with an error
// wrapping ErrInput, and the good record beside it still counts.
func TestOverflowingRecordsAreRejected(t *testing.T) {
	ok := Record{Facility: "F", Line: "L", Machine: "M", Start: day, End: day.Add(time.Hour), IdealCycleTime: time.Minute, TotalCount: 30}
	for _, tc := range []struct {
		name string
		mod  func(*Record)
		want error
	}{
		// 1e10 units × 1 s is 1e19 ns, past the 9.2e18 of a Duration:
		// multiplied first, it wrapped to a negative time (OEE −293,290).
		{"count × cycle time overflows", func(r *Record) { r.IdealCycleTime = time.Second; r.TotalCount = 10_000_000_000 }, ErrPerformanceAbove100},
		{"2^62 units at 2 ns", func(r *Record) { r.IdealCycleTime = 2; r.TotalCount = 1 << 62 }, ErrPerformanceAbove100},
		{"performance above 100% wraps ErrInput", func(r *Record) { r.TotalCount = 61 }, ErrInput},
		// Summed, these rejects wrapped to a negative number and passed
		// the check (Quality 1.002).
		{"rejects whose sum overflows", func(r *Record) { r.StartupRejects = math.MaxInt64; r.ProductionRejects = 10 }, ErrInput},
		{"rejects whose sum overflows the other way", func(r *Record) { r.StartupRejects = 10; r.ProductionRejects = math.MaxInt64 }, ErrInput},
		{"ideal rate too small for a Duration", func(r *Record) { r.IdealCycleTime = 0; r.IdealRate = 1e-300 }, ErrInput},
		{"ideal rate too large: cycle below 1 ns", func(r *Record) { r.IdealCycleTime = 0; r.IdealRate = 1e300 }, ErrInput},
		{"period longer than 292 years", func(r *Record) {
			r.Start = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
			r.End = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
		}, ErrInput},
		{"period before 1678", func(r *Record) { r.Start = time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC); r.End = r.Start.Add(time.Hour) }, ErrInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := ok
			bad.Machine = "bad"
			tc.mod(&bad)
			r := calc(t, []Record{ok, bad}, nil)
			require.Len(t, r.Rejected, 1)
			require.ErrorIs(t, r.Rejected[0], tc.want)
			require.ErrorIs(t, r.Rejected[0], ErrInput)
			require.InDelta(t, 0.5, r.Global.OEE(), 1e-12, "the good record is still counted")
			requireRatios(t, r)
		})
	}
	require.ErrorIs(t, ErrPerformanceAbove100, ErrInput)
}

// An event longer than a Duration, or outside the Unix-nanosecond years,
// is an error when it is added.
func TestEventsOutsideTheRange(t *testing.T) {
	c, err := NewCalculator(Options{})
	require.NoError(t, err)
	for _, e := range []Event{
		{Facility: "F", Machine: "M", Start: time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), Reason: "breakdown"},
		{Facility: "F", Machine: "M", Start: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(3000, 1, 2, 0, 0, 0, 0, time.UTC), Reason: "breakdown"},
	} {
		require.ErrorIs(t, c.AddEvents(context.Background(), []Event{e}), ErrInput)
	}
}

// A 2-hour breakdown across a shift change is one failure: two 8-hour
// shifts, 7 hours of run time each, give MTBF 14 h and MTTR 2 h (Nakajima's
// definitions: MTBF = operating time / number of failures, MTTR = repair
// time / number of failures), not two failures with MTTR 1 h and MTBF 7 h.
func TestMTBFCountsAFailureOnceAcrossShifts(t *testing.T) {
	shift := func(h int) Record {
		return Record{Facility: "F", Line: "L", Machine: "M", Start: day.Add(time.Duration(h) * time.Hour), End: day.Add(time.Duration(h+8) * time.Hour),
			IdealCycleTime: time.Minute, TotalCount: 100}
	}
	ev := Event{Facility: "F", Machine: "M", Start: day.Add(7 * time.Hour), End: day.Add(9 * time.Hour), Reason: "breakdown"}
	r := calc(t, []Record{shift(0), shift(8)}, []Event{ev})
	m := r.Machines[0].Totals
	require.Equal(t, 1, m.Failures)
	require.Equal(t, 1, m.UnplannedStops)
	require.Equal(t, SpanOf(14*time.Hour), m.RunTime)
	mtbf, ok := m.MTBF()
	require.True(t, ok)
	require.Equal(t, SpanOf(14*time.Hour), mtbf)
	mttr, ok := m.MTTR()
	require.True(t, ok)
	require.Equal(t, SpanOf(2*time.Hour), mttr)

	// If the first shift is rejected, the failure counts in the second.
	bad := shift(0)
	bad.TotalCount = -1
	r = calc(t, []Record{bad, shift(8)}, []Event{ev})
	require.Len(t, r.Rejected, 1)
	require.Equal(t, 1, r.Machines[0].Failures)

	// An unknown reason is counted once too.
	ev.Reason = "gremlins"
	r = calc(t, []Record{shift(0), shift(8)}, []Event{ev})
	require.Equal(t, 1, r.UnknownReasons["gremlins"])
}

// A rule on a metric that does not exist, or with an infinite threshold,
// is refused rather than silently watching OEE or never firing.
func TestAlerterRejectsBadRules(t *testing.T) {
	for name, r := range map[string]Rule{
		"unknown metric":     {Name: "x", Metric: 9, Threshold: 0.7, Clear: 0.8, Severity: Warning},
		"infinite threshold": {Name: "x", Threshold: math.Inf(-1), Clear: 0.8, Severity: Warning},
		"infinite clear":     {Name: "x", Threshold: 0.7, Clear: math.Inf(1), Severity: Warning},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewAlerter([]Rule{r})
			require.ErrorIs(t, err, ErrInput)
		})
	}
}

func TestTotalsValidate(t *testing.T) {
	rec, ev := oeeDotCom()
	require.NoError(t, calc(t, []Record{rec}, []Event{ev}).Global.Validate())
	hour := SpanOf(time.Hour)
	for name, tot := range map[string]Totals{
		"negative time":        {AllTime: SpanOf(-time.Hour)},
		"run above planned":    {AllTime: hour, PlannedTime: SpanOf(time.Minute), RunTime: hour},
		"good above total":     {AllTime: hour, PlannedTime: hour, RunTime: hour, TotalCount: 1, GoodCount: 2},
		"counts do not add up": {AllTime: hour, PlannedTime: hour, RunTime: hour, TotalCount: 10, GoodCount: 5, StartupRejects: 1},
		"wrapped count":        {AllTime: hour, PlannedTime: hour, RunTime: hour, TotalCount: math.MinInt64, GoodCount: math.MinInt64},
	} {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, tot.Validate(), ErrInput)
		})
	}
}

// requireRatios checks that every total of a report is valid and every
// ratio finite and in [0, 1].
func requireRatios(t *testing.T, r *Report) {
	t.Helper()
	all := []Totals{r.Global}
	for _, f := range r.Facilities {
		all = append(all, f)
	}
	for _, lines := range r.Lines {
		for _, l := range lines {
			all = append(all, l)
		}
	}
	for _, m := range r.Machines {
		all = append(all, m.Totals)
	}
	for _, tot := range all {
		require.NoError(t, tot.Validate())
		for _, v := range []float64{tot.Availability(), tot.Performance(), tot.Quality(), tot.OEE(), tot.Utilization(), tot.TEEP(), tot.FirstPassYield(), tot.ScrapRate()} {
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0))
			require.True(t, v >= 0 && v <= 1, "ratio %v", v)
		}
	}
	for _, e := range r.Rejected {
		require.True(t, errors.Is(e, ErrInput), "%v", e)
	}
}

// FuzzRecords ingests one hostile record and one event beside a good
// record: nothing panics, every rejection wraps ErrInput, and every ratio
// of the report is in [0, 1]. Run with
//
//	go test ./oee/ -run '^$' -fuzz FuzzRecords -fuzztime 30s
func FuzzRecords(f *testing.F) {
	f.Add(int64(8*time.Hour), int64(time.Hour), int64(time.Second), 0.0, int64(19_271), int64(0), int64(423), int64(2*time.Hour), int64(47*time.Minute), false)
	f.Add(int64(8*time.Hour), int64(0), int64(time.Second), 0.0, int64(10_000_000_000), int64(0), int64(0), int64(0), int64(time.Minute), false)
	f.Add(int64(8*time.Hour), int64(0), int64(2), 0.0, int64(1<<62), int64(0), int64(0), int64(0), int64(time.Minute), false)
	f.Add(int64(8*time.Hour), int64(0), int64(time.Second), 0.0, int64(100), int64(math.MaxInt64), int64(10), int64(0), int64(time.Minute), true)
	f.Add(int64(8*time.Hour), int64(0), int64(0), math.NaN(), int64(100), int64(0), int64(0), int64(7*time.Hour), int64(2*time.Hour), false)
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64), math.Inf(1), int64(math.MaxInt64), int64(-1), int64(math.MinInt64), int64(math.MinInt64), int64(math.MaxInt64), false)
	f.Fuzz(func(t *testing.T, period, breaks, cycle int64, rate float64, total, startup, production, evOffset, evLen int64, planned bool) {
		c, err := NewCalculator(Options{})
		require.NoError(t, err)
		good := Record{Facility: "F", Line: "L", Machine: "good", Start: day, End: day.Add(time.Hour), IdealCycleTime: time.Minute, TotalCount: 30}
		rec := Record{Facility: "F", Line: "L", Machine: "M", Start: day, End: day.Add(time.Duration(period)),
			PlannedBreaks: time.Duration(breaks), IdealCycleTime: time.Duration(cycle), IdealRate: rate,
			TotalCount: total, StartupRejects: startup, ProductionRejects: production}
		next := rec
		next.Start, next.End = rec.End, rec.End.Add(8*time.Hour)
		next.PlannedBreaks = 0
		require.NoError(t, c.AddRecords(context.Background(), []Record{good, rec, next}))
		ev := Event{Facility: "F", Machine: "M", Start: day.Add(time.Duration(evOffset)), Reason: "breakdown", Planned: planned}
		ev.End = ev.Start.Add(time.Duration(evLen))
		if err := c.AddEvents(context.Background(), []Event{ev}); err != nil {
			require.ErrorIs(t, err, ErrInput)
		}
		r, err := c.Report(context.Background())
		if err != nil {
			require.ErrorIs(t, err, ErrInput)
			return
		}
		requireRatios(t, r)
		for _, m := range r.Machines {
			if mtbf, ok := m.MTBF(); ok {
				require.GreaterOrEqual(t, mtbf.Sign(), 0)
			}
		}
	})
}

// A rejected record is left out of everything: its stops are not in the
// Pareto nor among the unknown reasons, and their time, which no accepted
// record covers, is unattributed.
func TestRejectedRecordsStopsAreLeftOut(t *testing.T) {
	rec, ev := oeeDotCom()
	rec.TotalCount = 1_000_000 // performance above 100%
	ev.Reason = "gremlins"
	r := calc(t, []Record{rec}, []Event{ev})
	require.Len(t, r.Rejected, 1)
	require.Empty(t, r.Pareto)
	require.Empty(t, r.UnknownReasons)
	require.Equal(t, SpanOf(47*time.Minute), r.Unattributed)
	require.Zero(t, r.Global)
}
