package dashboard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/internal/httpx"
)

// DataFunc computes a panel's content. It runs with a context that ends when
// the panel's timeout passes or the dashboard closes. p holds the values of
// the filters the panel declared, already validated.
type DataFunc func(ctx context.Context, p Params) (components.Component, error)

// Panel is one cell of the layout.
type Panel struct {
	// ID names the panel in URLs and element IDs: a lower-case letter, then
	// lower-case letters, digits, '-' or '_' (see [components.ValidID]).
	ID string
	// Title is shown above the panel's content. When the content is a
	// [components.MetricCard] whose own title is the same words (whatever
	// the case), the panel's title wins and the card shows none; a card
	// with a different title keeps it, under the panel's.
	Title string
	// Width is the number of the row's 12 columns the panel spans; zero
	// shares what the row's other panels leave equally.
	Width int
	// Refresh is how often the panel is recomputed and pushed to the
	// page; zero uses [Options.RefreshInterval].
	Refresh time.Duration
	// Data computes the panel's content. Required.
	Data DataFunc
	// Filters names the filters the panel depends on. It sees only these
	// in its Params, and a change of any other filter leaves it alone.
	Filters []string
	// CrossFilter, when set, makes a click on the panel's chart set a
	// filter the other panels use.
	CrossFilter *CrossFilter
	// Permission, when set, is what a user needs to see the panel: without
	// it the panel is absent from the page and its endpoints answer 403.
	Permission string
	// Export shows a CSV export link; the panel's component must have a
	// Records method, as [components.Table] does (or be a Grid holding
	// one). A component that cannot export (a card, a chart) shows no
	// link — the dashboard cannot know before the panel first computes, so
	// New accepts it — and the first computation logs the mistake.
	Export bool
}

// Row is a horizontal band of panels. Widths add up to at most 12 columns;
// on narrow screens panels stack.
type Row struct {
	Panels []Panel
}

// Authorizer decides what the user behind a request may do. The auth
// package's middleware provides one; nil allows everything.
type Authorizer interface {
	Allowed(r *http.Request, permission string) bool
}

// AuthorizerFunc adapts a function to [Authorizer].
type AuthorizerFunc func(r *http.Request, permission string) bool

// Allowed implements [Authorizer].
func (f AuthorizerFunc) Allowed(r *http.Request, permission string) bool { return f(r, permission) }

// ReadyCheck is a readiness probe, such as a database or Redis ping.
type ReadyCheck struct {
	Name  string
	Check func(ctx context.Context) error
	// Degraded marks a dependency the dashboard can serve without, such
	// as a shared cache: its failure is reported by GET /readyz but does
	// not make the dashboard unready.
	Degraded bool
}

// Broker carries encoded updates between the replicas of a dashboard, as
// Redis PUB/SUB does (redisstore.Broker). Publish sends msg to every current
// subscriber of channel, on every replica, at most once each; Subscribe calls
// deliver, on one goroutine and quickly, with each message on channel until
// unsubscribe is called. A broker that loses its connection resubscribes by
// itself; messages published meanwhile are lost, which viewers do not
// notice (each replica then computes, or reads the shared cache).
type Broker interface {
	Publish(ctx context.Context, channel string, msg []byte) error
	Subscribe(channel string, deliver func(msg []byte)) (unsubscribe func(), err error)
}

// Identifier names the user behind a request, for the page's header. The
// auth package's *Auth implements it.
type Identifier interface {
	// Identify returns the signed-in user's display name and roles; ok
	// is false when the request has no user.
	Identify(r *http.Request) (name string, roles []string, ok bool)
}

// SessionChecker tells whether the session behind a request still holds, so
// an event stream ends with its authority. The auth package's *Auth
// implements it.
type SessionChecker interface {
	// CheckSession returns when the request's session ends (zero: no
	// expiry) and whether it is valid now: unexpired and not revoked. A
	// request with no session at all is valid (the host's middleware
	// decides who gets in).
	CheckSession(ctx context.Context, r *http.Request) (end time.Time, valid bool)
}

// UserIDer names the user behind a request for per-user limits. The auth
// package's *Auth implements it (the token's subject).
type UserIDer interface {
	// UserID returns a stable identifier of the request's user; ok is
	// false when the request has no user.
	UserID(r *http.Request) (id string, ok bool)
}

