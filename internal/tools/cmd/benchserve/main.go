// Command benchserve serves, side by side, a dashboard's cached panel
// endpoint and a bare net/http handler that writes the same bytes, for
// comparing their throughput with wrk (see scripts/bench-http.sh and
// BENCHMARKS.md).
//
//	go run ./internal/tools/cmd/benchserve -dashboard 127.0.0.1:18081 -bare 127.0.0.1:18082
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

func main() {
	dashAddr := flag.String("dashboard", "127.0.0.1:18081", "address of the dashboard")
	bareAddr := flag.String("bare", "127.0.0.1:18082", "address of the bare handler")
	flag.Parse()

	d, err := dashboard.New("bench", dashboard.Options{
		RefreshInterval: time.Hour, // the panel stays cached for the run
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{{ID: "kpi", Title: "KPI",
			Data: func(context.Context, dashboard.Params) (components.Component, error) {
				return components.MetricCard{
					Title: "Global OEE", Value: 0.784,
					Format:    components.NumberFormat{Style: components.StylePercent, Decimals: 1},
					Trend:     &components.Trend{Change: 0.013, Period: "vs last week"},
					Subtitle:  "15 facilities, 300 machines",
					Sparkline: []float64{0.71, 0.74, 0.73, 0.76, 0.78, 0.77, 0.784},
				}, nil
			}}}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	dash := &http.Server{Addr: *dashAddr, Handler: d, ReadHeaderTimeout: 5 * time.Second}
	go func() { log.Println(dash.ListenAndServe()) }()

	// The bare handler writes exactly what the dashboard answers.
	var body []byte
	for range 50 {
		res, err := http.Get("http://" + *dashAddr + "/panels/kpi")
		if err == nil {
			body, err = io.ReadAll(res.Body)
			res.Body.Close()
			if err == nil && res.StatusCode == http.StatusOK {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if body == nil {
		log.Fatal("the dashboard did not answer")
	}
	bare := &http.Server{Addr: *bareAddr, ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	})}
	go func() { log.Println(bare.ListenAndServe()) }()
	fmt.Printf("ready: %d bytes per response\n", len(body))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = d.Close(shutdown)
	_ = dash.Shutdown(shutdown)
	_ = bare.Shutdown(shutdown)
}
