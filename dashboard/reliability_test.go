package dashboard_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// TestReliabilityRows replays the acceptance rows of hardening #15 that the
// dashboard answers by itself, one subtest per row, named after it. Rows
// that need real servers or processes live beside what they test and are
// named the same way: secrets (config.TestPublishedSecretsAreRefused,
// examples/risk.TestProductionRefusesThePublishedSecret), Redis
// slow/black-holed/refused (internal/tools/demo.TestPanelsStayFastWhenRedisIsSlow),
// role × route (internal/tools/demo.TestRoleByRoute), stream caps
// (TestStreamCaps), cross-site export (TestExportRefusesCrossSiteRequests),
// CSV injection (TestNeutraliseEveryFormulaPrefix, FuzzNeutralise), login
// body size, lockout and cookie flags (auth.TestReliabilityRows,
// redislimiter.TestLockoutRowsAcrossReplicas), slowloris
// (internal/tools/demo.TestReliabilityRows). The parsers a request reaches
// have fuzz targets: FuzzViewQuery, FuzzSelectionQuery, FuzzSSEEncoder,
// FuzzStreamFrame, FuzzNeutralise, config.FuzzLoad,
// connectors.FuzzDecodeJSON and FuzzDecodeNDJSON.
func TestReliabilityRows(t *testing.T) {
	var panics atomic.Int64
	var logs strings.Builder
	d := newDashboard(t, dashboard.Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "rows", Title: "Rows", Export: true, Data: table},
			{ID: "boom", Title: "Boom", Data: func(context.Context, dashboard.Params) (components.Component, error) {
				panics.Add(1)
				panic("boom")
			}},
		}}},
	})
	do := func(target string, header ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.RawQuery = ""
		if path, query, ok := strings.Cut(target, "?"); ok {
			req.URL.Path, req.URL.RawQuery = path, query
		} else {
			req.URL.Path = target
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, req)
		return rec
	}

	t.Run("query with ';' → 400, not the default view", func(t *testing.T) {
		require.Equal(t, http.StatusBadRequest, do("/panels/rows?a=1;b=2").Code)
	})
	t.Run("query with more than 10,000 parameters → 400", func(t *testing.T) {
		q := strings.Repeat("x=1&", 10_001)
		require.Equal(t, http.StatusBadRequest, do("/panels/rows?"+q).Code)
	})
	t.Run("a 400 never echoes a 500 KB value", func(t *testing.T) {
		rec := do("/panels/rows?" + strings.Repeat("v", 500<<10) + "=1")
		require.Equal(t, http.StatusBadRequest, rec.Code)
		require.Less(t, rec.Body.Len(), 16<<10, "the answer is clipped")
	})
	t.Run("cross-site export → 403", func(t *testing.T) {
		require.Equal(t, http.StatusForbidden, do("/export/rows.csv", "Sec-Fetch-Site", "cross-site").Code)
		require.Equal(t, http.StatusOK, do("/export/rows.csv", "Sec-Fetch-Site", "same-origin").Code)
	})
	t.Run("CSP: scripts by nonce only", func(t *testing.T) {
		csp := do("/").Header().Get("Content-Security-Policy")
		require.Contains(t, csp, "script-src 'nonce-")
		require.NotContains(t, csp, "unsafe-eval")
	})
	t.Run("a panicking panel is negatively cached: one stack, not one per request", func(t *testing.T) {
		for range 20 {
			require.NotEqual(t, http.StatusOK+1, do("/panels/boom").Code)
		}
		require.LessOrEqual(t, panics.Load(), int64(2), "the panic is served from the cache for a while")
		require.LessOrEqual(t, strings.Count(logs.String(), "panicked"), 4)
	})
	t.Run("Close with open streams: every stream ends within Close's bound, nothing leaks", func(t *testing.T) {
		closeWithOpenStreams(t)
	})
}

// closeWithOpenStreams is the row "Close with open streams": 30 viewers
// reading their streams and one that stopped reading while large updates
// kept coming (the server is blocked writing to it); Close with a 2-second
// bound returns nil within it, every stream ends, and no goroutine is
// left.
func closeWithOpenStreams(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var n atomic.Int64
	big := func(context.Context, dashboard.Params) (components.Component, error) {
		// A new 256 kB update every 20 ms: a viewer that stops reading
		// fills its socket within a second or two.
		cell := fmt.Sprintf("update %d %s", n.Add(1), strings.Repeat("x", 256<<10))
		return components.Table{Columns: []components.Column{{Key: "r", Title: "R", Text: []string{cell}}}}, nil
	}
	d, err := dashboard.New("Close", dashboard.Options{
		Assets:    fakeECharts,
		Heartbeat: 100 * time.Millisecond,
		Authorizer: role(map[string][]string{
			"viewer":  {"read"},
			"stalled": {"read", "big"},
		}),
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "kpi", Title: "KPI", Permission: "read", Data: card("KPI", 7)},
			{ID: "big", Title: "Big", Permission: "big", Refresh: 20 * time.Millisecond, Data: big},
		}}},
	})
	require.NoError(t, err)
	// Small send buffers on the server's side: the stalled viewer's
	// socket fills with the first update or two, not after megabytes of
	// them (which a loaded CI machine took over 20 s to render).
	srv := httptest.NewUnstartedServer(d)
	srv.Listener = smallSendBuffers{srv.Listener}
	srv.Start()
	defer srv.Close()
	defer func() { _ = d.Close(context.Background()) }() // after a failure: else srv.Close waits for the streams
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	const viewers = 30
	ended := make(chan error, viewers)
	for range viewers {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/events", nil)
		require.NoError(t, err)
		req.Header.Set("X-Test-Role", "viewer")
		res, err := client.Do(req)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode)
		first, err := bufio.NewReader(res.Body).ReadString('\n')
		require.NoError(t, err, first)
		go func() {
			_, err := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			ended <- err
		}()
	}
	stalled, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer stalled.Close()
	_, err = io.WriteString(stalled, "GET /events HTTP/1.1\r\nHost: x\r\nX-Test-Role: stalled\r\n\r\n")
	require.NoError(t, err)
	// Never read: wait until the server's writes back up (a 256 kB
	// update fills the buffers; ten have been made by then).
	require.NoError(t, stalled.(*net.TCPConn).SetReadBuffer(4<<10))
	require.Eventually(t, func() bool { return n.Load() > 10 }, 60*time.Second, 10*time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	require.NoError(t, d.Close(ctx), "every stream ended within the bound")
	require.Less(t, time.Since(start), 2*time.Second)
	for range viewers {
		select {
		case err := <-ended:
			require.NoError(t, err, "the stream ended cleanly")
		case <-time.After(time.Second):
			t.Fatal("a viewer's stream is still open after Close")
		}
	}
	stalled.Close()
	srv.Close()
	tr.CloseIdleConnections()
}

// smallSendBuffers gives every accepted connection a 32 kB send buffer.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(32 << 10)
	}
	return c, err
}
