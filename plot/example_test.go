package plot_test

import (
	"fmt"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/connectors"
	"github.com/dashkit/dashkit/plot"
)

// Orders to a line of hourly revenue per region (with a gap where a region
// sold nothing), bars of revenue by region and a card, from one pass.
func Example() {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	r := connectors.NewMultiResampler[string](time.Hour, time.UTC, "revenue", "orders")
	r.Add("north", t0.Add(10*time.Minute), 120, 1)
	r.Add("north", t0.Add(2*time.Hour), 80, 1)
	r.Add("south", t0.Add(time.Hour), 200, 1)
	regions := r.Keys(connectors.Ascending)

	line, err := plot.LineKeys("Revenue per hour", r, regions, nil, "revenue", connectors.Sum)
	if err != nil {
		panic(err)
	}
	bars, _ := plot.BarKeys("Revenue by region", r, regions, nil, "revenue", connectors.Sum)
	card := plot.Card("Orders", r.Total("north", r.Field("orders")), connectors.Sum, components.NumberFormat{})

	for i, s := range line.Series {
		fmt.Println(s.Name, line.Times[0].Format("15:04"), s.Values, bars.Categories[i], bars.Series[0].Values[i])
	}
	fmt.Println(card.Title, card.Value)
	// Output:
	// north 09:00 [120 NaN 80] north 200
	// south 09:00 [NaN 200 NaN] south 200
	// Orders 2
}
