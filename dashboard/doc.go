// Package dashboard composes [components] into an [http.Handler]: a page of
// panels laid out in rows, live updates computed once per view and pushed to
// every viewer, filters, cross-filtering, CSV export, health checks and
// metrics.
//
// # Panels and views
//
// A [Panel] has an ID, a title, a width in a 12-column row, a refresh
// interval, the [Filter]s it depends on, an optional permission, and a
// [DataFunc] that computes its content as a [components.Component] from
// validated [Params]. A view is a panel plus the values of the filters it
// depends on. Each view is computed at most once per refresh interval,
// however many people watch it: the page's first paint, every viewer's event
// stream and the polling fallback share one computation through a cache
// keyed by view and interval (in memory, or in Redis so that replicas share
// it too).
//
// A panel whose data function fails, panics or times out shows an error
// state; the others carry on. Users see a generic message; the cause goes to
// [Options.Logger].
//
// # Live updates
//
// The page opens one Server-Sent Events stream (GET events). A hub keeps one
// topic per view with subscribers; each computes its view at the start of
// every interval and pushes the update, encoded once, to every subscriber.
// Streams carry heartbeats and event IDs (a reconnecting browser resumes from
// Last-Event-ID, on this replica or another: see Running several replicas),
// and each has a bounded buffer: a viewer that falls behind
// is dropped and reconnects, and never slows the others. The runtime
// reconnects with backoff and falls back to polling GET panels/{id}.
// [Dashboard.Close] ends every stream, so a host's graceful shutdown
// completes.
//
// # Running several replicas
//
// Replicas behind a load balancer share one [Options.CacheStore] (Redis,
// package cache/redisstore) and one [Options.Broker] (redisstore.Broker),
// and the same secret for their sessions:
//
//   - Each view is computed once per interval between them: a store that is
//     a [cache.Leaser] gives one replica a short lease on the view and
//     interval; the others wait for the value it stores, and compute it
//     themselves only when it fails or takes too long.
//   - The replica that computed a view publishes the encoded update on the
//     view's channel; every replica with viewers of the view forwards it
//     (a replica subscribes to a channel only while it has viewers of it).
//     Forwarding only makes delivery sooner: every replica with viewers of
//     a view also reads it through the store at every interval, so an
//     update published before its subscription took effect is not lost.
//     An update is known by its view and interval, so a viewer gets it
//     once however it arrives: computed, read from the cache or forwarded.
//   - An event's ID is the stream's position: for each of its panels, in
//     page order, the interval of the last update sent ("5987675746.5987675745").
//     It depends only on the updates, so a browser that reconnects to
//     another replica resumes with no gap and no duplicate. Each view keeps
//     its last 8 updates; a position older than that, or from another
//     layout, gets the current state — never an error.
//
// When Redis is down or slow, each replica computes for its own viewers
// (keeping results in process for the interval, through cache.Chain), so
// viewers see no difference, and sharing resumes by itself when Redis
// answers: the metric dashkit_cache_shared says which mode a replica is in.
// This holds from the start: a dashboard needs no answer from Redis to
// start. Give /readyz the Redis check as a [ReadyCheck] with Degraded set:
// it is reported (200, "degraded": ["redis"]) without failing readiness,
// since a replica without Redis serves correct dashboards, and taking every
// replica out of rotation would turn a cache outage into a full one. (The
// host's authentication decides whether signed-in requests are served
// meanwhile: package redisdenylist fails closed unless LocalFallback is
// on, as it is in the examples; see the README.)
//
// A load balancer in front must not buffer or compress event streams, and
// must keep idle connections open longer than [Options.Heartbeat]; it needs
// no stickiness. The README has the HAProxy configuration the cluster test
// runs three replicas behind.
//
// # Filters and cross-filtering
//
// Filters are dropdowns with allow-listed values (one, or a set of up to
// [Options.MaxFilterValues]), date ranges, or number ranges within declared
// bounds. Their state lives in the page's URL query, so a view can be shared
// by its link. An unknown parameter, value, too many values, or a malformed
// or out-of-bounds date or number answers 400 with a message that says
// which and why, and never reaches a data function. Each view has one
// canonical form (values in option order without duplicates, numbers in
// their shortest form, open ends as bounds), so identical selections share
// one cached computation. [Params] gives data functions typed access:
// [Params.Value], [Params.Values], [Params.Range], [Params.NumberRange].
// Changing a filter recomputes only the panels that depend on it.
//
// A [CrossFilter] lets a chart's own gestures set a filter the other panels
// use: a click chooses a bar, point or heatmap row or column; on a set
// filter a drag draws a box that selects every category it spans and
// shift- or ctrl-click adds or removes one; on a range filter a drag along
// the X axis selects a range. The gestures are ECharts' own brush and
// events, taken as the chart's cursor, so no toolbar click comes first. A
// selection bar above the panels lists what is selected as chips;
// Escape, a click on a chart's empty space, a chip's × or "Clear all"
// clears. The selecting chart highlights its selection (the rest dimmed)
// across live updates and never filters itself; selections of several
// charts combine (AND). A table column's Links drill down to other views
// with relative URLs (components.Column.Links).
//
// # Who may do what
//
// Opening a view is reading: a link someone shared (?site=porto) shows that
// view to anyone who may read the dashboard, with the controls they may use.
// [Options.FilterPermission] decides who is offered controls — the filter bar
// and the chart gestures that cross-filter; without it charts show no
// pointer and ignore clicks. [Options.ViewPermission], when a host sets it,
// restricts opening views other than the default one (403, with a page that
// links to the default view). The server decides every case; the page only
// offers what the server would allow.
//
// # When things fail
//
// Failures stay where they happen. A panel that fails shows its own error
// state and the others carry on; a view the server refuses (400, 403) puts
// the previous view back, with a notice the user can dismiss. A browser that
// navigates to a bad address under the dashboard (an unknown path, an
// unknown filter value) gets a small page in the dashboard's theme with the
// status, a plain sentence and a link back; API and stream requests get
// {"error": "..."} JSON. Messages never carry Go error text, and a bad value
// is echoed at most 40 bytes long.
//
// # Sessions
//
// The dashboard leaves authentication to the host's middleware and asks it
// three things through small interfaces that the auth package's *Auth
// implements: [Authorizer] (permissions), [Identifier] (the header's "Signed
// in as …", with a Sign out button posting to [Options.LogoutURL]) and
// [SessionChecker]. With a SessionChecker an event stream lives no longer
// than the session it was opened in: it ends at the session's expiry and at
// the first heartbeat after a logout, with an event that makes the page
// reload — which the host's middleware answers with its login page, whose
// return path is the exact view. Any 401 the page meets (a panel, the
// stream's probe GET session) does the same.
//
// # Themes
//
// The page follows the browser's prefers-color-scheme unless
// [Options.Theme] pins light or dark; a toggle in the header switches theme,
// charts included, and the browser remembers the choice (local storage).
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
//	GET /                 the page (first paint with data)
//	GET /events           live updates (Server-Sent Events)
//	GET /panels/{id}      one panel's current update, as JSON (polling)
//	GET /export/{id}.csv  a panel's rows as CSV, formulas neutralised
//	GET /static/...       dashkit's runtime and styles (embedded)
//	GET /assets/...       Options.Assets, where echarts.min.js lives
//	GET /session          204 while the session and the view hold (the runtime's probe)
//	GET /healthz          liveness
//	GET /readyz           readiness: Options.ReadyChecks (a Degraded check reports, never fails it)
//
// Any other path answers 404 with the dashboard's error page. /healthz and
// /readyz answer behind whatever middleware the host mounts the dashboard
// in; a load balancer's probe needs them without a session, so mount them
// outside it (as the examples do) or on an internal listener:
//
//	mux.Handle("GET /healthz", d)
//	mux.Handle("GET /readyz", d)
//	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
//	mux.Handle("/", a.Require(d))
//
// # Metrics
//
// With [Options.Registerer], the dashboard registers dashkit_panel_compute_seconds,
// dashkit_panel_errors_total, dashkit_sse_* (subscribers, pushes, dropped
// clients) and dashkit_broker_* (updates forwarded from other replicas,
// failed publishes), labelled namespace="<CacheNamespace>" like the cache's
// dashkit_cache_* series, so several dashboards share one registry. The host
// serves the registry (promhttp.HandlerFor).
//
// # Security
//
// The page is served with a Content-Security-Policy whose script-src is a
// per-request nonce: no inline script, no eval, no other script origin.
// Chart options travel as JSON; the runtime never evaluates strings. Every
// response carries X-Content-Type-Options, Referrer-Policy and, with
// [Options.HSTS], Strict-Transport-Security. Request bodies are bounded, and
// [Options.RateLimit] answers 429 past a per-client rate; behind
// [Options.TrustedProxies] the client is the address the nearest untrusted
// hop was seen from, never one X-Forwarded-For merely claims. An
// [Authorizer] decides permissions: a panel, the filters or the export a
// user may not use are absent from the page, and their endpoints answer 403.
//
// # Shutting down
//
// [Dashboard.Close] ends every event stream, waits for the requests in
// flight and stops the dashboard's goroutines. Event streams never end by
// themselves, so a host that calls [http.Server.Shutdown] first waits for
// its whole deadline: close the dashboards first, then shut the server
// down, which finishes the requests in flight. A Close whose context ended
// returns its error and can be called again — after Shutdown, it completes
// (see the package's GracefulShutdown example). A host whose framework
// owns Shutdown can register the dashboard instead,
//
//	srv.RegisterOnShutdown(func() { _ = d.Close(ctx) })
//
// and call Close once more after Shutdown returns, to wait for it: Close
// calls wait for each other, and return nil once one has completed.
//
// A complete dashboard, its metrics beside it on the same server (a host that
// must not expose them serves the registry on an internal listener), and
// the shutdown in the order that does not hang:
//
//	func main() {
//		if err := run(); err != nil {
//			log.Fatal(err) // after run's deferred calls, not instead of them
//		}
//	}
//
//	func run() error {
//		reg := prometheus.NewRegistry()
//		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
//		d, err := dashboard.New("Operations", dashboard.Options{
//			Registerer: reg, // nil Assets: the embedded ECharts, no npm, no CDN
//			Filters:    []dashboard.Filter{{Name: "site", Label: "Site", All: "All sites", Options: []components.Option{{Value: "lyon", Label: "Lyon"}, {Value: "porto", Label: "Porto"}}}},
//			Rows: []dashboard.Row{{Panels: []dashboard.Panel{{
//				ID:      "orders",
//				Title:   "Orders today",
//				Refresh: 5 * time.Second,
//				Filters: []string{"site"},
//				Data: func(ctx context.Context, p dashboard.Params) (components.Component, error) {
//					n, err := countOrders(ctx, p.Value("site")) // "": all sites
//					return components.MetricCard{Title: "Orders today", Value: n}, err
//				},
//			}}}},
//		})
//		if err != nil {
//			return err
//		}
//		mux := http.NewServeMux()
//		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
//		mux.Handle("/ops/", http.StripPrefix("/ops", d))
//		srv := &http.Server{Addr: "127.0.0.1:8050", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
//		// Shutdown waits for the requests in flight, and an event stream
//		// lasts until the dashboard closes: Shutdown closes it first.
//		srv.RegisterOnShutdown(func() { _ = d.Close(context.Background()) })
//		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
//		defer stop()
//		served := make(chan error, 1)
//		go func() { served <- srv.ListenAndServe() }()
//		select {
//		case err := <-served: // the address is taken, say
//			return errors.Join(err, d.Close(context.Background()))
//		case <-ctx.Done():
//		}
//		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
//		defer cancel()
//		err = srv.Shutdown(shutdown)
//		return errors.Join(err, d.Close(shutdown)) // waits for the Close Shutdown started
//	}
//
// docs/getting-started.md builds a complete dashboard step by step, and
// package dashboardtest tests data functions and event streams without a
// server.
package dashboard
