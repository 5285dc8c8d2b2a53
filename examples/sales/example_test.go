package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard/dashboardtest"
)

// A data function tested with no server: the revenue of one region today,
// in the shop's time zone.
func Example_revenueToday() {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, paris)
	s := &sales{loc: paris, now: func() time.Time { return now }, orders: []Order{
		{At: now.Add(-10 * time.Hour), Region: "north", Revenue: 100}, // yesterday, 23:00 in Paris
		{At: now.Add(-1 * time.Hour), Region: "north", Revenue: 20.5},
		{At: now.Add(-1 * time.Hour), Region: "south", Revenue: 7},
	}}
	res, err := dashboardtest.Call(context.Background(), s.revenueToday, "region=north")
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Component.(components.MetricCard).Value)
	// Output: 20.5
}
