package demo_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/demo"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// faultyListener accepts connections and hands them to serve; Close stops
// everything it started.
type faultyListener struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
}

func listen(t *testing.T, serve func(net.Conn)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f := &faultyListener{ln: ln}
	f.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.track(c)
			f.wg.Go(func() { serve(c) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		f.mu.Lock()
		for _, c := range f.conns {
			c.Close()
		}
		f.mu.Unlock()
		f.wg.Wait()
	})
	return ln.Addr().String()
}

func (f *faultyListener) track(c net.Conn) {
	f.mu.Lock()
	f.conns = append(f.conns, c)
	f.mu.Unlock()
}

// slowProxy forwards to upstream, delaying every byte by delay in both
// directions, as a congested link to Redis would.
func slowProxy(t *testing.T, upstream string, delay time.Duration) string {
	var mu sync.Mutex
	var ups []net.Conn
	t.Cleanup(func() {
		mu.Lock()
		for _, c := range ups {
			c.Close()
		}
		mu.Unlock()
	})
	return listen(t, func(c net.Conn) {
		defer c.Close()
		u, err := net.Dial("tcp", upstream)
		if err != nil {
			return
		}
		mu.Lock()
		ups = append(ups, u)
		mu.Unlock()
		defer u.Close()
		gone := make(chan struct{})
		var once sync.Once
		hangUp := func() { once.Do(func() { close(gone); u.Close(); c.Close() }) }
		var wg sync.WaitGroup
		wg.Go(func() { delayed(u, c, delay, gone); hangUp() })
		delayed(c, u, delay, gone)
		hangUp()
		wg.Wait()
	})
}

// delayed copies src to dst, writing each chunk delay after it was read,
// until gone is closed (either side hung up).
func delayed(dst io.Writer, src io.Reader, delay time.Duration, gone <-chan struct{}) {
	type chunk struct {
		at time.Time
		b  []byte
	}
	q := make(chan chunk, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ch := range q {
			select {
			case <-time.After(time.Until(ch.at)):
			case <-gone:
			}
			if _, err := dst.Write(ch.b); err != nil {
				for range q {
				}
				return
			}
		}
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			q <- chunk{time.Now().Add(delay), slices.Clone(buf[:n])}
		}
		if err != nil {
			break
		}
	}
	close(q)
	<-done
}

// blackHole accepts connections and never answers.
func blackHole(t *testing.T) string {
	return listen(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
}

// Hardening #15, rows "Redis slow / black-holed / refused": with the
// examples' Redis cache behind a 5 s-per-byte proxy, a black hole, or a
// closed port, panel GETs at 100 per second stay under the store's timeout
// plus the panel's computation (p99 < 300 ms), and the goroutine count stays
// flat. On main the examples' client ignored the store's deadline (p99 was
// 5 s). DASHKIT_SLOW_REDIS_SECONDS sets the duration of each run (default 3;
// the done-when is 20).
func TestPanelsStayFastWhenRedisIsSlow(t *testing.T) {
	real := testenv.PrivateRedis(t).Addr()
	seconds := 3
	if v := os.Getenv("DASHKIT_SLOW_REDIS_SECONDS"); v != "" {
		var err error
		seconds, err = strconv.Atoi(v)
		require.NoError(t, err)
	}
	for _, tc := range []struct {
		name string
		addr func(t *testing.T) string
	}{
		{"slow: every byte delayed 5 s", func(t *testing.T) string { return slowProxy(t, real, 5*time.Second) }},
		{"black-holed", blackHole},
		{"refused", func(t *testing.T) string { return "127.0.0.1:" + freePort(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := tc.addr(t)
			var logs strings.Builder
			var logMu sync.Mutex
			logger := slog.New(slog.NewTextHandler(writerFunc(func(b []byte) (int, error) {
				logMu.Lock()
				defer logMu.Unlock()
				return logs.Write(b)
			}), nil))
			cfg := config.Config{Cache: config.CacheRedis, RedisURL: "redis://" + addr + "/0"}
			shared, err := demo.Share(t.Context(), cfg, "slow", logger)
			require.NoError(t, err)
			t.Cleanup(func() { _ = shared.Close() })
			store := shared.Store
			const compute = 20 * time.Millisecond
			d, err := dashboard.New("slow redis", dashboard.Options{
				CacheStore: store, Logger: logger, RefreshInterval: time.Second,
				Rows: []dashboard.Row{{Panels: []dashboard.Panel{{ID: "p", Title: "P", Data: func(ctx context.Context, _ dashboard.Params) (components.Component, error) {
					time.Sleep(compute)
					return components.MetricCard{Title: "p", Value: 1}, nil
				}}}}},
			})
			require.NoError(t, err)
			srv := httptest.NewServer(d)
			t.Cleanup(func() {
				require.NoError(t, d.Close(context.Background()))
				srv.Close()
			})
			client := srv.Client()
			client.Timeout = 10 * time.Second

			var (
				mu        sync.Mutex
				latencies []time.Duration
				failures  int
				wg        sync.WaitGroup
			)
			tick := time.NewTicker(10 * time.Millisecond) // 100 per second
			defer tick.Stop()
			end := time.Now().Add(time.Duration(seconds) * time.Second)
			var goroutines []int
			for i := 0; time.Now().Before(end); i++ {
				<-tick.C
				if i%100 == 50 {
					goroutines = append(goroutines, served())
				}
				wg.Go(func() {
					start := time.Now()
					res, err := client.Get(srv.URL + "/panels/p")
					took := time.Since(start)
					mu.Lock()
					defer mu.Unlock()
					if err != nil || res.StatusCode != http.StatusOK {
						failures++
					}
					if err == nil {
						_, _ = io.Copy(io.Discard, res.Body)
						res.Body.Close()
					}
					latencies = append(latencies, took)
				})
			}
			wg.Wait()
			slices.Sort(latencies)
			p99 := latencies[len(latencies)*99/100]
			t.Logf("%d GETs in %d s: p50 %v, p99 %v, max %v; goroutines each second %v", len(latencies), seconds, latencies[len(latencies)/2], p99, latencies[len(latencies)-1], goroutines)
			require.Zero(t, failures, "every GET answers 200 with the computed panel")
			bound := 300 * time.Millisecond
			if want := seconds * 100; len(latencies) < want*8/10 {
				// The machine is so loaded that the test could not even
				// send its requests on time (a ticker drops ticks): what
				// it measures then is the scheduler. Without the bound,
				// a GET waits for go-redis's ReadTimeout (3 s) or the
				// proxy (5 s), so 1 s still tells the two apart.
				t.Logf("only %d of %d requests sent on time: the machine is overloaded; checking p99 < 1 s instead of 300 ms", len(latencies), want)
				bound = time.Second
			}
			require.Less(t, p99, bound, "p99 stays under the store's timeout plus the computation")
			require.LessOrEqual(t, slices.Max(goroutines), goroutines[0]+40, "goroutines stay flat: %v", goroutines)
			logMu.Lock()
			defer logMu.Unlock()
			_ = fmt.Sprint(logs.String()) // go-redis's own lines (if any) arrive here, through slog
		})
	}
}

// served counts the goroutines but the test's own proxies and listeners:
// what the dashboard and its Redis client run.
func served() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if !strings.Contains(g, "demo_test.") {
			count++
		}
	}
	return count
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
