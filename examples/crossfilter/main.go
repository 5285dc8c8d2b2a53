// Command crossfilter shows three linked charts. Click a region's bar, or
// drag across several (shift- or ctrl-click adds or removes one), and the
// product chart and the monthly trend show those regions; select products
// the same way and the region chart and the trend follow; drag along the
// trend to choose a period and both bar charts show it. Each chart
// highlights its own selection instead of filtering itself; the selection
// bar lists what is selected, and Escape, a click on empty space or a
// chip's × clears it. The view lives in the URL, so it can be shared.
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
	"slices"
	"strings"
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

// year is the cube's year: month m starts at monthStart(m).
const year = 2026

func monthStart(m int) time.Time { return time.Date(year, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC) }

// pick is the indices of the chosen values; none chosen is all of them.
func pick(values, chosen []string) []int {
	var out []int
	for i, v := range values {
		if len(chosen) == 0 || slices.Contains(chosen, v) {
			out = append(out, i)
		}
	}
	return out
}

// inPeriod is the months that overlap the period from–to (zero: open).
func inPeriod(from, to time.Time) []int {
	var out []int
	for m := range months {
		end := monthStart(m).AddDate(0, 1, -1)
		if (from.IsZero() || !end.Before(from)) && (to.IsZero() || !monthStart(m).After(to)) {
			out = append(out, m)
		}
	}
	return out
}

// named says which values a chart shows: all when none is chosen.
func named(chosen []string, all string) string {
	if len(chosen) == 0 {
		return all
	}
	return strings.Join(chosen, ", ")
}

func options(values []string) []components.Option {
	out := make([]components.Option, len(values))
	for i, v := range values {
		out[i] = components.Option{Value: v}
	}
	return out
}

// period describes the chosen period for a chart's description.
func period(p dashboard.Params) string {
	from, to := p.Range("period")
	if from.IsZero() && to.IsZero() {
		return fmt.Sprint(year)
	}
	return dateOr(from, "Jan 1") + " to " + dateOr(to, "Dec 31")
}

func dateOr(t time.Time, open string) string {
	if t.IsZero() {
		return open
	}
	return t.Format("Jan 2")
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
			{Name: "region", Label: "Region", Options: options(regions), Multiple: true},
			{Name: "product", Label: "Product", Options: options(products), Multiple: true},
			{Name: "period", Label: "Period", DateRange: true, Min: monthStart(0), Max: monthStart(11).AddDate(0, 1, -1)},
		},
		Rows: []dashboard.Row{
			{Panels: []dashboard.Panel{
				{ID: "by-region", Title: "Sales by region (click, or drag across bars)", Width: 6, Filters: []string{"product", "period"},
					CrossFilter: &dashboard.CrossFilter{Filter: "region"},
					Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
						vals := make([]float64, len(regions))
						for r := range regions {
							for _, pi := range pick(products, p.Values("product")) {
								for _, m := range inPeriod(p.Range("period")) {
									vals[r] += sales(r, pi, m)
								}
							}
						}
						return components.Bar{Description: "Sales by region for " + named(p.Values("product"), "all") + " products, " + period(p) + ".", Categories: regions,
							Series: []components.Series{{Name: "Sales", Values: vals}}, Format: money}, nil
					}},
				{ID: "by-product", Title: "Sales by product (click, or drag across bars)", Width: 6, Filters: []string{"region", "period"},
					CrossFilter: &dashboard.CrossFilter{Filter: "product"},
					Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
						vals := make([]float64, len(products))
						for pi := range products {
							for _, r := range pick(regions, p.Values("region")) {
								for _, m := range inPeriod(p.Range("period")) {
									vals[pi] += sales(r, pi, m)
								}
							}
						}
						return components.Bar{Description: "Sales by product in " + named(p.Values("region"), "all") + " regions, " + period(p) + ".", Categories: products,
							Series: []components.Series{{Name: "Sales", Values: vals}}, Format: money, Horizontal: true}, nil
					}},
			}},
			{Panels: []dashboard.Panel{
				{ID: "trend", Title: "Monthly sales for the selection (drag along it to choose a period)", Filters: []string{"region", "product"},
					CrossFilter: &dashboard.CrossFilter{Filter: "period"},
					Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
						vals := make([]float64, len(months))
						times := make([]time.Time, len(months))
						for m := range months {
							times[m] = monthStart(m)
							for _, r := range pick(regions, p.Values("region")) {
								for _, pi := range pick(products, p.Values("product")) {
									vals[m] += sales(r, pi, m)
								}
							}
						}
						// The area starts at zero (Line does that for filled
						// series) and is not smoothed: the swing reads at
						// its true size.
						return components.Line{Title: fmt.Sprintf("%s · %s", named(p.Values("region"), "All regions"), named(p.Values("product"), "All products")), Times: times,
							Description: fmt.Sprintf("Monthly sales of %s products in %s regions.", named(p.Values("product"), "all"), named(p.Values("region"), "all")),
							Series:      []components.Series{{Name: "Sales", Values: vals, Area: true}}, YFormat: money}, nil
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
