package oee

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var day = time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)

func calc(t *testing.T, recs []Record, evs []Event) *Report {
	t.Helper()
	c, err := NewCalculator(Options{})
	require.NoError(t, err)
	require.NoError(t, c.AddRecords(context.Background(), recs))
	require.NoError(t, c.AddEvents(context.Background(), evs))
	r, err := c.Report(context.Background())
	require.NoError(t, err)
	return r
}

// The worked example of oee.com ("OEE Calculation", "Calculate OEE"): an
// 8-hour shift (480 min) with two 15-minute breaks and a 30-minute meal
// (planned production time 420 min), 47 minutes of downtime (run time 373
// min), an ideal cycle time of 1.0 s, 19,271 units of which 423 rejects
// (18,848 good). oee.com gives availability 88.81%, performance 86.11%,
// quality 97.80% and OEE 74.80% (74.79% as good count × ideal cycle time /
// planned production time).
func oeeDotCom() (Record, Event) {
	return Record{
			Facility: "Plant", Line: "L1", Machine: "M1",
			Start: day, End: day.Add(8 * time.Hour),
			PlannedBreaks:  60 * time.Minute,
			IdealCycleTime: time.Second,
			TotalCount:     19_271, ProductionRejects: 423,
		}, Event{
			Facility: "Plant", Machine: "M1",
			Start: day.Add(2 * time.Hour), End: day.Add(2*time.Hour + 47*time.Minute),
			Reason: "breakdown",
		}
}

func TestOEEDotComWorkedExample(t *testing.T) {
	rec, ev := oeeDotCom()
	r := calc(t, []Record{rec}, []Event{ev})
	m := r.Machines[0].Totals
	require.Equal(t, SpanOf(420*time.Minute), m.PlannedTime)
	require.Equal(t, SpanOf(373*time.Minute), m.RunTime)
	require.InDelta(t, 0.8881, m.Availability(), 5e-5)
	require.InDelta(t, 0.8611, m.Performance(), 5e-5)
	require.InDelta(t, 0.9780, m.Quality(), 5e-5)
	require.InDelta(t, 0.7479, m.OEE(), 5e-5)
	require.InDelta(t, m.Availability()*m.Performance()*m.Quality(), m.OEE(), 1e-12, "A × P × Q = OEE")
	require.InDelta(t, 18_848.0/(420*60), m.OEE(), 1e-12, "OEE = good × ideal cycle time / planned time")
	require.Equal(t, int64(18_848), m.GoodCount)
}

// TEEP as oee.com defines it ("TEEP"): OEE × Utilization, Utilization =
// Planned Production Time / All Time. The same shift over a 24-hour day:
// utilization 420/1440 = 29.17%, TEEP 74.79% × 29.17% = 21.81%.
func TestTEEP(t *testing.T) {
	rec, ev := oeeDotCom()
	rec.End = day.Add(24 * time.Hour)
	rec.PlannedBreaks = 60*time.Minute + 16*time.Hour // the 16 unscheduled hours
	r := calc(t, []Record{rec}, []Event{ev})
	m := r.Machines[0].Totals
	require.InDelta(t, 420.0/1440, m.Utilization(), 1e-12)
	require.InDelta(t, 0.2181, m.TEEP(), 5e-5)
	require.InDelta(t, m.OEE()*m.Utilization(), m.TEEP(), 1e-12)
}

