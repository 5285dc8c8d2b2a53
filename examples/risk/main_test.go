package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/demo"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

var quiet = slog.New(slog.DiscardHandler)

func devConfig(t testing.TB) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	require.NoError(t, err)
	return cfg
}

func TestMarketMovesAndIsReproducible(t *testing.T) {
	ctx := context.Background()
	a, b := newMarket(200, 100, 42), newMarket(200, 100, 42)
	s1, err := a.current(ctx)
	require.NoError(t, err)
	s2, err := b.current(ctx)
	require.NoError(t, err)
	require.Equal(t, s1.report.PnL, s2.report.PnL, "same seed, same market")
	advance := func(n int) *snapshot {
		for range n {
			require.NoError(t, a.advance())
		}
		s, err := a.current(ctx)
		require.NoError(t, err)
		return s
	}
	s3 := advance(30)
	require.Equal(t, s1.report.PnL[30:], s3.report.PnL[:len(s3.report.PnL)-30], "the window moved by 30 days")
	s4 := advance(65) // 95 days in
	s5 := advance(10) // past the end of the buffer: the window slid back
	require.Equal(t, s4.report.PnL[10:], s5.report.PnL[:len(s5.report.PnL)-10], "sliding back keeps the history")
	same, err := a.current(ctx)
	require.NoError(t, err)
	require.Same(t, s5, same, "one computation per tick")
}

func loginAs(t *testing.T, base, user string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/login", url.Values{"user": {user}, "password": {user + "-demo"}, "return": {"/"}})
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode, "login as %s", user)
	return c
}

func TestEveryPanelRendersForEveryRole(t *testing.T) {
	h, d, err := handler(devConfig(t), options{demoUsers: true}, newMarket(2000, 253, 42), quiet)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})
	for user, want := range map[string][]string{
		"viewer":  {"1-day VaR (99%)", "Top 20 risk contributors"},
		"analyst": {"Export CSV"},
		"manager": {`data-filter="sector"`, "Export CSV"},
		"admin":   {`data-filter="sector"`, "Export CSV", "Stress tests"},
	} {
		c := loginAs(t, srv.URL, user)
		res, err := c.Get(srv.URL + "/")
		require.NoError(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		page := string(b)
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.NotContains(t, page, "dk-error", "every panel computed for %s", user)
		for _, w := range want {
			require.Contains(t, page, w, user)
		}
		if user == "viewer" {
			require.NotContains(t, page, "Export CSV")
			require.NotContains(t, page, `data-filter="sector"`)
		}
	}
	res, err := http.Get(srv.URL + "/healthz")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, "health needs no login")
	wrong, err := http.PostForm(srv.URL+"/login", url.Values{"user": {"admin"}, "password": {"admin"}})
	require.NoError(t, err)
	wrong.Body.Close()
	require.Equal(t, http.StatusUnauthorized, wrong.StatusCode)
}

func TestProductionWithoutDemoUsersRefusesThem(t *testing.T) {
	check := demo.Check(false)
	_, err := check(context.Background(), "admin", "admin-demo")
	require.Error(t, err)
}

func TestRunServesAndShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	cfg := devConfig(t)
	cfg.Addr = addr

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, options{instruments: 500, demoUsers: true}, quiet) }()
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 10*time.Second, 20*time.Millisecond)
	require.Equal(t, 0, probe("http://"+addr+"/healthz"), "the container health check")
	require.Equal(t, 1, probe("http://"+addr+"/nope"))
	c := loginAs(t, "http://"+addr, "viewer")
	// An open live-update stream must not hold up the shutdown.
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/events", nil)
	stream, err := c.Do(req)
	require.NoError(t, err)
	defer stream.Body.Close()
	require.Equal(t, "text/event-stream", stream.Header.Get("Content-Type"))
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown waited for the event stream")
	}
}

func TestRunExplainsMissingAssets(t *testing.T) {
	err := run(t.Context(), devConfig(t), options{instruments: 100, assets: t.TempDir()}, quiet)
	require.ErrorContains(t, err, "pass -assets '' to serve the embedded ECharts")
}

