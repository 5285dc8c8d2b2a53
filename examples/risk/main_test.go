package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/browsertest"
	"github.com/dashkit/dashkit/internal/testenv"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestFeedIsDeterministicPerTickAndMoves(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	a := newFeed(42, fixedClock(at)).snapshot(100)
	b := newFeed(42, fixedClock(at)).snapshot(100)
	require.Equal(t, a, b, "same seed and tick, same market")
	c := newFeed(42, fixedClock(at)).snapshot(101)
	require.NotEqual(t, a.Scores, c.Scores, "the market moves every tick")
	for _, row := range a.Scores {
		require.Len(t, row, len(riskTypes))
		for _, v := range row {
			require.True(t, v >= 0 && v <= 100, "score %v in 0..100", v)
		}
	}
}

func TestPageServesBothPanels(t *testing.T) {
	d, err := newDashboard(newFeed(42, time.Now), nil, quiet)
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	page := rec.Body.String()
	require.Contains(t, page, "Mean risk score")
	require.Contains(t, page, `class="dk-chart" id="heatmap"`)
	require.NotContains(t, page, "dk-error")
}

func TestRunServesAndShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx, addr, "", quiet) }()
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 5*time.Second, 20*time.Millisecond)
	// An open live-update stream must not hold up the shutdown.
	stream, err := http.Get("http://" + addr + "/events")
	require.NoError(t, err)
	defer stream.Body.Close()
	require.Equal(t, "text/event-stream", stream.Header.Get("Content-Type"))
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("shutdown waited for the event stream")
	}
	_, err = io.ReadAll(stream.Body)
	require.NoError(t, err, "the stream ended cleanly")
}

func TestRunExplainsMissingAssets(t *testing.T) {
	err := run(t.Context(), "127.0.0.1:0", t.TempDir(), quiet)
	require.ErrorContains(t, err, "make assets")
}

// TestBrowserRiskPage is what `make run` shows a newcomer: the card and the
// heatmap drawn by the locally installed ECharts, no console error, no
// request leaving the machine.
func TestBrowserRiskPage(t *testing.T) {
	b := browsertest.New(t)
	d, err := newDashboard(newFeed(42, time.Now), os.DirFS(testenv.EChartsDir(t)), quiet)
	require.NoError(t, err)
	srv := httptest.NewServer(d)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})

	p := b.Open(t, srv.URL+"/")
	p.WaitFor(`(() => {
		const el = document.getElementById('heatmap');
		if (!el || !window.echarts || !echarts.getInstanceByDom(el)) return false;
		const cv = el.querySelector('canvas');
		const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
		let n = 0;
		for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
		return n > 10000;
	})()`)
	require.Equal(t, "Mean risk score", strings.TrimSpace(browsertest.Eval[string](p, `document.getElementById('score-title').textContent`)))
	for _, u := range p.Requests() {
		require.True(t, strings.HasPrefix(u, srv.URL+"/") || strings.HasPrefix(u, "data:"), u)
	}
	p.Screenshot("testdata/screenshots/risk.png")
}
