// Command risk serves the "Portfolio Risk" example dashboard: 50,000
// instruments in 11 sectors on a synthetic, correlated market that moves
// one day at every refresh (5 seconds), with VaR and ES cards, a backtest,
// a sector × risk-type heatmap that cross-filters the top contributors, a
// VaR timeline with its limit and exceptions, and stress tests. Sign in as
// one of the demo users.
//
// It needs nothing but this repository: no database, no Redis, no internet.
// Run it from the repository root with `make run` (which installs the pinned
// ECharts first), then open http://localhost:8050.
//
//	go run ./examples/risk
//
// Configuration comes from the environment (see package config):
// ADDR, DASHKIT_ENV (production needs SECRET_KEY of 32 bytes or more).
package main

import (
	"cmp"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/demo"
)

func main() {
	assets := flag.String("assets", "", "directory holding an echarts.min.js of your own; empty serves the ECharts build dashkit embeds")
	instruments := flag.Int("instruments", 50_000, "number of instruments")
	demoUsers := flag.Bool("demo-users", false, "allow the demo users in production too")
	healthcheck := flag.String("healthcheck", "", "probe this URL and exit 0 if it answers 200 (for container health checks; the image has no shell or curl)")
	flag.Parse()
	if *healthcheck != "" {
		os.Exit(probe(*healthcheck))
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := config.Load(os.Getenv, logger)
	if err != nil {
		logger.Error("configuration", "error", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, options{assets: *assets, instruments: *instruments, demoUsers: *demoUsers || cfg.Env == config.Development}, logger); err != nil {
		logger.Error("risk example", "error", err)
		os.Exit(1)
	}
}

// probe is the container health check: 0 when url answers 200.
func probe(url string) int {
	c := &http.Client{Timeout: 3 * time.Second}
	res, err := c.Get(url)
	if err != nil {
		return 1
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}

type options struct {
	assets      string
	instruments int
	demoUsers   bool
	schema      string  // PostgreSQL schema for the prices table; "" is the default schema
	db          *sql.DB // the prices' database, checked by /readyz; nil without one
}

// handler builds the whole service: login, logout, health, and the
// dashboard behind authentication.
func handler(cfg config.Config, o options, m *market, logger *slog.Logger) (http.Handler, *dashboard.Dashboard, error) {
	app := demo.App{Name: "portfolio-risk", Title: "Portfolio Risk", AssetsDir: o.assets, DemoUsers: o.demoUsers}
	if o.db != nil {
		app.Ready = append(app.Ready, dashboard.ReadyCheck{Name: "database", Check: ping(o.db)})
	}
	return demo.Handler(cfg, app, logger, func(base dashboard.Options) (*dashboard.Dashboard, error) {
		return newDashboard(m, base)
	})
}

// ping checks the database for /readyz, within two seconds.
func ping(db *sql.DB) func(context.Context) error {
	return func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		return db.PingContext(ctx)
	}
}

func run(ctx context.Context, cfg config.Config, o options, logger *slog.Logger) error {
	start := time.Now()
	var m *market
	if cfg.DatabaseURL != "" {
		p, err := openPrices(ctx, cfg.DatabaseURL, o.schema)
		if err != nil {
			return fmt.Errorf("prices from PostgreSQL: %w", err)
		}
		defer p.close()
		o.db = p.db
		if m, err = newMarketFrom(ctx, p, o.instruments, 253, 42); err != nil {
			return fmt.Errorf("prices from PostgreSQL: %w", err)
		}
	} else {
		m = newMarket(o.instruments, 253, 42)
	}
	logger.Info("market ready", "instruments", o.instruments, "days", 253, "postgresql", cfg.DatabaseURL != "", "elapsed", time.Since(start).Round(time.Millisecond))
	h, d, err := handler(cfg, o, m, logger)
	if err != nil {
		return err
	}
	// The market ticks at the start of each refresh interval, so every
	// update shows the market of its interval.
	m.align(cmp.Or(cfg.RefreshInterval, refresh), time.Now())
	go m.run(ctx)
	logger.Info("serving the Portfolio Risk dashboard", "addr", cfg.Addr, "env", cfg.Env, "demo_users", o.demoUsers)
	return demo.Serve(ctx, cfg.Addr, h, []demo.Closer{d}, logger)
}