// TestBrowserRoles signs in as each role in headless Chromium: every chart
// is drawn, with no console error and no request leaving the machine; the
// viewer has no filter bar and no export link, the admin both. The admin's
// page is the README's screenshot.
func TestBrowserRoles(t *testing.T) {
	b := browsertest.New(t)
	h, d, err := handler(devConfig(t), options{assets: testenv.EChartsDir(t), demoUsers: true}, newMarket(5000, 253, 42), quiet)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})
	for _, role := range []string{"viewer", "analyst", "manager", "admin"} {
		t.Run(role, func(t *testing.T) {
			p := b.Open(t, srv.URL+"/")
			p.WaitFor(`location.pathname === '/login'`)
			p.Do(
				chromedpSetValue("#user", role),
				chromedpSetValue("#password", role+"-demo"),
				chromedpSubmit("form"),
			)
			p.WaitFor(`location.pathname === '/' && document.querySelectorAll('.dk-chart').length === 3`)
			p.WaitFor(allChartsDrawn)
			filters := browsertest.Eval[int](p, `document.querySelectorAll('[data-filter]').length`)
			exports := browsertest.Eval[int](p, `document.querySelectorAll('a.dk-export').length`)
			switch role {
			case "viewer":
				require.Zero(t, filters)
				require.Zero(t, exports)
			case "analyst":
				require.Zero(t, filters)
				require.Equal(t, 1, exports)
			default:
				require.Equal(t, 1, filters)
				require.Equal(t, 1, exports)
			}
			for _, u := range p.Requests() {
				require.True(t, strings.HasPrefix(u, srv.URL+"/") || strings.HasPrefix(u, "data:"), u)
			}
			if role == "admin" {
				p.Screenshot("testdata/screenshots/risk.png")
			}
		})
	}
}

const allChartsDrawn = `(() => [...document.querySelectorAll('.dk-chart')].every(el => {
	if (!window.echarts || !echarts.getInstanceByDom(el)) return false;
	const cv = el.querySelector('canvas');
	if (!cv || !cv.width) return false;
	const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
	let n = 0;
	for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
	return n > 2000;
}))()`

// TestRedisCache runs the example with CACHE_TYPE=redis against the real
// Redis: panels computed by one replica are served from Redis.
func TestRedisCache(t *testing.T) {
	cfg := devConfig(t)
	cfg.Cache = config.CacheRedis
	cfg.RedisURL = testenv.RedisURL(t)
	h, d, err := handler(cfg, options{demoUsers: true}, newMarket(1000, 253, 42), quiet)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})
	c := loginAs(t, srv.URL, "admin")
	res, err := c.Get(srv.URL + "/")
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NotContains(t, string(b), "dk-error")
}

// TestPostgreSQLPrices loads the market from PostgreSQL (seeding it on first
// start), and stores each new day there.
func TestPostgreSQLPrices(t *testing.T) {
	url := testenv.PostgresURL(t)
	schema := "dashkit_risk_" + strings.ToLower(rand.Text()[:8])
	ctx := context.Background()
	p, err := openPrices(ctx, url, schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = p.db.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE")
		p.close()
	})
	m, err := newMarketFrom(ctx, p, 300, 80, 42)
	require.NoError(t, err)
	fresh := newMarket(300, 80, 42)
	s1, err := m.current(ctx)
	require.NoError(t, err)
	s2, err := fresh.current(ctx)
	require.NoError(t, err)
	require.Equal(t, s2.report.PnL, s1.report.PnL, "the seeded history is the synthetic one")
	require.NoError(t, m.advance())
	var days int
	require.NoError(t, p.db.QueryRow(`SELECT COUNT(*) FROM `+p.table).Scan(&days))
	require.Equal(t, 81, days, "the new day was stored")

	// A restart loads the latest 80 days, including the new one.
	again, err := newMarketFrom(ctx, p, 300, 80, 42)
	require.NoError(t, err)
	s3, err := again.current(ctx)
	require.NoError(t, err)
	s4, err := m.current(ctx)
	require.NoError(t, err)
	require.Equal(t, s4.report.PnL, s3.report.PnL)
	_, err = newMarketFrom(ctx, p, 299, 80, 42)
	require.ErrorContains(t, err, "holds 300 prices")
	_, err = openPrices(ctx, url, "Bad-Schema")
	require.Error(t, err)
}

// TestCardTrendIsWhatTheViewerSawBefore: the VaR card's trend compares the
// figure with the one the card showed at the previous update, and says how
// long ago that was; the windows of the card and the timeline are named.
func TestCardTrendIsWhatTheViewerSawBefore(t *testing.T) {
	m := newMarket(2000, 253, 42)
	d, err := newDashboard(m, dashboard.Options{Logger: quiet})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	a := &app{m: m}
	ctx := context.Background()
	first, err := a.varCard(ctx, dashboard.Params{})
	require.NoError(t, err)
	require.Nil(t, first.(components.MetricCard).Trend, "no trend before a second update")
	require.Contains(t, first.(components.MetricCard).Title, "252-day window")
	for ticks := 1; ticks <= 3; ticks++ {
		before := first.(components.MetricCard).Value
		for range ticks {
			require.NoError(t, m.advance())
		}
		next, err := a.varCard(ctx, dashboard.Params{})
		require.NoError(t, err)
		card := next.(components.MetricCard)
		require.NotNil(t, card.Trend)
		require.InDelta(t, card.Value/before-1, card.Trend.Change, 1e-12, "the change from the figure shown before")
		require.Equal(t, fmt.Sprintf("vs %v ago", time.Duration(ticks)*refresh), card.Trend.Period)
		first = next
	}
	tl, err := a.timeline(ctx, dashboard.Params{})
	require.NoError(t, err)
	require.Equal(t, "VaR 99% · 100-day window", tl.(components.Line).Series[1].Name)
}

