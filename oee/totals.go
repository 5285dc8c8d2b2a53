package oee

// Totals are the summed times and counts of one machine, line, facility or
// the globe. Every ratio is computed from sums, never by averaging
// percentages, so A × P × Q = OEE holds at every level:
//
//	Availability = RunTime / PlannedTime
//	Performance  = NetRunTime / RunTime            (NetRunTime = Σ ideal cycle time × total count)
//	Quality      = FullyProductiveTime / NetRunTime (FullyProductiveTime = Σ ideal cycle time × good count)
//	OEE          = FullyProductiveTime / PlannedTime
//	Utilization  = PlannedTime / AllTime
//	TEEP         = OEE × Utilization = FullyProductiveTime / AllTime
//
// Quality in time rather than in units lets machines with different cycle
// times roll up; for one machine it equals good count / total count.
//
// Every ratio is in [0, 1] (0 when its denominator is zero, never NaN) for
// totals that pass [Totals.Validate], as every Totals a [Calculator]
// reports does.
//
// Times are of type [Span], exact 128-bit nanoseconds: each record is
// computed in [time.Duration] values (a period is at most 292 years), and
// the sums of machines, lines, facilities and the globe are exact and
// cannot overflow, however many machine-years they hold. Counts are int64.
type Totals struct {
	AllTime             Span
	PlannedTime         Span
	RunTime             Span
	NetRunTime          Span
	FullyProductiveTime Span

	TotalCount, GoodCount             int64
	StartupRejects, ProductionRejects int64

	// Losses are the Six Big Losses in time; the waterfall from
	// PlannedTime to FullyProductiveTime subtracts them in order.
	Losses [numLosses]Span
	// PlannedDowntime is planned time out of production: breaks and
	// planned stops.
	PlannedDowntime Span
	// Failures counts equipment-failure stops; FailureTime sums them.
	Failures    int
	FailureTime Span
	// UnplannedStops counts stops at or above the minor-stop threshold.
	UnplannedStops int
}

// Add sums t and u. Times are exact and cannot overflow; counts are int64,
// and a count that would pass 2⁶³ − 1 wraps to a negative one, which
// [Totals.Validate] refuses (a [Calculator] checks before it adds, and
// reports an error instead).
func (t Totals) Add(u Totals) Totals {
	t.AllTime = t.AllTime.Add(u.AllTime)
	t.PlannedTime = t.PlannedTime.Add(u.PlannedTime)
	t.RunTime = t.RunTime.Add(u.RunTime)
	t.NetRunTime = t.NetRunTime.Add(u.NetRunTime)
	t.FullyProductiveTime = t.FullyProductiveTime.Add(u.FullyProductiveTime)
	t.TotalCount += u.TotalCount
	t.GoodCount += u.GoodCount
	t.StartupRejects += u.StartupRejects
	t.ProductionRejects += u.ProductionRejects
	for i := range t.Losses {
		t.Losses[i] = t.Losses[i].Add(u.Losses[i])
	}
	t.PlannedDowntime = t.PlannedDowntime.Add(u.PlannedDowntime)
	t.Failures += u.Failures
	t.FailureTime = t.FailureTime.Add(u.FailureTime)
	t.UnplannedStops += u.UnplannedStops
	return t
}

// Validate checks the invariants that keep every ratio of t in [0, 1]:
// no negative time or count, and
//
//	FullyProductiveTime ≤ NetRunTime ≤ RunTime ≤ PlannedTime ≤ AllTime
//	GoodCount + StartupRejects + ProductionRejects = TotalCount
//
// Every Totals a [Calculator] reports passes, and so does every sum of them
// by [Totals.Add] whose counts stay within int64 (one that wrapped is
// negative, and fails); totals built by hand should be validated before
// their ratios are trusted. A failure wraps [ErrInput].
func (t Totals) Validate() error {
	for _, d := range append([]Span{t.AllTime, t.PlannedTime, t.RunTime, t.NetRunTime, t.FullyProductiveTime, t.PlannedDowntime, t.FailureTime}, t.Losses[:]...) {
		if d.Sign() < 0 {
			return inputf("negative time %v in totals", d)
		}
	}
	if t.TotalCount < 0 || t.GoodCount < 0 || t.StartupRejects < 0 || t.ProductionRejects < 0 || t.Failures < 0 || t.UnplannedStops < 0 {
		return inputf("negative count in totals")
	}
	if t.FullyProductiveTime.Cmp(t.NetRunTime) > 0 || t.NetRunTime.Cmp(t.RunTime) > 0 || t.RunTime.Cmp(t.PlannedTime) > 0 || t.PlannedTime.Cmp(t.AllTime) > 0 {
		return inputf("times out of order: fully productive %v, net run %v, run %v, planned %v, all %v", t.FullyProductiveTime, t.NetRunTime, t.RunTime, t.PlannedTime, t.AllTime)
	}
	if t.GoodCount > t.TotalCount || t.StartupRejects > t.TotalCount-t.GoodCount || t.ProductionRejects != t.TotalCount-t.GoodCount-t.StartupRejects {
		return inputf("%d good and %d + %d rejects do not make %d units", t.GoodCount, t.StartupRejects, t.ProductionRejects, t.TotalCount)
	}
	return nil
}