// Roll-ups sum times and counts: a facility with a long shift at 90% and a
// short one at 50% is not at 70%.
func TestRollUpNeverAveragesPercentages(t *testing.T) {
	mk := func(machine string, hours time.Duration, good int64) Record {
		return Record{Facility: "F", Line: "L", Machine: machine, Start: day, End: day.Add(hours * time.Hour),
			IdealCycleTime: time.Minute, TotalCount: good}
	}
	long := mk("long", 10, 540) // 540 min of 600: 90%
	short := mk("short", 2, 60) // 60 min of 120: 50%
	r := calc(t, []Record{long, short}, nil)
	f := r.Facilities["F"]
	require.InDelta(t, 0.9, r.Machines[0].OEE(), 1e-12)
	require.InDelta(t, 0.5, r.Machines[1].OEE(), 1e-12)
	require.InDelta(t, 600.0/720, f.OEE(), 1e-12, "(540 + 60) / (600 + 120), not (90% + 50%) / 2")
	require.NotEqual(t, 0.7, f.OEE())
	require.Equal(t, f, r.Lines["F"]["L"])
	require.Equal(t, f, r.Global)
	require.InDelta(t, f.Availability()*f.Performance()*f.Quality(), f.OEE(), 1e-12)
}

func TestLossesAndWaterfall(t *testing.T) {
	rec := Record{Facility: "F", Line: "L", Machine: "M", Start: day, End: day.Add(8 * time.Hour),
		PlannedBreaks: 30 * time.Minute, IdealCycleTime: 30 * time.Second, TotalCount: 600, StartupRejects: 10, ProductionRejects: 20}
	evs := []Event{
		{Facility: "F", Machine: "M", Start: day.Add(time.Hour), End: day.Add(time.Hour + 40*time.Minute), Reason: "breakdown"},
		{Facility: "F", Machine: "M", Start: day.Add(3 * time.Hour), End: day.Add(3*time.Hour + 20*time.Minute), Reason: "changeover"},
		{Facility: "F", Machine: "M", Start: day.Add(4 * time.Hour), End: day.Add(4*time.Hour + 2*time.Minute), Reason: "breakdown"}, // minor
		{Facility: "F", Machine: "M", Start: day.Add(5 * time.Hour), End: day.Add(5*time.Hour + 30*time.Minute), Reason: "maintenance", Planned: true},
	}
	r := calc(t, []Record{rec}, evs)
	m := r.Machines[0].Totals
	require.Equal(t, SpanOf(8*time.Hour-60*time.Minute), m.PlannedTime, "breaks and the planned stop")
	require.Equal(t, SpanOf(40*time.Minute), m.Losses[EquipmentFailure])
	require.Equal(t, SpanOf(20*time.Minute), m.Losses[SetupAdjustments])
	require.Equal(t, SpanOf(2*time.Minute), m.Losses[IdlingMinorStops], "a 2-minute stop is a minor stop")
	require.Equal(t, m.RunTime.Sub(m.NetRunTime).Sub(SpanOf(2*time.Minute)), m.Losses[ReducedSpeed])
	require.Equal(t, SpanOf(20*30*time.Second), m.Losses[ProcessDefects])
	require.Equal(t, SpanOf(10*30*time.Second), m.Losses[ReducedYield])
	require.Equal(t, 1, m.Failures, "the minor stop is not a failure")

	// The waterfall closes: all time minus every step is fully productive.
	w := m.Waterfall()
	left := w[0].Time
	for _, s := range w[1 : len(w)-1] {
		if s.Time.Sign() < 0 {
			left = left.Add(s.Time)
		}
	}
	require.Equal(t, w[len(w)-1].Time, left)

	mtbf, ok := m.MTBF()
	require.True(t, ok)
	require.Equal(t, m.RunTime, mtbf)
	mttr, ok := m.MTTR()
	require.True(t, ok)
	require.Equal(t, SpanOf(40*time.Minute), mttr)
}

func TestZeroFailuresLeaveMTBFUndefined(t *testing.T) {
	var tot Totals
	_, ok := tot.MTBF()
	require.False(t, ok)
	_, ok = tot.MTTR()
	require.False(t, ok)
	require.Zero(t, tot.OEE(), "no planned time: 0, not NaN")
	require.Zero(t, tot.Throughput())
}

