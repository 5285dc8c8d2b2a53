// Package demo holds what the example apps share: the demo users (one per
// role, development only) and the wiring of a dashboard behind login.
package demo

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/auth/redisdenylist"
	"github.com/dashkit/dashkit/auth/redislimiter"
	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/cache/redisstore"
	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/dashboard"
)

// Users are the demo users: the user name is the role, the password the
// role followed by "-demo". They are listed in the README.
var Users = []auth.User{
	{ID: "viewer", Name: "Vera Viewer", Roles: []auth.Role{auth.Viewer}},
	{ID: "analyst", Name: "Ana Analyst", Roles: []auth.Role{auth.Analyst}},
	{ID: "manager", Name: "Max Manager", Roles: []auth.Role{auth.Manager}},
	{ID: "admin", Name: "Ada Admin", Roles: []auth.Role{auth.Admin}},
}

// Check accepts the demo users when enabled, and nobody otherwise.
func Check(enabled bool) auth.CheckFunc {
	return func(_ context.Context, user, password string) (auth.User, error) {
		for _, u := range Users {
			ok := subtle.ConstantTimeCompare([]byte(user), []byte(u.ID)) == 1
			if enabled && ok && subtle.ConstantTimeCompare([]byte(password), []byte(u.ID+"-demo")) == 1 {
				return u, nil
			}
		}
		return auth.User{}, auth.ErrBadCredentials
	}
}

// Auth builds the example's authentication from the configuration: tokens
// that live cfg.SessionLifetime, a login page that names title.
func Auth(cfg config.Config, app, title string, demoUsers bool, shared Shared, logger *slog.Logger) (*auth.Auth, error) {
	tokens, err := auth.NewTokens(auth.TokenOptions{Secret: cfg.SecretKey, Issuer: "dashkit-" + app, Audience: app, Lifetime: cfg.SessionLifetime})
	if err != nil {
		return nil, err
	}
	return auth.New(auth.Options{
		Tokens: tokens, Check: Check(demoUsers), Secure: cfg.Env == config.Production, Title: title, Logger: logger,
		Denylist: shared.Denylist, LoginLimiter: shared.LoginLimiter,
	})
}

// Shared is what the replicas of an example share through Redis when
// CACHE_TYPE=redis: the panel cache (in process first, so a replica keeps
// a memo of its own while Redis is down) with its leases, the broker that
// fans updates out between replicas, logouts and login limits. Its zero
// value shares nothing: one process, in memory.
type Shared struct {
	Store        cache.Store[dashboard.PanelResult]
	Broker       dashboard.Broker
	Denylist     auth.Denylist
	LoginLimiter auth.LoginLimiter
	// Ping checks Redis for /readyz; nil without Redis.
	Ping func(context.Context) error
	// Close releases what Share opened.
	Close func() error
}

// Share builds what the replicas of app share, from cfg: nothing unless
// CACHE_TYPE=redis, then Redis at REDIS_URL. Redis need not answer yet:
// until it does, each replica computes for itself (see dashboard's
// "Running several replicas").
func Share(ctx context.Context, cfg config.Config, app string, logger *slog.Logger) (Shared, error) {
	none := Shared{Close: func() error { return nil }}
	if cfg.Cache != config.CacheRedis {
		return none, nil
	}
	// Every call bounded: ClientOptions honours the store's deadlines
	// (redisstore.New refuses a client that would not), and go-redis's
	// own complaints (dial errors) go to the log, not to standard error.
	opts, err := redisstore.ClientOptions(cfg.RedisURL)
	if err != nil {
		return none, fmt.Errorf("REDIS_URL: %w", err)
	}
	redis.SetLogger(redisstore.Logger{L: logger})
	client := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		// Not fatal: the cache degrades to computing while Redis is down.
		logger.Warn("redis does not answer yet; panels are computed locally until it does", "error", err)
	}
	closers := []func() error{client.Close}
	closeAll := func() error {
		var err error
		for i := len(closers) - 1; i >= 0; i-- {
			err = errors.Join(err, closers[i]())
		}
		return err
	}
	fail := func(err error) (Shared, error) {
		_ = closeAll()
		return none, err
	}
	remote, err := redisstore.New[dashboard.PanelResult](client, redisstore.Options{})
	if err != nil {
		return fail(err)
	}
	local, err := cache.NewMemoryStore(cache.MemoryOptions[dashboard.PanelResult]{})
	if err != nil {
		return fail(err)
	}
	closers = append(closers, local.Close)
	store, err := cache.NewChain(local, remote, cache.ChainOptions{})
	if err != nil {
		return fail(err)
	}
	broker, err := redisstore.NewBroker(client, redisstore.BrokerOptions{})
	if err != nil {
		return fail(err)
	}
	closers = append(closers, broker.Close)
	denylist, err := redisdenylist.New(client, redisdenylist.Options{Prefix: "dashkit:" + app + ":revoked:", LocalFallback: true})
	if err != nil {
		return fail(err)
	}
	limiter, err := redislimiter.New(client, redislimiter.Options{Prefix: "{dashkit:" + app + ":login}:"})
	if err != nil {
		return fail(err)
	}
	return Shared{
		Store: store, Broker: broker, Denylist: denylist, LoginLimiter: limiter,
		Ping: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			return client.Ping(ctx).Err()
		},
		Close: closeAll,
	}, nil
}

