// Command sales is the dashboard docs/getting-started.md builds step by
// step: 200,000 orders from a CSV file, revenue per hour in the shop's time
// zone, revenue by region whose bars filter the rest, the top products with
// a CSV export, a region dropdown with an "All" choice, refreshed every 10
// seconds, for two roles, mounted under /sales/ in a plain ServeMux beside
// /metrics, and shut down gracefully.
//
//	go run ./examples/sales
//	open http://127.0.0.1:8054/sales/ (viewer / viewer-pass, or manager / manager-pass)
package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
	_ "time/tzdata" // time zones on any machine, even a distroless image

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/dashboard"
)

func main() {
	ordersPath := flag.String("orders", "", "orders CSV (created_at,region,product,quantity,revenue); empty writes a sample of 200,000")
	zone := flag.String("tz", "Europe/Paris", "the shop's time zone: its hours and days")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*ordersPath, *zone, logger); err != nil {
		logger.Error("sales", "error", err)
		os.Exit(1)
	}
}

func run(ordersPath, zone string, logger *slog.Logger) error {
	cfg, err := config.Load(os.Getenv, logger)
	if err != nil {
		return err
	}
	if os.Getenv("ADDR") == "" {
		host, _, _ := net.SplitHostPort(cfg.Addr) // 127.0.0.1 in development
		cfg.Addr = net.JoinHostPort(host, "8054")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app, err := newApp(ctx, cfg, ordersPath, zone, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return errors.Join(err, app.dashboard.Close(context.Background()))
	}
	logger.Info("serving the sales dashboard", "url", "http://"+ln.Addr().String()+"/sales/")
	return serve(ctx, ln, app)
}

// app is the whole service: its routes and the dashboard it must close.
type app struct {
	handler   http.Handler
	dashboard *dashboard.Dashboard
}

// newApp loads the orders and wires the service: login and logout, the
// dashboard behind them under /sales/, and /metrics and /healthz outside.
func newApp(ctx context.Context, cfg config.Config, ordersPath, zone string, logger *slog.Logger) (*app, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, err
	}
	if ordersPath == "" {
		ordersPath = filepath.Join(os.TempDir(), "dashkit-sales-orders.csv")
		if err := writeSampleOrders(ordersPath, 200_000, time.Now()); err != nil {
			return nil, err
		}
	}
	orders, err := loadOrders(ctx, ordersPath)
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokens(auth.TokenOptions{Secret: cfg.SecretKey, Issuer: "sales", Audience: "sales", Lifetime: cfg.SessionLifetime})
	if err != nil {
		return nil, err
	}
	a, err := auth.New(auth.Options{Tokens: tokens, Check: checkPassword, Secure: cfg.Env == config.Production, Title: "Sales", Logger: logger})
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	d, err := newDashboard(&sales{orders: orders, loc: loc, now: time.Now}, dashboard.Options{
		Authorizer:       a,
		FilterPermission: auth.ModifyFilters, // managers: the dropdown and the bars' clicks
		ExportPermission: auth.ExportData,    // managers: the CSV link
		LogoutURL:        "/logout",
		RefreshInterval:  cfg.RefreshInterval, // zero: the dashboard's 10 s
		MaxDataPoints:    cfg.MaxDataPoints,
		Registerer:       reg,
		Logger:           logger,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/login", a.LoginHandler())
	mux.Handle("/logout", a.LogoutHandler())
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.Handle("GET /healthz", d)
	mux.Handle("/sales/", a.Require(http.StripPrefix("/sales", d)))
	mux.Handle("GET /{$}", http.RedirectHandler("/sales/", http.StatusSeeOther))
	return &app{handler: mux, dashboard: d}, nil
}

// checkPassword knows two users, one per role. A real service asks its
// user store.
func checkPassword(_ context.Context, user, password string) (auth.User, error) {
	users := map[string]auth.User{
		"viewer":  {ID: "viewer", Name: "Vic Viewer", Roles: []auth.Role{auth.Viewer}},
		"manager": {ID: "manager", Name: "Mia Manager", Roles: []auth.Role{auth.Manager}},
	}
	u, ok := users[user]
	if !ok || subtle.ConstantTimeCompare([]byte(password), []byte(user+"-pass")) != 1 {
		return auth.User{}, auth.ErrBadCredentials
	}
	return u, nil
}

// serve runs the server until ctx ends, then shuts down: Shutdown starts
// the dashboard's Close (RegisterOnShutdown), which ends its event streams,
// so Shutdown does not wait for them until its deadline.
func serve(ctx context.Context, ln net.Listener, app *app) error {
	srv := &http.Server{Handler: app.handler, ReadHeaderTimeout: 5 * time.Second}
	srv.RegisterOnShutdown(func() { _ = app.dashboard.Close(context.Background()) })
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return errors.Join(err, app.dashboard.Close(context.Background()))
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdown)
	return errors.Join(err, app.dashboard.Close(shutdown))
}