// Options configure a [Dashboard]. The zero value is a working default.
type Options struct {
	// Rows lay the panels out, top to bottom.
	Rows []Row
	// Filters are the page's controls, shown above the panels.
	Filters []Filter

	// Assets holds echarts.min.js, served at ./assets/echarts.min.js with
	// the directory's other files (a build of your own, or extensions).
	// Nil serves the build dashkit embeds (package assets/echarts,
	// ECharts [EChartsVersion]): the page draws offline, with no npm and no
	// CDN.
	Assets fs.FS
	// AssetsCDN loads ECharts [EChartsVersion] from jsDelivr instead,
	// pinned by a Subresource-Integrity hash and allowed by the page's
	// Content-Security-Policy; the dashboard then serves no ./assets/. It
	// is an explicit opt-in: the page no longer draws offline or behind
	// strict egress. It cannot be combined with Assets.
	AssetsCDN bool
	// Theme pins the page to ThemeLight or ThemeDark. Zero (ThemeAuto)
	// follows the browser's prefers-color-scheme and shows a toggle in the
	// header whose choice the browser remembers (local storage).
	Theme Theme

	// RefreshInterval is how often panels without their own Refresh
	// update; zero means 30 seconds.
	RefreshInterval time.Duration
	// PanelTimeout bounds one computation of a panel; zero means 10
	// seconds. A panel that fails or times out shows an error state; the
	// others are unaffected.
	PanelTimeout time.Duration
	// MaxDataPoints caps the points of a line chart sent to the browser
	// (downsampled with LTTB); zero means 10,000.
	MaxDataPoints int
	// MaxFilterValues caps how many values one [Filter.Multiple] filter
	// may hold in a view (a box selection across many bars, a long link);
	// zero means 50. A view with more is refused with 400 and a message
	// that says so.
	MaxFilterValues int

	// CacheStore holds computed panels; nil keeps them in memory. A Redis
	// store (package cache/redisstore) lets several replicas compute each
	// view once per interval between them.
	CacheStore cache.Store[PanelResult]
	// Broker carries computed updates between replicas: the replica that
	// computes a view publishes it, and every replica with viewers of the
	// view forwards it (package cache/redisstore has one over Redis
	// PUB/SUB). Nil: each replica's viewers get the updates it computes or
	// reads from CacheStore.
	Broker Broker
	// CacheNamespace prefixes the cache's keys and names its metrics; zero
	// means "dashboard". Dashboards sharing a store or a registry need
	// different namespaces.
	CacheNamespace string

	// Heartbeat is how often an idle event stream gets a comment, so
	// proxies keep it open; zero means 15 seconds.
	Heartbeat time.Duration
	// ClientBuffer is how many updates may wait for a slow viewer before it
	// is dropped (its browser reconnects); zero means 16.
	ClientBuffer int
	// WriteTimeout bounds each write to a viewer; zero means 10 seconds.
	WriteTimeout time.Duration
	// MaxStreams caps the event streams open at once in the process; zero
	// means 10,000. MaxStreamsPerUser caps those of one signed-in user
	// (named by [UserIDer]; anonymous viewers, who may share an address
	// behind a NAT, are bounded by MaxStreams and RateLimit alone); zero
	// means 16, a few browser tabs. A stream over either cap answers 503 with
	// Retry-After, and the page's runtime retries (or polls) later.
	MaxStreams        int
	MaxStreamsPerUser int
	// Users names the user behind a request for MaxStreamsPerUser; nil
	// uses the Authorizer when it implements [UserIDer] (as *auth.Auth
	// does).
	Users UserIDer

	// Authorizer decides permissions; nil allows everything.
	Authorizer Authorizer
	// ReadPermission, when set, is needed for every request but the
	// probes (GET /healthz and GET /readyz): the page, panels, event
	// streams, exports, assets. Without it a request answers 403, so a
	// token with no role or an unknown role reads nothing. The auth
	// package's demo roles call it auth.ReadDashboards.
	ReadPermission string
	// FilterPermission, when set, is needed to be offered the controls that
	// change the view: the filter bar and the chart gestures that
	// cross-filter. Without it charts are not clickable. Reading a view
	// someone shared by its link is ViewPermission's business.
	FilterPermission string
	// ViewPermission, when set, is needed to open a view other than the
	// default one (a URL with filter values): without it such a request
	// answers 403 — a page saying so, with a link to the default view, for
	// a browser. Zero lets everyone who may read the dashboard open shared
	// views (a viewer then sees the view, with the controls they may use).
	ViewPermission string
	// ExportPermission, when set, is needed to export CSV.
	ExportPermission string

	// Identifier names the signed-in user in the page's header; nil uses
	// the Authorizer when it implements [Identifier] (as *auth.Auth does).
	Identifier Identifier
	// Sessions ends event streams with the session they were opened in
	// (at its expiry, or within one Heartbeat of its revocation); nil uses
	// the Authorizer when it implements [SessionChecker].
	Sessions SessionChecker
	// LogoutURL, when set, puts a "Sign out" button in the header that
	// POSTs to it (the host's logout handler, such as
	// auth.Auth.LogoutHandler; a same-origin form post, so CSRF protection
	// holds). It is the host's URL: give it as the host mounts it.
	LogoutURL string

	// FrameAncestors lists the origins that may embed the page in a frame
	// (the CSP frame-ancestors directive); empty allows only the page's own
	// origin.
	FrameAncestors []string
	// HSTS sends Strict-Transport-Security (production behind TLS).
	HSTS bool
	// MaxBodyBytes bounds request bodies; zero means 1 MiB.
	MaxBodyBytes int64
	// RateLimit, when positive, allows each client address this many
	// requests per second (with a burst of RateBurst, zero meaning
	// 2 × RateLimit); more answer 429.
	RateLimit float64
	RateBurst int
	// TrustedProxies are the proxies (load balancers you control) in front
	// of the dashboard, as CIDR prefixes. When a request comes from one of
	// them, RateLimit applies to the rightmost X-Forwarded-For hop that is
	// not one of them: the address a trusted proxy saw, never one the
	// client wrote. Empty means the connection's address, and
	// X-Forwarded-For is ignored.
	TrustedProxies []netip.Prefix

	// ReadyChecks run on GET /readyz.
	ReadyChecks []ReadyCheck
	// Registerer receives the dashboard's metrics; nil registers none.
	Registerer prometheus.Registerer
	// Logger receives one record per failure, with its cause; nil
	// discards. Users are shown a generic message, never the error.
	Logger *slog.Logger
}

