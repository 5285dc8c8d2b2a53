package main

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/connectors"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/plot"
)

// sales holds the orders the data functions read, and the time zone whose
// hours and days the charts show.
type sales struct {
	orders []Order
	loc    *time.Location
	now    func() time.Time
}

// inRegion reports whether o is in the view's region: every region when the
// filter is on its "All" choice (Value returns "").
func inRegion(o Order, p dashboard.Params) bool {
	r := p.Value("region")
	return r == "" || string(o.Region) == r
}

// revenueToday is a card: the revenue since midnight in the shop's time
// zone.
func (s *sales) revenueToday(_ context.Context, p dashboard.Params) (components.Component, error) {
	y, m, d := s.now().In(s.loc).Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, s.loc)
	var total connectors.Agg
	for _, o := range s.orders {
		if inRegion(o, p) && !o.At.Before(midnight) {
			total.Add(o.Revenue)
		}
	}
	return plot.Card("Revenue today", total.Stat(), connectors.Sum, components.NumberFormat{Style: components.StyleCurrency, Decimals: 2}), nil
}

// revenuePerHour is a line per region of the revenue in each hour of the
// last two days, in local hours; an hour without orders is a gap.
func (s *sales) revenuePerHour(_ context.Context, p dashboard.Params) (components.Component, error) {
	since := s.now().Add(-48 * time.Hour)
	r := connectors.NewMultiResampler[connectors.Category](time.Hour, s.loc, "revenue", "orders")
	for _, o := range s.orders {
		if inRegion(o, p) && o.At.After(since) {
			r.Add(o.Region, o.At, o.Revenue, 1)
		}
	}
	line, err := plot.LineKeys("", r, r.Keys(connectors.Ascending), regionLabel, "revenue", connectors.Sum)
	line.YFormat = components.NumberFormat{Style: components.StyleCurrency, Compact: true, Decimals: 1}
	line.Zoom = true
	return line, err
}

// revenueByRegion is a bar per region over the 14 days; a click on a bar
// filters the other panels by its region.
func (s *sales) revenueByRegion(_ context.Context, _ dashboard.Params) (components.Component, error) {
	r := connectors.NewMultiResampler[connectors.Category](24*time.Hour, s.loc, "revenue")
	for _, o := range s.orders {
		r.Add(o.Region, o.At, o.Revenue)
	}
	bars, err := plot.BarKeys("", r, r.Keys(connectors.Ascending), regionLabel, "revenue", connectors.Sum)
	bars.Format = components.NumberFormat{Style: components.StyleCurrency, Compact: true, Decimals: 1}
	return bars, err
}

// regionLabel is what a chart shows for a region: its label, which a
// cross-filter click maps back to the value.
func regionLabel(c connectors.Category) string {
	for _, r := range regions() {
		if r.Value == string(c) {
			return r.Label
		}
	}
	return string(c)
}

// topProducts is a table of the ten products with the most revenue.
func (s *sales) topProducts(_ context.Context, p dashboard.Params) (components.Component, error) {
	type total struct {
		product         string
		orders, revenue float64
	}
	byProduct := map[connectors.Category]*total{}
	for _, o := range s.orders {
		if !inRegion(o, p) {
			continue
		}
		t := byProduct[o.Product]
		if t == nil {
			t = &total{product: string(o.Product)}
			byProduct[o.Product] = t
		}
		t.orders++
		t.revenue += o.Revenue
	}
	var top []*total
	for _, t := range byProduct {
		top = append(top, t)
	}
	slices.SortFunc(top, func(a, b *total) int {
		return cmp.Or(cmp.Compare(b.revenue, a.revenue), cmp.Compare(a.product, b.product))
	})
	top = top[:min(10, len(top))]
	product := components.Column{Key: "product", Title: "Product"}
	orders := components.Column{Key: "orders", Title: "Orders"}
	revenue := components.Column{Key: "revenue", Title: "Revenue", Format: components.NumberFormat{Style: components.StyleCurrency, Decimals: 2}}
	for _, t := range top {
		product.Text = append(product.Text, t.product)
		orders.Numbers = append(orders.Numbers, t.orders)
		revenue.Numbers = append(revenue.Numbers, t.revenue)
	}
	return components.Table{Columns: []components.Column{product, orders, revenue}}, nil
}

// newDashboard lays the sales dashboard out: a region filter with an "All"
// choice, a card, the hourly line, the region bars that cross-filter, and
// the top products with a CSV export.
func newDashboard(s *sales, base dashboard.Options) (*dashboard.Dashboard, error) {
	var options []components.Option
	for _, r := range regions() {
		options = append(options, components.Option{Value: r.Value, Label: r.Label})
	}
	base.RefreshInterval = cmp.Or(base.RefreshInterval, 10*time.Second)
	base.Filters = []dashboard.Filter{{Name: "region", Label: "Region", All: "All regions", Options: options}}
	base.Rows = []dashboard.Row{
		{Panels: []dashboard.Panel{
			{ID: "today", Title: "Revenue today", Width: 3, Filters: []string{"region"}, Data: s.revenueToday},
			{ID: "per-hour", Title: "Revenue per hour", Width: 9, Filters: []string{"region"}, Data: s.revenuePerHour},
		}},
		{Panels: []dashboard.Panel{
			{ID: "by-region", Title: "Revenue by region", Width: 5, Data: s.revenueByRegion,
				CrossFilter: &dashboard.CrossFilter{Filter: "region"}},
			{ID: "top", Title: "Top products", Width: 7, Filters: []string{"region"}, Data: s.topProducts, Export: true},
		}},
	}
	return dashboard.New("Sales", base)
}
