// Package dashboardtest tests a dashboard's data functions and its live
// updates without a browser and without an HTTP server.
//
// # A data function
//
// [Call] runs a [dashboard.DataFunc] with the [dashboard.Params] a URL query
// makes ([dashboard.NewParams]) and returns both the component it built and
// the [dashboard.Update] the page would receive for it:
//
//	res, err := dashboardtest.Call(ctx, revenue, "region=north")
//	card := res.Component.(components.MetricCard) // assert on typed values
//	res.Update.Kind                               // "html", "chart" or "error"
//
// # A panel of a dashboard
//
// [Render] computes one panel of a built [dashboard.Dashboard] for a query,
// which is checked against the dashboard's filters as a request's would be
// (a value that is not an option is an error wrapping
// [dashboard.ErrBadFilter]); the panel sees only the filters it declared.
//
// # The event stream
//
// [Events] opens a dashboard's event stream (GET /events) in memory and
// returns the updates it delivers within a window of time. Inside
// [testing/synctest.Test] time is fake, so driving the stream for N refresh
// intervals takes no real time: build the dashboard inside the bubble, ask
// for a window of N intervals, and close the dashboard before the bubble
// ends.
//
//	synctest.Test(t, func(t *testing.T) {
//		d, _ := dashboard.New("Sales", opts) // RefreshInterval: 10 * time.Second
//		defer d.Close(context.Background())
//		events, err := dashboardtest.Events(t.Context(), d, "region=north", 5*10*time.Second)
//		…
//	})
//
// The stream sends a panel's update when its content changes (its hash), not
// every interval: N intervals of an unchanged panel deliver one update.
package dashboardtest
