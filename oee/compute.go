package oee

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/dashkit/dashkit/internal/pareto"
)

// Options configure a [Calculator]. The zero value is a working default.
type Options struct {
	// MinorStopThreshold: unplanned stops shorter than this are idling and
	// minor stops, a performance loss that stays inside run time; zero
	// means 5 minutes.
	MinorStopThreshold time.Duration
	// Taxonomy maps stop reasons to losses; nil means DefaultTaxonomy().
	Taxonomy map[string]Loss
}

// Calculator computes OEE from streams of records and events delivered in
// chunks, in any order; Report computes everything at the end.
type Calculator struct {
	opts    Options
	records map[machineKey][]Record
	events  map[machineKey][]event
	reasons []string         // interned stop reasons
	reason  map[string]int32 // reason → index in reasons
}

// event is a stop as the calculator keeps it: no pointers, so two million
// of them cost the garbage collector nothing to scan.
type event struct {
	start, end int64 // Unix nanoseconds
	reason     int32
	planned    bool
}

type machineKey struct{ facility, machine string }

// The instants that Unix nanoseconds can hold.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// checkSpan fails for a period outside the Unix-nanosecond range or longer
// than the longest time.Duration (time.Sub saturates there).
func checkSpan(start, end time.Time) error {
	if start.Before(minTime) || end.After(maxTime) {
		return fmt.Errorf("%s–%s lies outside the years 1678–2262", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	if d := end.Sub(start); d == math.MaxInt64 || d == math.MinInt64 {
		return fmt.Errorf("%s–%s is longer than 292 years", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return nil
}

// add sums totals, reporting overflow. Times are Spans, which cannot
// overflow; every count in valid totals is at most TotalCount, so the total
// count is the only sum that can.
func add(a, b Totals) (Totals, bool) {
	if b.TotalCount > math.MaxInt64-a.TotalCount {
		return Totals{}, false
	}
	return a.Add(b), true
}

// NewCalculator returns a calculator.
func NewCalculator(opts Options) (*Calculator, error) {
	if opts.MinorStopThreshold < 0 {
		return nil, inputf("negative minor-stop threshold")
	}
	if opts.MinorStopThreshold == 0 {
		opts.MinorStopThreshold = 5 * time.Minute
	}
	if opts.Taxonomy == nil {
		opts.Taxonomy = DefaultTaxonomy()
	}
	for reason, l := range opts.Taxonomy {
		if l < 0 || l >= numLosses || l == ReducedSpeed || l == ProcessDefects || l == ReducedYield {
			return nil, inputf("reason %q maps to %v: stops can only be failures, setups or minor stops", reason, l)
		}
	}
	return &Calculator{opts: opts, records: make(map[machineKey][]Record), events: make(map[machineKey][]event), reason: make(map[string]int32)}, nil
}

// AddRecords adds a chunk of production records.
func (c *Calculator) AddRecords(ctx context.Context, chunk []Record) error {
	for i, r := range chunk {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		k := machineKey{r.Facility, r.Machine}
		c.records[k] = append(c.records[k], r)
	}
	return nil
}

// AddEvents adds a chunk of downtime events. An event whose end is not
// after its start, that lasts longer than 292 years or that lies outside the
// years 1678–2262 (the range of Unix nanoseconds) is an error naming it;
// the events before it in the chunk are kept.
func (c *Calculator) AddEvents(ctx context.Context, chunk []Event) error {
	for i, e := range chunk {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if !e.End.After(e.Start) {
			return inputf("event %s/%s at %s: end %s is not after start", e.Facility, e.Machine, e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339))
		}
		if err := checkSpan(e.Start, e.End); err != nil {
			return inputf("event %s/%s at %s: %v", e.Facility, e.Machine, e.Start.Format(time.RFC3339), err)
		}
		k := machineKey{e.Facility, e.Machine}
		idx, ok := c.reason[e.Reason]
		if !ok {
			idx = int32(len(c.reasons))
			c.reasons = append(c.reasons, e.Reason)
			c.reason[e.Reason] = idx
		}
		c.events[k] = append(c.events[k], event{start: e.Start.UnixNano(), end: e.End.UnixNano(), reason: idx, planned: e.Planned})
	}
	return nil
}

// MachineResult is one machine's totals over every accepted record.
type MachineResult struct {
	Facility, Line, Machine string
	Totals
}

// Report is the calculator's result.
type Report struct {
	Machines   []MachineResult // sorted by facility, line, machine
	Lines      map[string]map[string]Totals
	Facilities map[string]Totals
	Global     Totals
	// Pareto ranks the unplanned downtime of accepted records by reason.
	Pareto []ParetoItem
	// Rejected lists the records left out, with why: bad counts, downtime
	// longer than the period, performance above 100%. Nothing is dropped
	// silently. A rejected record counts nowhere: not in the totals, the
	// Pareto or UnknownReasons; its stops' time is Unattributed.
	Rejected []*RecordError
	// Unattributed is event time on machines or at times no accepted
	// record covers.
	Unattributed Span
	// UnknownReasons counts unplanned stops whose reason the taxonomy does
	// not know (counted as equipment failure).
	UnknownReasons map[string]int
}

// Report computes KPIs, losses, the Pareto and the roll-ups. Events on one
// machine are sorted by start (out-of-order input is fine); two that
// overlap are an error naming both, since the time would count twice. An
// event spanning several records is split between them: each record gets
// the time inside its period, but the stop is counted once (as one failure
// for MTBF and MTTR, one unplanned stop, one unknown reason), in the first
// accepted record it touches. Times are summed exactly, as [Span] values, so
// roll-ups of any number of machine-years work. Counts are int64: a record
// that would take its machine past 2⁶³ − 1 units is rejected; a line,
// facility or the globe past it is an error, as is more than 292 years of
// unplanned downtime in the Pareto (whose items are Durations).
func (c *Calculator) Report(ctx context.Context) (*Report, error) {
	rep := &Report{Lines: make(map[string]map[string]Totals), Facilities: make(map[string]Totals), UnknownReasons: make(map[string]int)}
	downtime := make(map[string]Span) // unplanned downtime by reason
	c.unrecordedEvents(rep)
	keys := make([]machineKey, 0, len(c.records))
	for k := range c.records {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b machineKey) int {
		return cmp.Or(cmp.Compare(a.facility, b.facility), cmp.Compare(a.machine, b.machine))
	})
	var stops []stop // reused: a record has a handful
	for _, k := range keys {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		recs, evs := c.records[k], c.events[k]
		slices.SortFunc(recs, func(a, b Record) int { return a.Start.Compare(b.Start) })
		slices.SortFunc(evs, func(a, b event) int { return cmp.Compare(a.start, b.start) })
		if err := checkOverlaps(k, recs, evs); err != nil {
			return nil, err
		}
		machine := c.machine(k, recs, evs, rep, downtime, &stops)
		if err := rep.rollUp(k.facility, machine); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(rep.Machines, func(a, b MachineResult) int {
		return cmp.Or(cmp.Compare(a.Facility, b.Facility), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Machine, b.Machine))
	})
	byReason, err := paretoDurations(downtime)
	if err != nil {
		return nil, err
	}
	rep.Pareto = rankReasons(byReason)
	return rep, nil
}

// paretoDurations converts the downtime by reason for [rankReasons], which sums
// Durations: it fails when their total would not fit in one.
func paretoDurations(downtime map[string]Span) (map[string]time.Duration, error) {
	var total Span
	byReason := make(map[string]time.Duration, len(downtime))
	for reason, d := range downtime {
		total = total.Add(d)
		byReason[reason], _ = d.Duration()
	}
	if _, ok := total.Duration(); !ok {
		return nil, inputf("unplanned downtime of %.0f years is more than the Pareto's 292 years", total.Hours()/(24*365.2425))
	}
	return byReason, nil
}

// unrecordedEvents counts the time of events on machines that have no
// records as unattributed.
func (c *Calculator) unrecordedEvents(rep *Report) {
	for k, evs := range c.events {
		if _, ok := c.records[k]; ok {
			continue
		}
		for _, e := range evs {
			rep.Unattributed = rep.Unattributed.Add(SpanOf(time.Duration(e.end - e.start)))
		}
	}
}

// checkOverlaps refuses a machine's overlapping events or records, both
// sorted by start.
func checkOverlaps(k machineKey, recs []Record, evs []event) error {
	for i := 1; i < len(evs); i++ {
		if evs[i].start < evs[i-1].end {
			return inputf("events on %s/%s overlap: %s–%s and %s–%s", k.facility, k.machine,
				stamp(evs[i-1].start), stamp(evs[i-1].end), stamp(evs[i].start), stamp(evs[i].end))
		}
	}
	for i := 1; i < len(recs); i++ {
		if recs[i].Start.Before(recs[i-1].End) {
			return inputf("records on %s/%s overlap at %s", k.facility, k.machine, recs[i].Start.Format(time.RFC3339))
		}
	}
	return nil
}

// machine totals one machine's records with the stops within each, adding
// rejected records to rep.Rejected, the event time no accepted record
// covered to rep.Unattributed, and the accepted records' stops to downtime
// and rep.UnknownReasons.
func (c *Calculator) machine(k machineKey, recs []Record, evs []event, rep *Report, downtime map[string]Span, stops *[]stop) MachineResult {
	machine := MachineResult{Facility: k.facility, Machine: k.machine}
	var attributed, total Span
	counted := make([]bool, len(evs)) // stops already counted in an accepted record
	e0 := 0                           // first event that may still overlap the current record
	for _, r := range recs {
		machine.Line = r.Line
		reject := func(err error) {
			rep.Rejected = append(rep.Rejected, &RecordError{Facility: r.Facility, Machine: r.Machine, Start: r.Start, Err: err})
		}
		if err := checkSpan(r.Start, r.End); err != nil {
			reject(inputf("%v", err))
			continue
		}
		rs, re := r.Start.UnixNano(), r.End.UnixNano()
		for e0 < len(evs) && evs[e0].end <= rs {
			e0++
		}
		*stops = (*stops)[:0]
		for j := e0; j < len(evs) && evs[j].start < re; j++ {
			e := &evs[j]
			within := time.Duration(min(e.end, re) - max(e.start, rs))
			*stops = append(*stops, stop{e, within, !counted[j]})
		}
		t, err := c.record(r, *stops)
		if err == nil {
			if sum, ok := add(machine.Totals, t); ok {
				machine.Totals = sum
			} else { // the record is left out; the machine keeps its totals
				err = inputf("the machine's total count would exceed %d units", int64(math.MaxInt64))
			}
		}
		if err != nil {
			reject(err)
			continue
		}
		attributed = attributed.Add(c.tally(*stops, rep.UnknownReasons, downtime))
		for j := e0; j < len(evs) && evs[j].start < re; j++ {
			counted[j] = true
		}
	}
	for _, e := range evs {
		total = total.Add(SpanOf(time.Duration(e.end - e.start)))
	}
	rep.Unattributed = rep.Unattributed.Add(total.Sub(attributed)) // what no record covered
	return machine
}

// rollUp adds a machine to the report and to its line's, facility's and the
// global totals.
func (rep *Report) rollUp(facility string, machine MachineResult) error {
	rep.Machines = append(rep.Machines, machine)
	if rep.Lines[facility] == nil {
		rep.Lines[facility] = make(map[string]Totals)
	}
	line, okL := add(rep.Lines[facility][machine.Line], machine.Totals)
	fac, okF := add(rep.Facilities[facility], machine.Totals)
	global, okG := add(rep.Global, machine.Totals)
	if !okL || !okF || !okG {
		return inputf("the total count of %s would exceed %d units", facility, int64(math.MaxInt64))
	}
	rep.Lines[facility][machine.Line], rep.Facilities[facility], rep.Global = line, fac, global
	return nil
}

type stop struct {
	*event
	within time.Duration // the part inside the record's period
	first  bool          // not yet counted in an accepted record
}

func stamp(ns int64) string { return time.Unix(0, ns).UTC().Format(time.RFC3339) }

// filed is what a record's stops add up to. One record lasts at most 292
// years and its stops do not overlap, so each sum fits in a Duration.
type filed struct {
	planned, minor, failureTime time.Duration
	losses                      [numLosses]time.Duration
	failures, unplannedStops    int
}

// record computes one record's totals, or why it is rejected. Its times
// are computed in Durations, exactly, and only then made Spans.
func (c *Calculator) record(r Record, stops []stop) (Totals, error) {
	ict, err := checkRecord(r)
	if err != nil {
		return Totals{}, err
	}
	all := r.End.Sub(r.Start)
	f := c.stops(stops)
	// Breaks and planned stops are each at most all time: subtracted one
	// at a time, they cannot overflow.
	planned := all - r.PlannedBreaks - f.planned
	if planned <= 0 {
		return Totals{}, inputf("no planned production time: planned downtime %v fills the %v period", SpanOf(r.PlannedBreaks).Add(SpanOf(f.planned)), all)
	}
	run := planned - f.losses[EquipmentFailure] - f.losses[SetupAdjustments]
	if run < 0 {
		return Totals{}, inputf("downtime %v is longer than the planned production time %v", planned-run, planned)
	}
	// count × ict ≤ run time ⇔ count ≤ ⌊run time / ict⌋: checked before
	// multiplying, so the product cannot overflow.
	if r.TotalCount > int64(run/ict) {
		return Totals{}, fmt.Errorf("%w: %d units × %v = %.4g h in %v of run time", ErrPerformanceAbove100, r.TotalCount, ict, float64(r.TotalCount)*ict.Hours(), run)
	}
	good := r.TotalCount - r.StartupRejects - r.ProductionRejects
	net := ict * time.Duration(r.TotalCount)
	perf := run - net
	f.losses[IdlingMinorStops] = min(f.minor, perf)
	f.losses[ReducedSpeed] = perf - f.losses[IdlingMinorStops]
	f.losses[ProcessDefects] = ict * time.Duration(r.ProductionRejects)
	f.losses[ReducedYield] = ict * time.Duration(r.StartupRejects)
	t := Totals{
		AllTime: SpanOf(all), PlannedTime: SpanOf(planned), RunTime: SpanOf(run),
		NetRunTime: SpanOf(net), FullyProductiveTime: SpanOf(ict * time.Duration(good)),
		TotalCount: r.TotalCount, GoodCount: good, StartupRejects: r.StartupRejects, ProductionRejects: r.ProductionRejects,
		PlannedDowntime: SpanOf(r.PlannedBreaks).Add(SpanOf(f.planned)),
		Failures:        f.failures, FailureTime: SpanOf(f.failureTime), UnplannedStops: f.unplannedStops,
	}
	for l, d := range f.losses {
		t.Losses[l] = SpanOf(d)
	}
	return t, nil
}

// checkRecord refuses a record that cannot be measured and returns its ideal
// cycle time.
func checkRecord(r Record) (time.Duration, error) {
	all := r.End.Sub(r.Start)
	switch {
	case all <= 0:
		return 0, inputf("period end is not after its start")
	case r.PlannedBreaks < 0 || r.PlannedBreaks > all:
		return 0, inputf("planned breaks %v outside 0..%v", r.PlannedBreaks, all)
	case r.TotalCount < 0 || r.StartupRejects < 0 || r.ProductionRejects < 0:
		return 0, inputf("negative count (total %d, rejects %d and %d)", r.TotalCount, r.StartupRejects, r.ProductionRejects)
	case r.ProductionRejects > r.TotalCount || r.StartupRejects > r.TotalCount-r.ProductionRejects:
		// Compared without adding the rejects, which could overflow.
		return 0, inputf("%d + %d rejects out of %d units: good count would be negative", r.StartupRejects, r.ProductionRejects, r.TotalCount)
	}
	ict := r.IdealCycleTime
	if ict == 0 {
		if !(r.IdealRate > 0) || math.IsInf(r.IdealRate, 0) {
			return 0, inputf("no ideal cycle time and ideal rate %v", r.IdealRate)
		}
		ns := float64(time.Hour) / r.IdealRate
		if !(ns >= 1 && ns < math.MaxInt64) {
			return 0, inputf("ideal rate %v per hour: the cycle time %v ns is outside 1 ns..292 years", r.IdealRate, ns)
		}
		ict = time.Duration(ns)
	}
	if ict <= 0 {
		return 0, inputf("ideal cycle time %v", ict)
	}
	return ict, nil
}

// stops files a record's stops: planned downtime, minor stops (to be
// charged to performance), or the loss their reason's taxonomy names;
// unknown reasons count as equipment failures.
func (c *Calculator) stops(stops []stop) (f filed) {
	for _, s := range stops {
		reason := c.reasons[s.reason]
		switch {
		case s.planned:
			f.planned += s.within
		case time.Duration(s.end-s.start) < c.opts.MinorStopThreshold:
			f.minor += s.within
		default:
			loss, ok := c.opts.Taxonomy[reason]
			if !ok || loss == IdlingMinorStops {
				if !ok {
					loss = EquipmentFailure
				} else {
					// A long stop filed under a minor-stop reason is still
					// a stop: it takes run time, as a setup does.
					loss = SetupAdjustments
				}
			}
			f.losses[loss] += s.within
			if s.first {
				f.unplannedStops++
			}
			if loss == EquipmentFailure {
				if s.first {
					f.failures++
				}
				f.failureTime += s.within
			}
		}
	}
	return f
}

// tally counts the stops of an accepted record: their unplanned time in
// downtime by reason, their reasons the taxonomy does not know in unknown
// (once per stop, however many records it spans), and returns their time.
// A rejected record's stops stay out of both, and their time unattributed.
func (c *Calculator) tally(stops []stop, unknown map[string]int, downtime map[string]Span) (attributed Span) {
	for _, s := range stops {
		attributed = attributed.Add(SpanOf(s.within))
		if s.planned {
			continue
		}
		reason := c.reasons[s.reason]
		downtime[reason] = downtime[reason].Add(SpanOf(s.within))
		if _, known := c.opts.Taxonomy[reason]; !known && s.first && time.Duration(s.end-s.start) >= c.opts.MinorStopThreshold {
			unknown[reason]++
		}
	}
	return attributed
}

// ParetoItem is one reason's unplanned downtime with its cumulative share.
type ParetoItem struct {
	Reason     string
	Downtime   time.Duration
	Cumulative float64 // share of all unplanned downtime up to this item, 0..1
}

// rankReasons sorts reasons by downtime, largest first, ties by name; the last
// cumulative share is exactly 1.
func rankReasons(byReason map[string]time.Duration) []ParetoItem {
	ranked := make([]pareto.Item[time.Duration], 0, len(byReason))
	for r, d := range byReason {
		ranked = append(ranked, pareto.Item[time.Duration]{Label: r, Value: d})
	}
	pareto.Rank(ranked)
	items := make([]ParetoItem, len(ranked))
	for i, it := range ranked {
		items[i] = ParetoItem{Reason: it.Label, Downtime: it.Value, Cumulative: it.Cumulative}
	}
	return items
}
