// Command risk serves the "Portfolio Risk" example dashboard: a headline risk
// card and a sector × risk-type heatmap over a synthetic market that moves
// every tick. It grows into the full risk dashboard (VaR, ES, contributors,
// stress tests) as the risk package lands.
//
// It needs nothing but this repository: no database, no Redis, no internet.
// Run it from the repository root with `make run` (which installs the pinned
// ECharts first), then open http://localhost:8050.
//
//	go run ./examples/risk -addr :8050 -assets web/node_modules/echarts/dist
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", ":8050", "address to listen on")
	assets := flag.String("assets", "web/node_modules/echarts/dist", "directory holding echarts.min.js (installed by `make assets`); empty loads ECharts from its CDN")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *assets, logger); err != nil {
		logger.Error("risk example", "error", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr, assetsDir string, logger *slog.Logger) error {
	var assets fs.FS
	if assetsDir != "" {
		if _, err := os.Stat(assetsDir + "/echarts.min.js"); err != nil {
			return fmt.Errorf("%w; run `make assets` first, or pass -assets '' to load ECharts from its CDN", err)
		}
		assets = os.DirFS(assetsDir)
	}
	d, err := newDashboard(newFeed(42, time.Now), assets, logger)
	if err != nil {
		return err
	}
	// No WriteTimeout: it would cut the live-update streams, which bound
	// each write themselves.
	srv := &http.Server{
		Addr:              addr,
		Handler:           d,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Info("serving the Portfolio Risk dashboard", "addr", addr)

	select {
	case err := <-errc:
		_ = d.Close(context.Background())
		return err
	case <-ctx.Done():
	}
	// The dashboard first, so its event streams end and Shutdown does not
	// wait for them; then the server, which finishes in-flight requests.
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Close(shutdown); err != nil {
		return err
	}
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
