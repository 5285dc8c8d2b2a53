package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// dbProxy stands between the example and the real PostgreSQL, on
// 127.0.0.1, in one of three modes: a black hole (accepts, never answers,
// as a dropping firewall does), forwarding, or down (every connection
// closed at once). It only ever dials the upstream the test names.
type dbProxy struct {
	ln       net.Listener
	upstream string

	mu    sync.Mutex
	mode  string // "blackhole", "forward" or "down"
	conns map[net.Conn]bool
}

func newDBProxy(t *testing.T, upstream, mode string) *dbProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &dbProxy{ln: ln, upstream: upstream, mode: mode, conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.set("down")
	})
	return p
}

func (p *dbProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		mode := p.mode
		if mode != "down" {
			p.conns[c] = true
		}
		p.mu.Unlock()
		switch mode {
		case "down":
			c.Close()
		case "forward":
			go p.forward(c)
		} // a black hole holds c and never reads it
	}
}

func (p *dbProxy) forward(c net.Conn) {
	up, err := net.DialTimeout("tcp", p.upstream, 2*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[up] = true
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); up.Close() }()
	_, _ = io.Copy(c, up)
	c.Close()
}

// set changes the mode; leaving forwarding, or going down, closes every
// open connection.
func (p *dbProxy) set(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = mode
	if mode == "down" || mode == "forward" {
		for c := range p.conns {
			c.Close()
		}
		clear(p.conns)
	}
}

// eventually polls f until it returns true or within passes.
func eventually(t *testing.T, within time.Duration, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func status(t *testing.T, c *http.Client, url string) int {
	t.Helper()
	res, err := c.Get(url)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// Rows "database down at start" and "database down mid-run". With a
// black-holed DATABASE_URL the example hung at startup forever; with the
// database killed, /readyz stayed ready while panels served stale data.
// Now it starts within 10 s, answers /readyz 503 and its panels 503 while
// the database is away, at start or mid-run, and recovers without a
// restart when the database returns.
func TestDatabaseOutages(t *testing.T) {
	pg := testenv.PostgresURL(t)
	u, err := url.Parse(pg)
	require.NoError(t, err)
	proxy := newDBProxy(t, u.Host, "blackhole")
	u.Host = proxy.ln.Addr().String()

	cfg := devConfig(t)
	cfg.DatabaseURL = u.String()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	cfg.Addr = ln.Addr().String()
	ln.Close()
	base := "http://" + cfg.Addr
	schema := "dashkit_outage_" + strings.ToLower(rand.Text()[:8])
	t.Cleanup(func() {
		db, err := sql.Open("pgx", pg)
		if err == nil {
			_, _ = db.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE")
			db.Close()
		}
	})
	// The defaults' connect and operation timeouts; a short refresh so
	// that recovery takes seconds.
	o := options{schema: schema, history: 4, demoUsers: true, refresh: 500 * time.Millisecond}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- run(ctx, cfg, o, quiet) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			require.NoError(t, err)
		case <-time.After(15 * time.Second):
			t.Error("run did not return after its context ended")
		}
	})
	plain := &http.Client{Timeout: 15 * time.Second}
	eventually(t, 10*time.Second, "the example serves /healthz", func() bool {
		res, err := plain.Get(base + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	t.Logf("started in %v with a black-holed database", time.Since(start).Round(time.Millisecond))
	require.Less(t, time.Since(start), 10*time.Second)

	viewer := loginAs(t, base, "viewer")
	panels := []string{"/panels/oee", "/panels/comparison", "/panels/pareto"}
	down := func(phase string) {
		t.Helper()
		eventually(t, 15*time.Second, phase+": /readyz 503", func() bool { return status(t, plain, base+"/readyz") == http.StatusServiceUnavailable })
		for _, p := range panels {
			eventually(t, 15*time.Second, phase+": "+p+" in error", func() bool { return status(t, viewer, base+p) == http.StatusServiceUnavailable })
		}
	}
	up := func(phase string) {
		t.Helper()
		eventually(t, 30*time.Second, phase+": /readyz 200", func() bool { return status(t, plain, base+"/readyz") == http.StatusOK })
		for _, p := range panels {
			eventually(t, 15*time.Second, phase+": "+p+" served", func() bool { return status(t, viewer, base+p) == http.StatusOK })
		}
	}
	down("black hole at start")
	proxy.set("forward")
	up("database back")
	proxy.set("down")
	down("database gone mid-run")
	proxy.set("forward")
	up("database back again")
}
