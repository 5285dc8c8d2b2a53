// Package plot turns what package connectors computes into components in
// one call: resampled buckets into [components.Line] and [components.Bar]
// charts on a regular time axis with NaN gaps, and aggregates into
// [components.MetricCard]s.
//
// connectors and components each stand alone (neither imports the other);
// plot is the bridge between them, for a dashboard's data function:
//
//	r := connectors.NewMultiResampler[string](time.Hour, loc, "revenue", "orders")
//	for _, o := range orders {
//		r.Add(o.Region, o.At, o.Revenue, 1)
//	}
//	line, err := plot.LineKeys("Revenue per hour", r, r.Keys(connectors.Ascending), nil, "revenue", connectors.Sum)
//	bars, err := plot.BarKeys("Revenue by region", r, r.Keys(connectors.Ascending), nil, "revenue", connectors.Sum)
//
// # Gaps
//
// Every interval from the first one with a value to the last is on the
// axis. An interval without values is NaN for every measure but
// [connectors.Count] (0), which a line draws as a gap and a bar chart as a
// missing bar: an hour without orders is never drawn as a zero it was not,
// nor joined across.
package plot