// Ops adds what operators need to mux, outside any session (no token, so
// no role, is needed: probes and scrapers carry none): liveness and
// readiness from d (GET /healthz, GET /readyz), and the registry's metrics
// (GET /metrics, Prometheus text). A host that must not expose them mounts
// them on a separate, internal listener instead, or behind its own
// middleware.
func Ops(mux *http.ServeMux, d http.Handler, reg *prometheus.Registry) {
	mux.Handle("GET /healthz", d)
	mux.Handle("GET /readyz", d)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
}

// The examples' rate limit per client address, shown in the README.
const (
	RateLimit = 20 // requests per second
	RateBurst = 40
)

// Registry is a Prometheus registry with the Go runtime's and the process's
// collectors, as every example serves at /metrics.
func Registry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// Mux serves login, logout, the operators' routes ([Ops]), and the
// dashboard behind authentication.
func Mux(a *auth.Auth, d *dashboard.Dashboard, reg *prometheus.Registry) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/login", a.LoginHandler())
	mux.Handle("/logout", a.LogoutHandler())
	Ops(mux, d, reg)
	mux.Handle("/", a.Require(d))
	return mux
}

// Build makes an example's dashboard: it adds its title, rows and filters
// to base, which holds what [Handler] wired (assets, auth, cache, metrics,
// readiness, heartbeat, logger, and MaxDataPoints and RefreshInterval from
// the configuration; RefreshInterval is zero unless REFRESH_INTERVAL is
// set, and then the example keeps its own).
type Build func(base dashboard.Options) (*dashboard.Dashboard, error)

// App names an example for [Handler].
type App struct {
	Name      string // the token audience, "portfolio-risk"
	Title     string // shown on the login page
	AssetsDir string // holds an echarts.min.js of your own; "" serves the build dashkit embeds
	DemoUsers bool
	// Ready are the example's own readiness checks (its database).
	Ready []dashboard.ReadyCheck
}

// Handler wires an example app: ECharts assets, auth with the demo users
// when enabled, the chart size and refresh cfg asks for, the panel cache cfg asks for (its Redis ping a degraded
// readiness check), a metrics registry, the dashboard build makes, and the
// [Mux] around them. The cache's client lives as long as the process.
func Handler(cfg config.Config, app App, logger *slog.Logger, build Build) (http.Handler, *dashboard.Dashboard, error) {
	assets, err := Assets(app.AssetsDir)
	if err != nil {
		return nil, nil, err
	}
	shared, err := Share(context.Background(), cfg, app.Name, logger)
	if err != nil {
		return nil, nil, err
	}
	a, err := Auth(cfg, app.Name, app.Title, app.DemoUsers, shared, logger)
	if err != nil {
		_ = shared.Close()
		return nil, nil, err
	}
	ready := app.Ready
	if shared.Ping != nil {
		// Redis down degrades the cache: each replica computes for
		// itself, and the dashboard still serves (readiness holds).
		ready = append(ready, dashboard.ReadyCheck{Name: "redis", Check: shared.Ping, Degraded: true})
	}
	reg := Registry()
	d, err := build(dashboard.Options{
		Assets: assets, Authorizer: a, ReadPermission: auth.ReadDashboards, CacheStore: shared.Store, Broker: shared.Broker, Logger: logger,
		// Per client address, on every dashboard route (page, panels,
		// export, event streams); more answer 429 with Retry-After. A
		// page load costs one request and one stream.
		RateLimit: RateLimit, RateBurst: RateBurst,
		Registerer: reg, ReadyChecks: ready, Heartbeat: cfg.Heartbeat, LogoutURL: "/logout",
		MaxDataPoints: cfg.MaxDataPoints, RefreshInterval: cfg.RefreshInterval,
	})
	if err != nil {
		_ = shared.Close()
		return nil, nil, err
	}
	return Mux(a, d, reg), d, nil
}

// Assets opens the directory holding echarts.min.js; "" means none (the
// dashboard then serves the build package assets/echarts embeds).
func Assets(dir string) (fs.FS, error) {
	if dir == "" {
		return nil, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "echarts.min.js")); err != nil {
		return nil, fmt.Errorf("%w; pass -assets '' to serve the embedded ECharts", err)
	}
	return os.DirFS(dir), nil
}

// Closer is what Serve closes before the server: dashboards.
type Closer interface {
	Close(ctx context.Context) error
}

// ReadHeaderTimeout is how long the examples' server waits for a
// request's headers: a client that sends them slowly (slowloris) is cut
// off then, and holds nothing longer.
const ReadHeaderTimeout = 5 * time.Second

// NewServer is the examples' http.Server for h on addr, with limits that
// suit dashboards: header (ReadHeaderTimeout), read and idle timeouts, and
// no write timeout, since event streams bound each write themselves.
// Its log goes to logger.
func NewServer(addr string, h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// Serve runs [NewServer]'s server on addr until ctx ends, then shuts down
// gracefully: the dashboards first, so their streams end and Shutdown does
// not wait for them, then the server, which finishes the requests in
// flight.
func Serve(ctx context.Context, addr string, h http.Handler, dashboards []Closer, logger *slog.Logger) error {
	srv := NewServer(addr, h, logger)
	closeAll := func(ctx context.Context) error {
		var err error
		for _, d := range dashboards {
			err = errors.Join(err, d.Close(ctx))
		}
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		_ = closeAll(context.Background())
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	closeErr := closeAll(shutdown)
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return errors.Join(closeErr, err)
	}
	if closeErr != nil {
		// A dashboard that timed out waiting for a request: Shutdown has
		// finished the requests, so closing again completes.
		closeErr = closeAll(shutdown)
	}
	return closeErr
}