// Theme is a page's colour theme; charts follow it.
type Theme string

// The themes.
const (
	ThemeAuto  Theme = "auto"
	ThemeLight Theme = "light"
	ThemeDark  Theme = "dark"
)

// The defaults for zero-valued options.
const (
	DefaultRefreshInterval = 30 * time.Second
	DefaultPanelTimeout    = 10 * time.Second
	DefaultMaxDataPoints   = 10_000
	DefaultMaxFilterValues = 50

	DefaultMaxStreams        = 10_000
	DefaultMaxStreamsPerUser = 16
)

// ErrInvalidOptions is wrapped by every error [New] returns.
var ErrInvalidOptions = errors.New("dashboard: invalid options")

// Dashboard is an [http.Handler] serving a page of panels, their live
// updates, the filters, CSV export, health checks and the assets the page
// needs. Every URL it emits is relative, so it can be mounted under any
// prefix with [http.StripPrefix]. Close it when done.
type Dashboard struct {
	title   string
	rows    [][]*panel
	panels  map[string]*panel
	filters map[string]*Filter
	opts    Options
	log     *slog.Logger
	handler http.Handler
	echarts script
	assets  fs.FS                                       // served under ./assets/; nil with AssetsCDN
	cache   *cache.Cache[viewKey, PanelResult]          // rendered results, by view (shared between replicas)
	data    *cache.Cache[viewKey, components.Component] // data functions' components, by filters (in process)
	hub     *hub
	panics  sync.Map // viewKey without epoch → panicked: data functions that panicked lately
	m       *metrics
	limiter *httpx.Limiter

	mu     sync.Mutex // guards closed and reqs.Add
	closed bool
	reqs   sync.WaitGroup // requests in flight

	closeMu sync.Mutex // serialises Close
	stopped bool       // a Close completed: everything is stopped
}

type panel struct {
	Panel
	width int
	// noExport is logged once: the panel has Export but its component
	// has nothing to export.
	noExport sync.Once
}

