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

	"github.com/redis/go-redis/v9"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/cache"
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

// Auth builds the example's authentication from the configuration.
func Auth(cfg dashboard.Config, app string, demoUsers bool, logger *slog.Logger) (*auth.Auth, error) {
	tokens, err := auth.NewTokens(auth.TokenOptions{Secret: cfg.SecretKey, Issuer: "dashkit-" + app, Audience: app, Lifetime: 8 * time.Hour})
	if err != nil {
		return nil, err
	}
	return auth.New(auth.Options{Tokens: tokens, Check: Check(demoUsers), Secure: cfg.Env == dashboard.Production, Logger: logger})
}

// CacheStore is where the dashboard caches computed panels: nil (memory)
// unless CACHE_TYPE=redis, then Redis at REDIS_URL, so several replicas
// compute each view once between them. close releases the client.
func CacheStore(ctx context.Context, cfg dashboard.Config) (store cache.Store[dashboard.PanelResult], close func() error, err error) {
	if cfg.Cache != dashboard.CacheRedis {
		return nil, func() error { return nil }, nil
	}
	opts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		// Not fatal: the cache degrades to computing while Redis is down.
		slog.Default().Warn("redis does not answer yet; panels are computed until it does", "error", err)
	}
	s, err := cache.NewRedisStore[dashboard.PanelResult](client, cache.RedisOptions{})
	if err != nil {
		client.Close()
		return nil, nil, err
	}
	return s, client.Close, nil
}

// Mux serves login, logout, an open health check, and the dashboard behind
// authentication.
func Mux(a *auth.Auth, d *dashboard.Dashboard) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/login", a.LoginHandler())
	mux.Handle("/logout", a.LogoutHandler())
	mux.Handle("GET /healthz", d)
	mux.Handle("/", a.Require(d))
	return mux
}

// Build makes an example's dashboard from the shared pieces.
type Build func(assets fs.FS, a dashboard.Authorizer, cs cache.Store[dashboard.PanelResult], logger *slog.Logger) (*dashboard.Dashboard, error)

// Handler wires an example app: ECharts assets from assetsDir, auth for app
// (with the demo users when demoUsers), the panel cache cfg asks for, the
// dashboard build makes, and the [Mux] around them. The cache's client
// lives as long as the process.
func Handler(cfg dashboard.Config, app, assetsDir string, demoUsers bool, logger *slog.Logger, build Build) (http.Handler, *dashboard.Dashboard, error) {
	assets, err := Assets(assetsDir)
	if err != nil {
		return nil, nil, err
	}
	a, err := Auth(cfg, app, demoUsers, logger)
	if err != nil {
		return nil, nil, err
	}
	cs, closeCache, err := CacheStore(context.Background(), cfg)
	if err != nil {
		return nil, nil, err
	}
	d, err := build(assets, a, cs, logger)
	if err != nil {
		_ = closeCache()
		return nil, nil, err
	}
	return Mux(a, d), d, nil
}

// Assets opens the directory holding echarts.min.js; "" means none (the
// dashboard then loads ECharts from its CDN).
func Assets(dir string) (fs.FS, error) {
	if dir == "" {
		return nil, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "echarts.min.js")); err != nil {
		return nil, fmt.Errorf("%w; run `make assets` first, or pass -assets '' to load ECharts from its CDN", err)
	}
	return os.DirFS(dir), nil
}

// Closer is what Serve closes before the server: dashboards.
type Closer interface {
	Close(ctx context.Context) error
}

// Serve runs an http.Server on addr with limits that suit dashboards —
// header, read and idle timeouts, and no write timeout, since event streams
// bound each write themselves — until ctx ends, then shuts down gracefully:
// the dashboards first, so their streams end and Shutdown does not wait for
// them, then the server, which finishes the requests in flight.
func Serve(ctx context.Context, addr string, h http.Handler, dashboards []Closer, logger *slog.Logger) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
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
	if err := closeAll(shutdown); err != nil {
		return err
	}
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
