// Package oee computes Overall Equipment Effectiveness and the measures
// around it from what plants record: production records per machine and
// period, and downtime events.
//
// # Formulas
//
// Per record (oee.com's method, Nakajima's Six Big Losses):
//
//	All time             = period end − start
//	Planned time (PPT)   = all time − planned breaks − planned stops
//	Run time             = PPT − unplanned stops (failures, setups) ≥ the minor-stop threshold
//	Net run time         = ideal cycle time × total count
//	Fully productive     = ideal cycle time × good count      (good = total − rejects)
//
//	Availability = run time / PPT
//	Performance  = net run time / run time
//	Quality      = fully productive / net run time  (= good / total for one machine)
//	OEE          = A × P × Q = good × ideal cycle time / PPT
//	Utilization  = PPT / all time,  TEEP = OEE × utilization
//
// Stops shorter than the threshold (default 5 minutes) are idling and minor
// stops: a performance loss inside run time. The Six Big Losses in time are
// equipment failure and setup (availability), idling and minor stops and
// reduced speed (performance), process defects and reduced yield (quality:
// production and start-up rejects × ideal cycle time); [Totals.Waterfall]
// walks from all time down to fully productive time. MTBF is run time per
// equipment failure and MTTR failure time per failure; with no failure both
// are undefined (ok = false), never a division by zero. A failure is one
// downtime event, however many records (shifts) it spans: a 2-hour
// breakdown across a shift change is one failure with a 2-hour repair, its
// time split between the two shifts.
//
// # Roll-ups
//
// Machines roll up to lines, facilities and the globe by summing times and
// counts ([Totals.Add]); ratios are always computed from sums, never by
// averaging percentages, so A × P × Q = OEE at every level.
//
// Each record is computed in [time.Duration] values, exact to the nanosecond.
// The times of [Totals] are of type [Span], 128-bit nanoseconds: a plant of 300
// machines over a year holds about 304 machine-years, more than the 292
// years a Duration can, and a Span holds it exactly. Sums of Spans cannot
// overflow and do not depend on the order of addition, so every line,
// facility and the globe equals the sum of its parts to the nanosecond.
// Read a Span with [Span.Hours] (or Minutes, Seconds), or
// [Span.Duration] when it fits:
//
//	g := report.Global
//	fmt.Printf("OEE %.1f%% over %.0f machine-hours\n", 100*g.OEE(), g.AllTime.Hours())
//
// # Bad input
//
// A record with a non-positive period, negative counts, more rejects than
// units, no ideal cycle time, no planned production time, downtime longer
// than its planned time, or performance above 100% (a wrong ideal cycle
// time: flagged with [ErrPerformanceAbove100], never capped) is left out,
// listed in [Report.Rejected] with its cause, and counts nowhere else (its
// stops' time is unattributed). Overlapping events on one machine are an
// error; out-of-order events are sorted; an event spanning several records
// is split between them; event time no accepted record covers is reported
// as [Report.Unattributed]. Times are checked before they are multiplied
// (count × ideal cycle time against the run time), so a huge count or cycle
// time is a rejected record, never an overflowed duration; periods and
// events outside 1678–2262 or longer than 292 years are errors. Summed
// times cannot overflow (they are Spans); counts are int64, so a record
// that would take its machine past 2⁶³ − 1 units is rejected, and a line,
// facility or globe past it is an error from [Calculator.Report], as is a
// Pareto of more than 292 years of unplanned downtime (its items are
// Durations). No ratio is ever NaN or Inf, and every ratio — OEE,
// availability, performance, quality, utilization, TEEP, yields — stays in
// [0, 1] ([Totals.Validate] states the invariants). Every error about input
// wraps [ErrInput], [ErrPerformanceAbove100] included.
//
// # Alerts
//
// An [Alerter] applies [Rule]s (OEE below X, unplanned downtime above Y
// minutes, quality below Z) with hysteresis: an alert raised at the
// threshold clears only past a separate clear level, so a value hovering at
// the line does not flood.
package oee