func TestParetoIsDeterministicAndEndsAtOne(t *testing.T) {
	p := rankReasons(map[string]time.Duration{"b": 10 * time.Minute, "a": 10 * time.Minute, "c": 30 * time.Minute, "d": time.Minute})
	require.Equal(t, []string{"c", "a", "b", "d"}, []string{p[0].Reason, p[1].Reason, p[2].Reason, p[3].Reason})
	require.Equal(t, 1.0, p[3].Cumulative)
	require.InDelta(t, 30.0/51, p[0].Cumulative, 1e-12)
}

func TestEventsSplitAcrossShiftsAndUnattributedTime(t *testing.T) {
	shift := func(h int) Record {
		return Record{Facility: "F", Line: "L", Machine: "M", Start: day.Add(time.Duration(h) * time.Hour), End: day.Add(time.Duration(h+8) * time.Hour),
			IdealCycleTime: time.Minute, TotalCount: 100}
	}
	evs := []Event{
		// Out of order, and across the shift change at +8h.
		{Facility: "F", Machine: "M", Start: day.Add(7*time.Hour + 30*time.Minute), End: day.Add(8*time.Hour + 30*time.Minute), Reason: "breakdown"},
		{Facility: "F", Machine: "M", Start: day.Add(time.Hour), End: day.Add(time.Hour + 10*time.Minute), Reason: "setup"},
		{Facility: "F", Machine: "X", Start: day, End: day.Add(time.Hour), Reason: "breakdown"}, // no record for X
	}
	r := calc(t, []Record{shift(8), shift(0)}, evs)
	m := r.Machines[0].Totals
	require.Equal(t, SpanOf(60*time.Minute), m.Losses[EquipmentFailure], "30 minutes in each shift")
	require.Equal(t, 1, m.Failures, "one stop, counted once though it touches two shifts")
	require.Equal(t, SpanOf(time.Hour), r.Unattributed)
}

func TestBadRecordsAreRejectedNotCapped(t *testing.T) {
	ok := Record{Facility: "F", Line: "L", Machine: "M", Start: day, End: day.Add(time.Hour), IdealCycleTime: time.Minute, TotalCount: 30}
	for _, tc := range []struct {
		name string
		mod  func(*Record)
		want error
		msg  string
	}{
		{"zero period", func(r *Record) { r.End = r.Start }, ErrInput, "period end"},
		{"breaks fill the shift", func(r *Record) { r.PlannedBreaks = time.Hour }, ErrInput, "no planned production time"},
		{"no ideal", func(r *Record) { r.IdealCycleTime = 0 }, ErrInput, "ideal rate"},
		{"NaN rate", func(r *Record) { r.IdealCycleTime = 0; r.IdealRate = math.NaN() }, ErrInput, "ideal rate NaN"},
		{"good above total", func(r *Record) { r.ProductionRejects = 31 }, ErrInput, "good count would be negative"},
		{"negative count", func(r *Record) { r.TotalCount = -1 }, ErrInput, "negative count"},
		{"performance above 100%", func(r *Record) { r.TotalCount = 61 }, ErrPerformanceAbove100, "61 units"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := ok
			bad.Machine = "bad"
			tc.mod(&bad)
			r := calc(t, []Record{ok, bad}, nil)
			require.Len(t, r.Rejected, 1)
			require.ErrorIs(t, r.Rejected[0], tc.want)
			require.ErrorContains(t, r.Rejected[0], tc.msg)
			require.Equal(t, "bad", r.Rejected[0].Machine)
			require.InDelta(t, 0.5, r.Global.OEE(), 1e-12, "the good record is still counted")
		})
	}
	// Downtime longer than the planned time left by the breaks.
	long := ok
	long.PlannedBreaks = 30 * time.Minute
	r := calc(t, []Record{long}, []Event{{Facility: "F", Machine: "M", Start: day.Add(10 * time.Minute), End: day.Add(55 * time.Minute), Reason: "breakdown"}})
	require.Len(t, r.Rejected, 1)
	require.ErrorContains(t, r.Rejected[0], "longer than the planned production time")
}