// New builds a dashboard. It returns an error wrapping [ErrInvalidOptions]
// that names the panel or filter at fault: a missing title or data
// function, a bad or duplicate ID, a width outside 1..12 or a row wider
// than 12 columns, a filter a panel names but the dashboard lacks, Assets
// without echarts.min.js or with AssetsCDN, metrics already registered.
func New(title string, opts Options) (*Dashboard, error) {
	if title == "" {
		return nil, fmt.Errorf("%w: empty title", ErrInvalidOptions)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	opts.Filters = slices.Clone(opts.Filters) // defaults are filled in below
	d := &Dashboard{
		title:  title,
		panels: make(map[string]*panel),
		opts:   opts,
		log:    opts.Logger,
	}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if err := d.validateFilters(); err != nil {
		return nil, err
	}
	longest := time.Duration(0)
	for i, row := range opts.Rows {
		ps, err := d.layoutRow(i, row)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			longest = max(longest, p.Refresh)
		}
		d.rows = append(d.rows, ps)
	}
	s, assets, err := echartsScript(opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	d.echarts, d.assets = s, assets

	d.m, err = newMetrics(opts.Registerer, opts.CacheNamespace)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	if err := d.openCaches(opts, 2*longest+time.Second); err != nil {
		d.m.unregister()
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	if opts.RateLimit > 0 {
		burst := opts.RateBurst
		if burst == 0 {
			burst = max(int(2*opts.RateLimit), 1)
		}
		d.limiter = httpx.NewLimiter(rate.Limit(opts.RateLimit), burst)
	}
	if d.opts.Identifier == nil {
		d.opts.Identifier, _ = opts.Authorizer.(Identifier)
	}
	if d.opts.Sessions == nil {
		d.opts.Sessions, _ = opts.Authorizer.(SessionChecker)
	}
	if d.opts.Users == nil {
		d.opts.Users, _ = opts.Authorizer.(UserIDer)
	}
	d.hub = newHub(d)
	d.handler = d.middleware(d.routes())
	return d, nil
}

// withDefaults checks the options and fills in their defaults.
func (opts Options) withDefaults() (Options, error) {
	for name, d := range map[string]time.Duration{"RefreshInterval": opts.RefreshInterval, "PanelTimeout": opts.PanelTimeout, "Heartbeat": opts.Heartbeat, "WriteTimeout": opts.WriteTimeout} {
		if d < 0 {
			return opts, fmt.Errorf("%w: negative %s", ErrInvalidOptions, name)
		}
	}
	if opts.MaxDataPoints < 0 || opts.MaxFilterValues < 0 || opts.ClientBuffer < 0 || opts.MaxBodyBytes < 0 || opts.RateLimit < 0 || opts.RateBurst < 0 || opts.MaxStreams < 0 || opts.MaxStreamsPerUser < 0 {
		return opts, fmt.Errorf("%w: negative MaxDataPoints, MaxFilterValues, ClientBuffer, MaxBodyBytes, RateLimit, RateBurst, MaxStreams or MaxStreamsPerUser", ErrInvalidOptions)
	}
	switch opts.Theme {
	case "":
		opts.Theme = ThemeAuto
	case ThemeAuto, ThemeLight, ThemeDark:
	default:
		return opts, fmt.Errorf("%w: unknown theme %q", ErrInvalidOptions, opts.Theme)
	}
	opts.RefreshInterval = cmp.Or(opts.RefreshInterval, DefaultRefreshInterval)
	opts.PanelTimeout = cmp.Or(opts.PanelTimeout, DefaultPanelTimeout)
	opts.Heartbeat = cmp.Or(opts.Heartbeat, 15*time.Second)
	opts.WriteTimeout = cmp.Or(opts.WriteTimeout, 10*time.Second)
	opts.MaxDataPoints = cmp.Or(opts.MaxDataPoints, DefaultMaxDataPoints)
	opts.MaxFilterValues = cmp.Or(opts.MaxFilterValues, DefaultMaxFilterValues)
	opts.ClientBuffer = cmp.Or(opts.ClientBuffer, 16)
	opts.MaxStreams = cmp.Or(opts.MaxStreams, DefaultMaxStreams)
	opts.MaxStreamsPerUser = cmp.Or(opts.MaxStreamsPerUser, DefaultMaxStreamsPerUser)
	opts.MaxBodyBytes = cmp.Or(opts.MaxBodyBytes, 1<<20)
	opts.CacheNamespace = cmp.Or(opts.CacheNamespace, "dashboard")
	return opts, nil
}

func (d *Dashboard) layoutRow(i int, row Row) ([]*panel, error) {
	used, flexible := 0, 0
	out := make([]*panel, 0, len(row.Panels))
	for _, p := range row.Panels {
		switch {
		case !components.ValidID(p.ID):
			return nil, fmt.Errorf("%w: row %d: panel ID %q: want a lower-case letter, then lower-case letters, digits, '-' or '_'", ErrInvalidOptions, i, p.ID)
		case d.panels[p.ID] != nil:
			return nil, fmt.Errorf("%w: row %d: duplicate panel ID %q", ErrInvalidOptions, i, p.ID)
		case p.Data == nil:
			return nil, fmt.Errorf("%w: panel %q: no Data function", ErrInvalidOptions, p.ID)
		case p.Title == "":
			return nil, fmt.Errorf("%w: panel %q: empty title", ErrInvalidOptions, p.ID)
		case p.Width < 0 || p.Width > 12:
			return nil, fmt.Errorf("%w: panel %q: width %d outside 0..12", ErrInvalidOptions, p.ID, p.Width)
		case p.Refresh < 0:
			return nil, fmt.Errorf("%w: panel %q: negative refresh %v", ErrInvalidOptions, p.ID, p.Refresh)
		}
		for _, f := range p.Filters {
			if d.filters[f] == nil {
				return nil, fmt.Errorf("%w: panel %q depends on filter %q, which the dashboard does not have", ErrInvalidOptions, p.ID, f)
			}
		}
		if cf := p.CrossFilter; cf != nil {
			f := d.filters[cf.Filter]
			switch {
			case f == nil:
				return nil, fmt.Errorf("%w: panel %q cross-filters %q, which the dashboard does not have", ErrInvalidOptions, p.ID, cf.Filter)
			case slices.Contains(p.Filters, cf.Filter):
				return nil, fmt.Errorf("%w: panel %q cross-filters %q and depends on it: its selection would filter the chart itself away (it highlights what is selected instead)", ErrInvalidOptions, p.ID, cf.Filter)
			}
			switch {
			case f.isRange() && (cf.From == "" || cf.From == "x"):
			case f.isRange():
				return nil, fmt.Errorf("%w: panel %q: a range cross-filter takes its range From x, not %q", ErrInvalidOptions, p.ID, cf.From)
			case cf.From == "" || cf.From == "name" || cf.From == "x" || cf.From == "y":
			default:
				return nil, fmt.Errorf("%w: panel %q: cross-filter From %q: want name, x or y", ErrInvalidOptions, p.ID, cf.From)
			}
		}
		p.Filters = slices.Compact(slices.Sorted(slices.Values(p.Filters)))
		if p.Refresh == 0 {
			p.Refresh = d.opts.RefreshInterval
		}
		used += p.Width
		if p.Width == 0 {
			flexible++
		}
		pp := &panel{Panel: p, width: p.Width}
		d.panels[p.ID] = pp
		out = append(out, pp)
	}
	if used > 12 || (flexible > 0 && used+flexible > 12) {
		return nil, fmt.Errorf("%w: row %d is wider than 12 columns", ErrInvalidOptions, i)
	}
	if flexible > 0 {
		share := (12 - used) / flexible
		for _, p := range out {
			if p.width == 0 {
				p.width = share
			}
		}
	}
	return out, nil
}

// ServeHTTP implements [http.Handler].
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.handler.ServeHTTP(w, r)
}

func (d *Dashboard) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", d.servePage)
	mux.HandleFunc("GET /panels/{id}", d.servePanel)
	mux.HandleFunc("GET /events", d.serveEvents)
	mux.HandleFunc("GET /export/{file}", d.serveExport)
	mux.Handle("GET /static/{name}", serveFiles(staticFS(), "no-cache", d.notFound))
	if d.assets != nil {
		mux.Handle("GET /assets/{name...}", serveFiles(d.assets, "public, max-age=86400", d.notFound))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", d.serveReady)
	mux.HandleFunc("GET /session", d.serveSession)
	mux.HandleFunc("GET /", d.notFound)
	return mux
}

// allowed reports whether the request's user holds permission (an empty
// permission is always held).
func (d *Dashboard) allowed(r *http.Request, permission string) bool {
	return permission == "" || d.opts.Authorizer == nil || d.opts.Authorizer.Allowed(r, permission)
}

// enter counts a request in flight, unless the dashboard is closed.
func (d *Dashboard) enter() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	d.reqs.Add(1)
	return true
}

// Close ends every event stream, waits for requests in flight and stops the
// dashboard's goroutines, so the host's graceful shutdown completes. Requests
// after the first Close answer 503.
//
// Close waits until ctx ends, then gives up with ctx's error, leaving the
// cache open rather than closing it under a request. Call it again (with a
// longer deadline, or after [http.Server.Shutdown] has finished the requests)
// and it picks up where it stopped: Close can be retried until it returns
// nil, and returns nil after that. Concurrent calls wait for each other.
func (d *Dashboard) Close(ctx context.Context) error {
	d.closeMu.Lock()
	defer d.closeMu.Unlock()
	if d.stopped {
		return nil
	}
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	if err := d.hub.close(ctx); err != nil {
		return err
	}
	drained := make(chan struct{})
	go func() {
		d.reqs.Wait()
		close(drained)
	}()
	select {
	case <-drained:
	case <-ctx.Done():
		return ctx.Err()
	}
	d.stopped = true
	err := errors.Join(d.cache.Close(), d.data.Close())
	d.m.unregister()
	return err
}
