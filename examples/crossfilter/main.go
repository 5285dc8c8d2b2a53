// Command crossfilter shows three linked charts: click a region's bar and
// the product chart and the monthly trend show that region; click a
// product's bar and the region chart and the trend follow. The view lives in
// the URL, so it can be shared.
//
//	go run ./examples/crossfilter -addr :8051
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/demo"
)

var (
	regions  = []string{"North", "South", "East", "West", "Central"}
	products = []string{"Sensors", "Valves", "Pumps", "Motors", "Controllers", "Cables"}
	months   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// sales is a deterministic cube: region × product × month, in k$.
func sales(r, p, m int) float64 {
	base := 40 + 25*float64((r*7+p*3)%5) + 10*float64(p%3)
	season := 1 + 0.25*math.Sin(float64(m+r)/12*2*math.Pi)
	return math.Round(base * season * (1 + 0.05*float64((r+p+m)%4)))
}

func pick(values []string, chosen string) []int {
	var out []int
	for i, v := range values {
		if chosen == "all" || chosen == "" || v == chosen {
			out = append(out, i)
		}
	}
	return out
}

func options(values []string, all string) []components.Option {
	out := []components.Option{{Value: "all", Label: all}}
	for _, v := range values {
		out = append(out, components.Option{Value: v})
	}
	return out
}

var money = components.NumberFormat{Style: components.StyleCurrency, Unit: "k"}

// newHandler serves the dashboard at / and, outside it, what operators need:
// GET /healthz, GET /readyz and GET /metrics.
func newHandler(assets fs.FS, logger *slog.Logger) (http.Handler, *dashboard.Dashboard, error) {
	reg := demo.Registry()
	d, err := newDashboard(assets, logger, reg)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	demo.Ops(mux, d, reg)
	mux.Handle("/", d)
	return mux, d, nil
}

func newDashboard(assets fs.FS, logger *slog.Logger, reg prometheus.Registerer) (*dashboard.Dashboard, error) {
	return dashboard.New("Sales — linked charts", dashboard.Options{
		Assets: assets, Logger: logger, RefreshInterval: time.Minute, Registerer: reg,
		Filters: []dashboard.Filter{
			{Name: "region", Label: "Region", Options: options(regions, "All regions")},
			{Name: "product", Label: "Product", Options: options(products, "All products")},
		},
		Rows: []dashboard.Row{
			{Panels: []dashboard.Panel{
				{ID: "by-region", Title: "Sales by region (click a bar)", Width: 6, Filters: []string{"product"},
					CrossFilter: &dashboard.CrossFilter{Filter: "region"},
					Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
						vals := make([]float64, len(regions))
						for r := range regions {
							for _, pi := range pick(products, p.Value("product")) {
								for m := range months {
									vals[r] += sales(r, pi, m)
								}
							}
						}
						return components.Bar{Description: "Yearly sales by region for " + p.Value("product") + " products.", Categories: regions,
							Series: []components.Series{{Name: "Sales", Values: vals}}, Format: money}, nil
					}},
				{ID: "by-product", Title: "Sales by product (click a bar)", Width: 6, Filters: []string{"region"},
					CrossFilter: &dashboard.CrossFilter{Filter: "product"},
					Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
						vals := make([]float64, len(products))
						for pi := range products {
							for _, r := range pick(regions, p.Value("region")) {
								for m := range months {
									vals[pi] += sales(r, pi, m)
								}
							}
						}
						return components.Bar{Description: "Yearly sales by product in " + p.Value("region") + " regions.", Categories: products,
							Series: []components.Series{{Name: "Sales", Values: vals}}, Format: money, Horizontal: true}, nil
					}},
			}},
			{Panels: []dashboard.Panel{
				{ID: "trend", Title: "Monthly sales for the selection", Filters: []string{"region", "product"},
					Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
						vals := make([]float64, len(months))
						for m := range months {
							for _, r := range pick(regions, p.Value("region")) {
								for _, pi := range pick(products, p.Value("product")) {
									vals[m] += sales(r, pi, m)
								}
							}
						}
						return components.Line{Title: fmt.Sprintf("%s · %s", p.Value("region"), p.Value("product")), Categories: months,
							Series: []components.Series{{Name: "Sales", Values: vals, Area: true, Smooth: true}}, YFormat: money}, nil
					}},
			}},
		},
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8051", "address to listen on (this machine only by default)")
	assetsDir := flag.String("assets", "", "directory holding an echarts.min.js of your own; empty serves the ECharts build dashkit embeds")
	flag.Parse()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	assets, err := demo.Assets(*assetsDir)
	if err == nil {
		var (
			h http.Handler
			d *dashboard.Dashboard
		)
		if h, d, err = newHandler(assets, logger); err == nil {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			logger.Info("serving the linked charts", "addr", *addr)
			err = demo.Serve(ctx, *addr, h, []demo.Closer{d}, logger)
		}
	}
	if err != nil {
		logger.Error("crossfilter", "error", err)
		os.Exit(1)
	}
}
