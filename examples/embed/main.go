// Command embed is an existing net/http service — its own home page, its
// own JSON API, its own authentication — that mounts two dashkit dashboards
// under /dashboards/ with http.StripPrefix. The dashboards need nothing from
// the service but a prefix: every URL they emit is relative.
//
//	go run ./examples/embed -addr :8052
//	curl -u ops:ops-demo localhost:8052/dashboards/ops/
package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/demo"
)

// service is the host: it existed before the dashboards and keeps its own
// routes and its own (here: HTTP Basic) authentication.
type service struct {
	mux        *http.ServeMux
	dashboards []*dashboard.Dashboard
	user, pass string
}

func newService(assets fs.FS, logger *slog.Logger) (*service, error) {
	s := &service{mux: http.NewServeMux(), user: "ops", pass: "ops-demo"}
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>Orders service</title><h1>Orders service</h1><ul><li><a href="/api/orders">API</a><li><a href="/dashboards/ops/">Operations dashboard</a><li><a href="/dashboards/sales/">Sales dashboard</a></ul>`))
	})
	// The host's own operations routes, outside its authentication:
	// liveness, readiness, and its metrics registry, which the dashboards share
	// (each labelled by its namespace).
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		// The service depends on nothing but itself; a real one would
		// check its database here.
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ready":true}` + "\n"))
	})
	reg := demo.Registry()
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	s.mux.HandleFunc("GET /api/orders", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"orders": 1234, "open": 56})
	})
	for _, spec := range []struct {
		name, title string
		rows        []dashboard.Row
	}{
		{"ops", "Operations", []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "orders", Title: "Orders today", Width: 4, Data: card("Orders today", 1234)},
			{ID: "open", Title: "Open orders", Width: 4, Data: card("Open orders", 56)},
			{ID: "latency", Title: "API latency (p99)", Width: 4, Data: func(context.Context, dashboard.Params) (components.Component, error) {
				return components.Gauge{Title: "p99 latency", Value: 180, Min: 0, Max: 500, Target: ptr(250.0), LowerIsBetter: true, Format: components.NumberFormat{Unit: "ms"}}, nil
			}},
		}}}},
		{"sales", "Sales", []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "revenue", Title: "Revenue by channel", Data: func(context.Context, dashboard.Params) (components.Component, error) {
				return components.Bar{Categories: []string{"Web", "Partners", "Direct"}, Series: []components.Series{{Name: "Revenue", Values: []float64{420, 310, 150}}},
					Format: components.NumberFormat{Style: components.StyleCurrency, Unit: "k"}}, nil
			}},
		}}}},
	} {
		d, err := dashboard.New(spec.title, dashboard.Options{Assets: assets, Logger: logger, RefreshInterval: 10 * time.Second, Registerer: reg,
			CacheNamespace: "dashboard-" + spec.name, Rows: spec.rows})
		if err != nil {
			s.close(context.Background())
			return nil, err
		}
		s.dashboards = append(s.dashboards, d)
		prefix := "/dashboards/" + spec.name
		s.mux.Handle(prefix+"/", s.basicAuth(http.StripPrefix(prefix, d)))
	}
	return s, nil
}

func ptr[T any](v T) *T { return &v }

func card(title string, v float64) dashboard.DataFunc {
	return func(context.Context, dashboard.Params) (components.Component, error) {
		return components.MetricCard{Title: title, Value: v}, nil
	}
}

// basicAuth is the host's own authentication, applied to the dashboards as
// to any other route.
func (s *service) basicAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(s.user)) != 1 || subtle.ConstantTimeCompare([]byte(p), []byte(s.pass)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="orders"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *service) close(ctx context.Context) error {
	var err error
	for _, d := range s.dashboards {
		err = errors.Join(err, d.Close(ctx))
	}
	return err
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8052", "address to listen on (this machine only by default)")
	assetsDir := flag.String("assets", "", "directory holding an echarts.min.js of your own; empty serves the ECharts build dashkit embeds")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	assets, err := demo.Assets(*assetsDir)
	if err == nil {
		var s *service
		if s, err = newService(assets, logger); err == nil {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			closers := make([]demo.Closer, len(s.dashboards))
			for i, d := range s.dashboards {
				closers[i] = d
			}
			logger.Info("serving the orders service with two dashboards", "addr", *addr, "dashboards", "/dashboards/ops/ /dashboards/sales/")
			err = demo.Serve(ctx, *addr, s.mux, closers, logger)
		}
	}
	if err != nil {
		logger.Error("embed", "error", err)
		os.Exit(1)
	}
}
