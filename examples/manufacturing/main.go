// Command manufacturing serves the "Global Operations" example dashboard:
// 15 facilities × 6 machines, OEE against world class, an efficiency
// comparison that drives a facility view (machines, the loss waterfall,
// MTBF and MTTR), the downtime Pareto and live alerts, every 10 seconds. A
// simulator fills an embedded SQLite database on first start and keeps
// producing an hour of plant life per tick; with DATABASE_URL the same runs
// on PostgreSQL.
//
// The database may be away: at start (the example still serves within
// seconds), or later. While it is, GET /readyz answers 503 and the panels
// that read it show an error instead of an older hour; each tick tries
// again, and the dashboard recovers when the database returns, without a
// restart. Every database call is bounded (3 s to connect, 5 s an
// operation), so a database that accepts connections and never answers
// costs seconds, never a hang.
//
//	go run ./examples/manufacturing
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test go run ./examples/manufacturing
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/demo"
)

var nan = math.NaN()

type options struct {
	assets    string
	sqlite    string
	schema    string
	history   int // simulated hours to create on first start
	demoUsers bool
	// refresh is how often the plant moves and the panels update; zero
	// means 10s.
	refresh time.Duration
	// connectTimeout bounds each attempt to reach the database, timeout
	// each operation on it; zero means 3s and 5s.
	connectTimeout, timeout time.Duration
}

func main() {
	assets := flag.String("assets", "", "directory holding an echarts.min.js of your own; empty serves the ECharts build dashkit embeds")
	db := flag.String("db", filepath.Join(os.TempDir(), "dashkit-manufacturing.db"), "SQLite file, when DATABASE_URL is unset")
	demoUsers := flag.Bool("demo-users", false, "allow the demo users in production too")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := config.Load(os.Getenv, logger)
	if err != nil {
		logger.Error("configuration", "error", err)
		os.Exit(1)
	}
	if os.Getenv("ADDR") == "" {
		host, _, _ := net.SplitHostPort(cfg.Addr)
		cfg.Addr = net.JoinHostPort(host, "8053") // beside the risk example
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o := options{assets: *assets, sqlite: *db, history: 72, demoUsers: *demoUsers || cfg.Env == config.Development}
	if err := run(ctx, cfg, o, logger); err != nil {
		logger.Error("manufacturing example", "error", err)
		os.Exit(1)
	}
}

// setup makes the store and the plant, and starts the plant: it connects
// and, on first start, fills the database with history. A database that
// does not answer within the connect timeout is not fatal: the plant starts
// without it, reports not-ready on /readyz and errors in its panels, and
// connects on a later tick or request (see plant.start). Only a bad
// configuration is an error.
func setup(ctx context.Context, cfg config.Config, o options, logger *slog.Logger) (*plant, *store, error) {
	st, err := newStore(cfg.DatabaseURL, o.sqlite, o.schema, o.connectTimeout, o.timeout)
	if err != nil {
		return nil, nil, fmt.Errorf("open the database: %w", err)
	}
	p, err := newPlant(st, o.history, o.refresh, logger)
	if err != nil {
		return nil, nil, err
	}
	if err := p.start(ctx); err != nil {
		logger.Warn("the database does not answer; serving, not ready, until it does", "error", err)
	}
	return p, st, nil
}

func handler(cfg config.Config, o options, p *plant, logger *slog.Logger) (http.Handler, *dashboard.Dashboard, error) {
	app := demo.App{Name: "global-operations", Title: "Global Operations", AssetsDir: o.assets, DemoUsers: o.demoUsers,
		Ready: []dashboard.ReadyCheck{{Name: "database", Check: p.ping}}}
	return demo.Handler(cfg, app, logger, func(base dashboard.Options) (*dashboard.Dashboard, error) {
		return newDashboard(p, base)
	})
}

func run(ctx context.Context, cfg config.Config, o options, logger *slog.Logger) error {
	p, st, err := setup(ctx, cfg, o, logger)
	if err != nil {
		return err
	}
	defer st.close()
	h, d, err := handler(cfg, o, p, logger)
	if err != nil {
		return err
	}
	go p.run(ctx)
	logger.Info("serving the Global Operations dashboard", "addr", cfg.Addr, "database", map[bool]string{true: "postgresql", false: "sqlite " + o.sqlite}[cfg.DatabaseURL != ""])
	return demo.Serve(ctx, cfg.Addr, h, []demo.Closer{d}, logger)
}
