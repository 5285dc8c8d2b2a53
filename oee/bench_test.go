package oee

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// plant generates a year of three 8-hour shifts for facilities × machines,
// with about 18 stops a machine a day (2.0 million events in all for 15 ×
// 20), from a seed.
func plant(facilities, machines int, days int, seed uint64) ([]Record, []Event) {
	rng := rand.New(rand.NewPCG(seed, 3))
	reasons := []string{"breakdown", "setup", "changeover", "jam", "material", "electrical", "blocked", "starved", "adjustment", "maintenance"}
	start := time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
	var recs []Record
	var evs []Event
	for f := range facilities {
		fac := fmt.Sprintf("F%02d", f)
		for m := range machines {
			mach := fmt.Sprintf("M%02d", m)
			line := fmt.Sprintf("L%d", m/5)
			for s := range days * 3 {
				t0 := start.Add(time.Duration(s) * 8 * time.Hour)
				recs = append(recs, Record{Facility: fac, Line: line, Machine: mach, Start: t0, End: t0.Add(8 * time.Hour),
					PlannedBreaks: 30 * time.Minute, IdealCycleTime: 10 * time.Second,
					TotalCount: 1800 + rng.Int64N(400), StartupRejects: rng.Int64N(10), ProductionRejects: rng.Int64N(40)})
				// Six stops a shift, each inside its own 80-minute slot.
				for k := range 6 {
					slot := t0.Add(time.Duration(k) * 80 * time.Minute)
					d := time.Duration(1+rng.IntN(12)) * time.Minute
					reason := reasons[rng.IntN(len(reasons))]
					evs = append(evs, Event{Facility: fac, Machine: mach, Start: slot.Add(time.Minute), End: slot.Add(time.Minute + d),
						Reason: reason, Planned: reason == "maintenance"})
				}
			}
		}
	}
	return recs, evs
}

// reportCPU reports the process's CPU time per iteration since start (both
// cores, GC included), a steadier figure than wall time on a shared machine.
func reportCPU(b *testing.B, start time.Duration) {
	if d := cpuTime() - start; d > 0 && b.N > 0 {
		b.ReportMetric(float64(d.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkYear is KPIs, losses, Pareto and roll-ups for 15 facilities × 20
// machines × one year of downtime events: 304 machine-years, more than a
// time.Duration holds.
func BenchmarkYear(b *testing.B) {
	recs, evs := plant(15, 20, 370, 1)
	b.ReportMetric(float64(len(evs)), "events")
	b.ReportAllocs()
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		c, err := NewCalculator(Options{})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		for i := 0; i < len(recs); i += 10_000 {
			if err := c.AddRecords(ctx, recs[i:min(i+10_000, len(recs))]); err != nil {
				b.Fatal(err)
			}
		}
		for i := 0; i < len(evs); i += 10_000 {
			if err := c.AddEvents(ctx, evs[i:min(i+10_000, len(evs))]); err != nil {
				b.Fatal(err)
			}
		}
		r, err := c.Report(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Rejected) != 0 || len(r.Facilities) != 15 {
			b.Fatalf("%d rejected, %d facilities", len(r.Rejected), len(r.Facilities))
		}
	}
}

// TestGeneratedPlantProperties: every machine, line, facility and the globe
// has OEE in [0, 1], no NaN, and A × P × Q = OEE.
func TestGeneratedPlantProperties(t *testing.T) {
	recs, evs := plant(3, 4, 10, 7)
	c, err := NewCalculator(Options{})
	if err != nil {
		t.Fatal(err)
	}
	_ = c.AddRecords(context.Background(), recs)
	_ = c.AddEvents(context.Background(), evs)
	r, err := c.Report(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rejected) > 0 {
		t.Fatal(r.Rejected[0])
	}
	check := func(name string, tot Totals) {
		for _, v := range []float64{tot.Availability(), tot.Performance(), tot.Quality(), tot.OEE(), tot.TEEP()} {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("%s: a ratio %v outside [0, 1]", name, v)
			}
		}
		if d := tot.Availability()*tot.Performance()*tot.Quality() - tot.OEE(); d > 1e-12 || d < -1e-12 {
			t.Fatalf("%s: A × P × Q − OEE = %v", name, d)
		}
	}
	for _, m := range r.Machines {
		check(m.Machine, m.Totals)
	}
	for f, lines := range r.Lines {
		for l, tot := range lines {
			check(f+"/"+l, tot)
		}
		check(f, r.Facilities[f])
	}
	check("global", r.Global)
}
