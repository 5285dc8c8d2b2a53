// Package dashboard composes [components] into an [http.Handler]: a page of
// panels laid out in rows, the data behind each panel, and the assets the
// page needs.
//
// # Panels
//
// A [Panel] has an ID, a title, a width in a 12-column row and a [DataFunc]
// that computes its content as a [components.Component]. The page's first
// paint already holds every panel's data; afterwards the page refreshes each
// panel on its interval. A panel whose data function fails, panics or times
// out shows an error state; the others carry on. Users see a generic
// message and the cause goes to [Options.Logger].
//
// # Mounting
//
// Every URL the dashboard emits is relative, so it works under any prefix:
//
//	mux := http.NewServeMux()
//	mux.Handle("/ops/", http.StripPrefix("/ops", d))
//
// # Routes
//
//	GET /              the page
//	GET /panels/{id}   one panel's current content as JSON
//	GET /static/...    dashkit's own runtime and styles (embedded)
//	GET /assets/...    Options.Assets, where echarts.min.js lives
//	GET /healthz       liveness
//
// # Security
//
// The page is served with a Content-Security-Policy whose script-src is a
// per-request nonce: no inline script, no eval, no other script origin.
// Chart options travel as JSON in escaped attributes; the runtime never
// evaluates strings.
//
// A complete dashboard:
//
//	d, err := dashboard.New("Operations", dashboard.Options{
//		Assets: os.DirFS("web/node_modules/echarts/dist"),
//		Rows: []dashboard.Row{{Panels: []dashboard.Panel{{
//			ID:    "orders",
//			Title: "Orders today",
//			Data: func(ctx context.Context, _ dashboard.Params) (components.Component, error) {
//				n, err := countOrders(ctx)
//				return components.MetricCard{Title: "Orders", Value: n}, err
//			},
//		}}}},
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	log.Fatal(http.ListenAndServe(":8050", d))
package dashboard