// Availability is RunTime / PlannedTime; 0 without planned time.
func (t Totals) Availability() float64 { return fraction(t.RunTime, t.PlannedTime) }

// Performance is NetRunTime / RunTime; 0 without run time.
func (t Totals) Performance() float64 { return fraction(t.NetRunTime, t.RunTime) }

// Quality is FullyProductiveTime / NetRunTime; 0 without production.
func (t Totals) Quality() float64 { return fraction(t.FullyProductiveTime, t.NetRunTime) }

// OEE is FullyProductiveTime / PlannedTime, in [0, 1].
func (t Totals) OEE() float64 { return fraction(t.FullyProductiveTime, t.PlannedTime) }

// Utilization is PlannedTime / AllTime.
func (t Totals) Utilization() float64 { return fraction(t.PlannedTime, t.AllTime) }

// TEEP is FullyProductiveTime / AllTime = OEE × Utilization.
func (t Totals) TEEP() float64 { return fraction(t.FullyProductiveTime, t.AllTime) }

// Throughput is good units per hour of run time; 0 without run time.
func (t Totals) Throughput() float64 {
	if t.RunTime.Sign() <= 0 {
		return 0
	}
	return float64(t.GoodCount) / t.RunTime.Hours()
}

// FirstPassYield is the share of units good the first time, (total −
// rejects) / total; 0 without production.
func (t Totals) FirstPassYield() float64 {
	if t.TotalCount == 0 {
		return 0
	}
	return float64(t.GoodCount) / float64(t.TotalCount)
}

// ScrapRate is rejects / total; 0 without production.
func (t Totals) ScrapRate() float64 {
	if t.TotalCount == 0 {
		return 0
	}
	return float64(t.StartupRejects+t.ProductionRejects) / float64(t.TotalCount)
}

// MTBF is the mean operating (run) time between equipment failures,
// RunTime / Failures truncated to the nanosecond; ok is false without
// failures (or with a negative count), when it is undefined.
func (t Totals) MTBF() (mtbf Span, ok bool) {
	if t.Failures <= 0 {
		return Span{}, false
	}
	return t.RunTime.div(uint64(t.Failures)), true
}

// MTTR is the mean duration of an equipment failure, FailureTime /
// Failures truncated to the nanosecond; ok is false without failures.
func (t Totals) MTTR() (mttr Span, ok bool) {
	if t.Failures <= 0 {
		return Span{}, false
	}
	return t.FailureTime.div(uint64(t.Failures)), true
}

// Step is one stage of the loss waterfall: a time, or a loss as a negative
// time.
type Step struct {
	Name string
	Time Span
}

// Waterfall returns the times from all time down to fully productive time:
// all time, planned production time, then each of the Six Big Losses
// subtracted in order (as negative times), ending at fully productive time.
func (t Totals) Waterfall() []Step {
	out := []Step{{"All time", t.AllTime}, {"Not scheduled", t.PlannedTime.Sub(t.AllTime)}, {"Planned production time", t.PlannedTime}}
	for l := range numLosses {
		out = append(out, Step{Loss(l).String(), t.Losses[l].Neg()})
	}
	return append(out, Step{"Fully productive time", t.FullyProductiveTime})
}

// RolledThroughputYield is the product of the first pass yields of
// sequential steps, such as a line's machines in process order.
func RolledThroughputYield(steps ...Totals) float64 {
	if len(steps) == 0 {
		return 0
	}
	y := 1.0
	for _, s := range steps {
		y *= s.FirstPassYield()
	}
	return y
}

// WorldClass returns the usual world-class targets: 90% availability × 95%
// performance × 99.9% quality ≈ 85% OEE.
func WorldClass() Targets { return Targets{Availability: 0.90, Performance: 0.95, Quality: 0.999} }

// Targets are goals for the OEE factors.
type Targets struct {
	Availability, Performance, Quality float64
}

// OEE is the product of the targets.
func (t Targets) OEE() float64 { return t.Availability * t.Performance * t.Quality }

// Gap compares totals with targets: each factor's actual minus target
// (negative when short of it).
type Gap struct {
	Availability, Performance, Quality, OEE float64
}

// Compare returns the gap between t and the targets.
func (t Totals) Compare(targets Targets) Gap {
	return Gap{
		Availability: t.Availability() - targets.Availability,
		Performance:  t.Performance() - targets.Performance,
		Quality:      t.Quality() - targets.Quality,
		OEE:          t.OEE() - targets.OEE(),
	}
}