// TestConfigReachesTheDashboard: MAX_DATA_POINTS caps what the VaR timeline
// sends, and REFRESH_INTERVAL, when set, replaces the market's 5-second
// tick as the panels' interval.
func TestConfigReachesTheDashboard(t *testing.T) {
	for _, tc := range []struct {
		name      string
		maxPoints int
		refresh   time.Duration
		wantMS    string
	}{
		{"defaults", 0, 0, `data-refresh-ms="5000"`},
		{"from the environment", 20, 7 * time.Second, `data-refresh-ms="7000"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := devConfig(t)
			if tc.maxPoints > 0 {
				cfg.MaxDataPoints = tc.maxPoints
			}
			cfg.RefreshInterval = tc.refresh
			h, d, err := handler(cfg, options{demoUsers: true}, newMarket(500, 253, 42), quiet)
			require.NoError(t, err)
			srv := httptest.NewServer(h)
			t.Cleanup(func() {
				_ = d.Close(context.Background())
				srv.Close()
			})
			c := loginAs(t, srv.URL, "admin")
			res, err := c.Get(srv.URL + "/")
			require.NoError(t, err)
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			require.Contains(t, string(page), tc.wantMS)

			res, err = c.Get(srv.URL + "/panels/timeline")
			require.NoError(t, err)
			var update struct {
				Option struct {
					Series []struct {
						Data []json.RawMessage `json:"data"`
					} `json:"series"`
				} `json:"option"`
			}
			require.NoError(t, json.NewDecoder(res.Body).Decode(&update))
			res.Body.Close()
			require.NotEmpty(t, update.Option.Series)
			for _, s := range update.Option.Series {
				if tc.maxPoints > 0 {
					require.LessOrEqual(t, len(s.Data), tc.maxPoints, "MAX_DATA_POINTS caps every series")
				} else {
					require.Greater(t, len(s.Data), 100, "the default sends the whole timeline")
				}
			}
		})
	}
}

// TestEveryIntervalHasItsOwnUpdate: the market ticks at the start of every
// refresh interval, so each interval's update of a panel that shows the
// newest day (the VaR timeline) is new, and a viewer gets one per interval,
// with no interval missing. Before, the market ticked on a clock of its
// own (every 5 s from the start, whatever REFRESH_INTERVAL said), so an
// interval's computation could read the previous interval's market: the
// same update, which the dashboard does not send again.
func TestEveryIntervalHasItsOwnUpdate(t *testing.T) {
	cfg := devConfig(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	cfg.Addr = ln.Addr().String()
	ln.Close()
	cfg.RefreshInterval = 2 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, cfg, options{instruments: 200, demoUsers: true}, quiet) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-errc)
	})
	base := "http://" + cfg.Addr
	require.Eventually(t, func() bool {
		res, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 20*time.Second, 20*time.Millisecond)
	c := loginAs(t, base, "viewer")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/events", nil)
	require.NoError(t, err)
	res, err := c.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)

	// The timeline's place in the stream's ID is the one its frames move.
	var epochs []int64
	var prev []string
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	var id string
	deadline := time.AfterFunc(6*cfg.RefreshInterval, func() { res.Body.Close() })
	defer deadline.Stop()
	for len(epochs) < 4 && sc.Scan() {
		line := sc.Text()
		if s, ok := strings.CutPrefix(line, "id: "); ok {
			id = s
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok || id == "" {
			continue
		}
		next := strings.Split(id, ".")
		if prev == nil {
			prev = strings.Split(strings.Repeat("0.", len(next)-1)+"0", ".") // a new stream's position
		}
		for i := range next {
			if prev[i] == next[i] {
				continue
			}
			if strings.Contains(data, `"panel":"timeline"`) {
				e, err := strconv.ParseInt(next[i], 10, 64)
				require.NoError(t, err)
				epochs = append(epochs, e)
			}
			break
		}
		prev, id = next, ""
	}
	require.Len(t, epochs, 4, "the timeline's first paint and three intervals' updates within six intervals: %v", epochs)
	for i := 1; i < len(epochs); i++ {
		require.Equal(t, epochs[i-1]+1, epochs[i], "one update for every interval, none missing: %v", epochs)
	}
}
