package oee_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dashkit/dashkit/oee"
)

// oee.com's worked example: one 8-hour shift.
func Example() {
	start := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	c, err := oee.NewCalculator(oee.Options{})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	_ = c.AddRecords(ctx, []oee.Record{{
		Facility: "Lyon", Line: "L1", Machine: "Press 4",
		Start: start, End: start.Add(8 * time.Hour),
		PlannedBreaks:  time.Hour,
		IdealCycleTime: time.Second,
		TotalCount:     19_271, ProductionRejects: 423,
	}})
	_ = c.AddEvents(ctx, []oee.Event{{
		Facility: "Lyon", Machine: "Press 4",
		Start: start.Add(2 * time.Hour), End: start.Add(2*time.Hour + 47*time.Minute),
		Reason: "breakdown",
	}})
	r, err := c.Report(ctx)
	if err != nil {
		panic(err)
	}
	t := r.Facilities["Lyon"]
	fmt.Printf("A %.2f%%  P %.2f%%  Q %.2f%%  OEE %.2f%%\n", 100*t.Availability(), 100*t.Performance(), 100*t.Quality(), 100*t.OEE())
	mtbf, _ := t.MTBF()
	fmt.Println("MTBF", mtbf, "— top loss:", r.Pareto[0].Reason)
	// Output:
	// A 88.81%  P 86.11%  Q 97.80%  OEE 74.79%
	// MTBF 6h13m0s — top loss: breakdown
}

// Totals built by hand are validated before their ratios are trusted; the
// calculator's totals always pass.
func ExampleTotals_Validate() {
	t := oee.Totals{AllTime: oee.SpanOf(8 * time.Hour), PlannedTime: oee.SpanOf(7 * time.Hour), RunTime: oee.SpanOf(9 * time.Hour)}
	err := t.Validate()
	fmt.Println(errors.Is(err, oee.ErrInput))
	// Output: true
}

// The headline plant, 300 machines over 370 days, is more time than a
// time.Duration holds (292 years); as a Span it is exact.
func ExampleSpan() {
	day := oee.SpanOf(24 * time.Hour)
	var all oee.Span
	for range 300 * 370 {
		all = all.Add(day)
	}
	_, fits := all.Duration()
	fmt.Println(all, fits)
	fmt.Printf("%.1f machine-years\n", all.Hours()/(24*365.25))
	// Output:
	// 2664000h0m0s false
	// 303.9 machine-years
}
