// Command manufacturing serves the "Global Operations" example dashboard:
// 15 facilities × 6 machines, OEE against world class, an efficiency
// comparison that drives a facility view (machines, the loss waterfall,
// MTBF and MTTR), the downtime Pareto and live alerts, every 10 seconds. A
// simulator fills an embedded SQLite database on first start and keeps
// producing an hour of plant life per tick; with DATABASE_URL the same runs
// on PostgreSQL.
//
//	go run ./examples/manufacturing -assets web/node_modules/echarts/dist
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test go run ./examples/manufacturing
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math"
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
}

func main() {
	assets := flag.String("assets", "web/node_modules/echarts/dist", "directory holding echarts.min.js; empty loads it from its CDN")
	db := flag.String("db", filepath.Join(os.TempDir(), "dashkit-manufacturing.db"), "SQLite file, when DATABASE_URL is unset")
	demoUsers := flag.Bool("demo-users", false, "allow the demo users in production too")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := config.Load(os.Getenv, logger)
	if err != nil {
		logger.Error("configuration", "error", err)
		os.Exit(1)
	}
	if cfg.Addr == ":8050" && os.Getenv("ADDR") == "" {
		cfg.Addr = ":8053" // beside the risk example
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o := options{assets: *assets, sqlite: *db, history: 72, demoUsers: *demoUsers || cfg.Env == config.Development}
	if err := run(ctx, cfg, o, logger); err != nil {
		logger.Error("manufacturing example", "error", err)
		os.Exit(1)
	}
}

// setup opens the store and, on first start, fills it with history.
func setup(ctx context.Context, cfg config.Config, o options, logger *slog.Logger) (*plant, *store, error) {
	st, err := openStore(ctx, cfg.DatabaseURL, o.sqlite, o.schema)
	if err != nil {
		return nil, nil, fmt.Errorf("open the database: %w", err)
	}
	last, err := st.latest(ctx)
	if err != nil {
		st.close()
		return nil, nil, err
	}
	fresh := last.IsZero()
	if fresh {
		last = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	sim := newSimulator(st, 7, last)
	if fresh {
		start := time.Now()
		for range o.history {
			if err := sim.step(ctx); err != nil {
				st.close()
				return nil, nil, fmt.Errorf("simulate history: %w", err)
			}
		}
		logger.Info("simulated plant history", "hours", o.history, "elapsed", time.Since(start).Round(time.Millisecond))
	}
	p, err := newPlant(st, sim)
	if err != nil {
		st.close()
		return nil, nil, err
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
	go func() {
		t := time.NewTicker(refresh)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := p.step(ctx); err != nil && ctx.Err() == nil {
					logger.Error("simulator", "error", err)
				}
			}
		}
	}()
	logger.Info("serving the Global Operations dashboard", "addr", cfg.Addr, "database", map[bool]string{true: "postgresql", false: "sqlite " + o.sqlite}[cfg.DatabaseURL != ""])
	return demo.Serve(ctx, cfg.Addr, h, []demo.Closer{d}, logger)
}
