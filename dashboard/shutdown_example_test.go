package dashboard_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// The graceful shutdown recipe: on SIGTERM, close the dashboards first, so
// their event streams end and Shutdown does not wait for them, then shut
// the server down, which finishes the requests in flight. A Close that
// timed out can be called again once Shutdown is done.
func Example_gracefulShutdown() {
	d, err := dashboard.New("Operations", dashboard.Options{
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{{
			ID: "orders", Title: "Orders today",
			Data: func(context.Context, dashboard.Params) (components.Component, error) {
				return components.MetricCard{Title: "Orders", Value: 1234}, nil
			},
		}}}},
	})
	if err != nil {
		panic(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: d, ReadHeaderTimeout: 5 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	// A viewer is watching: an event stream is open.
	res, err := http.Get("http://" + ln.Addr().String() + "/events")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	stream := bufio.NewScanner(res.Body)
	for stream.Scan() && !strings.HasPrefix(stream.Text(), "data:") {
	}

	// SIGTERM arrives (signal.NotifyContext in a real main).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	closeErr := d.Close(ctx)
	shutdownErr := srv.Shutdown(ctx)
	if closeErr != nil {
		closeErr = d.Close(ctx) // the requests are done now: the retry completes
	}
	for stream.Scan() {
	}
	fmt.Println("dashboard closed:", closeErr)
	fmt.Println("server shut down:", shutdownErr)
	fmt.Println("stream ended:", stream.Err() == nil)
	fmt.Println("serve returned:", errors.Is(<-served, http.ErrServerClosed))
	// Output:
	// dashboard closed: <nil>
	// server shut down: <nil>
	// stream ended: true
	// serve returned: true
}

// The same with the dashboard registered on the server: Shutdown starts
// Close (RegisterOnShutdown), so an open event stream ends and Shutdown
// returns without waiting for its deadline; a second Close waits for the
// first and returns its result.
func Example_registerOnShutdown() {
	d, err := dashboard.New("Operations", dashboard.Options{
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{{
			ID: "orders", Title: "Orders today",
			Data: func(context.Context, dashboard.Params) (components.Component, error) {
				return components.MetricCard{Title: "Orders today", Value: 1234}, nil
			},
		}}}},
	})
	if err != nil {
		panic(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: d, ReadHeaderTimeout: 5 * time.Second}
	srv.RegisterOnShutdown(func() { _ = d.Close(context.Background()) })
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	res, err := http.Get("http://" + ln.Addr().String() + "/events")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	stream := bufio.NewScanner(res.Body)
	for stream.Scan() && !strings.HasPrefix(stream.Text(), "data:") {
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	shutdownErr := srv.Shutdown(ctx)
	for stream.Scan() {
	}
	fmt.Println("server shut down:", shutdownErr, time.Since(start) < 5*time.Second)
	fmt.Println("dashboard closed:", d.Close(ctx))
	fmt.Println("serve returned:", errors.Is(<-served, http.ErrServerClosed))
	// Output:
	// server shut down: <nil> true
	// dashboard closed: <nil>
	// serve returned: true
}
