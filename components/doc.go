// Package components holds the values that render into dashboard panels:
// metric cards and charts for now, with tables, inputs, alerts and layout to
// come.
//
// # Concepts
//
// A [Component] renders, given an element id, to a [Rendered]: the HTML for
// the page's first paint, and what a live update carries. Cards and other
// HTML components update by replacing their fragment ([KindHTML]); charts
// update by handing a new option to their ECharts instance ([KindChart]).
//
// # Safety
//
// HTML goes through html/template, so every string a component holds — a
// title, a label, a series name — is escaped for its context. Chart options
// are built with go-echarts behind typed constructors, encoded as JSON with
// <, > and & escaped, and travel in a data attribute: the API has no way to
// pass JavaScript, so pages can run under a strict Content-Security-Policy.
//
// # Errors
//
// Bad input — a NaN headline value, a matrix that does not match its labels —
// is an error wrapping [ErrInvalid] that names the component and the place;
// nothing is silently drawn as zero.
//
//	card := components.MetricCard{
//		Title:  "1-day VaR (99%)",
//		Value:  2.4e6,
//		Format: components.NumberFormat{Style: components.StyleCurrency, Compact: true, Decimals: 1},
//		Trend:  &components.Trend{Change: 0.052, Period: "vs yesterday", UpIsBad: true},
//	}
//	r, err := card.Render("var")
package components