func TestOverlappingEventsAreAnError(t *testing.T) {
	c, err := NewCalculator(Options{})
	require.NoError(t, err)
	rec, ev := oeeDotCom()
	require.NoError(t, c.AddRecords(context.Background(), []Record{rec}))
	ev2 := ev
	ev2.Start = ev.Start.Add(10 * time.Minute)
	require.NoError(t, c.AddEvents(context.Background(), []Event{ev, ev2}))
	_, err = c.Report(context.Background())
	require.ErrorIs(t, err, ErrInput)
	require.ErrorContains(t, err, "overlap")

	require.Error(t, c.AddEvents(context.Background(), []Event{{Start: day, End: day}}), "an empty event")
	_, err = NewCalculator(Options{Taxonomy: map[string]Loss{"x": ReducedSpeed}})
	require.ErrorIs(t, err, ErrInput)
}

func TestUnknownReasonsCountAsFailuresAndAreListed(t *testing.T) {
	rec, ev := oeeDotCom()
	ev.Reason = "gremlins"
	r := calc(t, []Record{rec}, []Event{ev})
	require.Equal(t, 1, r.UnknownReasons["gremlins"])
	require.Equal(t, SpanOf(47*time.Minute), r.Global.Losses[EquipmentFailure])
}

func TestRolledThroughputYieldAndCompare(t *testing.T) {
	a := Totals{TotalCount: 100, GoodCount: 90}
	b := Totals{TotalCount: 90, GoodCount: 81}
	require.InDelta(t, 0.81, RolledThroughputYield(a, b), 1e-12)
	require.InDelta(t, 0.854145, WorldClass().OEE(), 1e-9, "90% × 95% × 99.9%, the 85% of world class")
	rec, ev := oeeDotCom()
	g := calc(t, []Record{rec}, []Event{ev}).Global.Compare(WorldClass())
	require.InDelta(t, 0.7479-0.8541, g.OEE, 1e-4)
}

func TestAlertsHaveHysteresis(t *testing.T) {
	a, err := NewAlerter([]Rule{{Name: "low OEE", Metric: MetricOEE, Threshold: 0.70, Clear: 0.75, Severity: Critical}})
	require.NoError(t, err)
	at := func(oee float64) []Alert {
		// OEE = good × 1 min / 100 min planned.
		planned := SpanOf(100 * time.Minute)
		tot := Totals{PlannedTime: planned, RunTime: planned, NetRunTime: planned,
			FullyProductiveTime: SpanOf(time.Duration(oee * float64(100*time.Minute)))}
		return a.Evaluate([]Subject{{Facility: "Porto", Machine: "Press 2", Totals: tot}})
	}
	got := at(0.69)
	require.Len(t, got, 1)
	require.Equal(t, "OEE 0.69 below 0.7 at Porto / Press 2", got[0].Message())
	require.Equal(t, Critical, got[0].Severity)
	for _, v := range []float64{0.71, 0.69, 0.72, 0.68, 0.74} {
		require.Empty(t, at(v), "hovering at %v does not flood", v)
	}
	cleared := at(0.76)
	require.Len(t, cleared, 1)
	require.True(t, cleared[0].Cleared)
	require.Zero(t, a.Active())
	require.Len(t, at(0.65), 1, "a new breach raises again")

	_, err = NewAlerter([]Rule{{Name: "x", Threshold: 0.7, Clear: 0.6, Severity: Warning}})
	require.ErrorIs(t, err, ErrInput, "Clear on the alerting side")
	_, err = NewAlerter([]Rule{{Name: "x", Threshold: 0.7, Clear: 0.8, Severity: "loud"}})
	require.ErrorIs(t, err, ErrInput)
}

func TestReportHonoursContext(t *testing.T) {
	c, err := NewCalculator(Options{})
	require.NoError(t, err)
	rec, _ := oeeDotCom()
	require.NoError(t, c.AddRecords(context.Background(), []Record{rec}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Report(ctx)
	require.True(t, errors.Is(err, context.Canceled))
}
