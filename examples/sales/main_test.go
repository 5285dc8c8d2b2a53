package main

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/dashboard/dashboardtest"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
)

var quiet = slog.New(slog.DiscardHandler)

// testApp is the service on sample orders ending at a fixed time.
func testApp(t *testing.T) *app {
	t.Helper()
	path := filepath.Join(t.TempDir(), "orders.csv")
	require.NoError(t, writeSampleOrders(path, 200_000, time.Now()))
	cfg, err := config.Load(func(string) string { return "" }, quiet)
	require.NoError(t, err)
	a, err := newApp(t.Context(), cfg, path, "Europe/Paris", quiet)
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.dashboard.Close(context.Background()) })
	return a
}

// TestDataFunctionsThroughTheHelper tests the data functions alone, as the
// guide's step 6 does: no server, no dashboard.
func TestDataFunctionsThroughTheHelper(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	now := time.Date(2026, 3, 29, 12, 0, 0, 0, paris) // the day clocks go forward
	s := &sales{loc: paris, now: func() time.Time { return now }, orders: []Order{
		{At: now.Add(-13 * time.Hour), Region: "north", Product: "product-01", Revenue: 100}, // yesterday, 23:00
		{At: now.Add(-2 * time.Hour), Region: "north", Product: "product-01", Revenue: 20},
		{At: now.Add(-1 * time.Hour), Region: "south", Product: "product-02", Revenue: 3721415.499999999},
	}}
	res, err := dashboardtest.Call(t.Context(), s.revenueToday, "region=north")
	require.NoError(t, err)
	require.Equal(t, 20.0, res.Component.(components.MetricCard).Value, "local midnight, not UTC's")

	res, err = dashboardtest.Call(t.Context(), s.revenuePerHour, "")
	require.NoError(t, err)
	line := res.Component.(components.Line)
	require.Equal(t, []string{"North", "South"}, []string{line.Series[0].Name, line.Series[1].Name})
	require.Len(t, line.Times, 13, "23:00 to 11:00 local: 13 hours, one of them skipped by the clocks")
	require.Equal(t, components.KindChart, res.Update.Kind)

	res, err = dashboardtest.Call(t.Context(), s.topProducts, "")
	require.NoError(t, err)
	rec, err := res.Component.(components.Table).Records()
	require.NoError(t, err)
	require.Equal(t, []string{"product-02", "1", "3721415.50"}, rec[1])
}

// TestBrowserSalesJourney signs in as the manager: every chart draws, a
// click on the East bar filters the other panels, the export link gives the
// view's CSV, and "All regions" clears the filter. The viewer reads the same
// page without the controls. Nothing leaves the machine.
func TestBrowserSalesJourney(t *testing.T) {
	b := browsertest.New(t, browsertest.DenyRemote())
	srv := httptest.NewServer(testApp(t).handler)
	t.Cleanup(srv.Close)

	signIn := func(user string) *browsertest.Page {
		p := b.Open(t, srv.URL+"/sales/")
		p.WaitFor(`location.pathname === '/login'`)
		p.Do(
			chromedp.SetValue(chromedp.CSS("#user"), user),
			chromedp.SetValue(chromedp.CSS("#password"), user+"-pass"),
			chromedp.Submit(chromedp.CSS("form")),
		)
		p.WaitFor(`location.pathname === '/sales/' && document.documentElement.dataset.dkStatus === 'live'`)
		p.WaitFor(`['per-hour', 'by-region'].every(id => { const c = echarts.getInstanceByDom(document.getElementById(id)); return c && c.getOption().series[0].data.length > 0; })`)
		return p
	}

	p := signIn("manager")
	require.Equal(t, "Revenue today", browsertest.Eval[string](p, `document.getElementById('panel-today-title').textContent`))
	require.False(t, browsertest.Eval[bool](p, `document.querySelector('#today .dk-card-title') !== null`), "the card does not repeat its panel's title")
	require.Equal(t, 4, browsertest.Eval[int](p, `echarts.getInstanceByDom(document.getElementById('per-hour')).getOption().series.length`))
	p.Do(chromedp.Sleep(300 * time.Millisecond)) // the bars' entry animation
	xy := browsertest.Eval[[]float64](p, `(() => {
		const el = document.getElementById('by-region');
		el.scrollIntoView({block: 'center', behavior: 'instant'});
		const chart = echarts.getInstanceByDom(el);
		const east = chart.getOption().series[0].data[0].value; // categories are sorted: East first
		const [x, y] = chart.convertToPixel({seriesIndex: 0}, ['East', east / 2]);
		const r = el.getBoundingClientRect();
		return [r.left + x, r.top + y];
	})()`)
	p.Do(chromedp.MouseClickXY(xy[0], xy[1]))
	p.WaitFor(`location.search === '?region=east'`)
	p.WaitFor(`echarts.getInstanceByDom(document.getElementById('per-hour')).getOption().series.length === 1`)
	require.Equal(t, "east", browsertest.Eval[string](p, `document.getElementById('filter-region-input').value`))
	require.True(t, browsertest.Eval[bool](p, `document.querySelector('#panel-top a.dk-export') !== null`), "the manager may export")
	csv := browsertest.Eval[string](p, `fetch('export/top.csv' + location.search).then(r => r.text())`)
	require.True(t, strings.HasPrefix(csv, "product,orders,revenue\n"), csv)
	require.Regexp(t, regexp.MustCompile(`\nproduct-\d\d,\d+,\d+\.\d\d\n`), csv, "the revenue column's two decimals")

	p.Do(chromedp.SetValue(chromedp.CSS(`#filter-region-input`), ""))
	p.WaitFor(`location.search === '' && echarts.getInstanceByDom(document.getElementById('per-hour')).getOption().series.length === 4`)

	v := signIn("viewer")
	require.False(t, browsertest.Eval[bool](v, `document.getElementById('filter-region-input') !== null`), "no dropdown for a viewer")
	require.False(t, browsertest.Eval[bool](v, `document.querySelector('a[href*="export/"]') !== null`), "no export for a viewer")
	for _, u := range append(p.Requests(), v.Requests()...) {
		require.True(t, strings.HasPrefix(u, srv.URL) || strings.HasPrefix(u, "data:"), u)
	}
}

// TestServeShutsDownWithAStreamOpen: a signed-in viewer's open event
// stream does not hold the shutdown up; /metrics answers without a session.
func TestServeShutsDownWithAStreamOpen(t *testing.T) {
	a := testApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, a) }()

	res, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := &http.Client{Jar: jar}
	res, err = client.PostForm(base+"/login", url.Values{"user": {"viewer"}, "password": {"viewer-pass"}, "return": {"/sales/"}})
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	stream, err := client.Get(base + "/sales/events")
	require.NoError(t, err)
	defer stream.Body.Close()
	require.Equal(t, "text/event-stream", stream.Header.Get("Content-Type"))
	line, err := bufio.NewReader(stream.Body).ReadString('\n')
	require.NoError(t, err, line)

	start := time.Now()
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
		require.Less(t, time.Since(start), 5*time.Second)
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown waited for the event stream")
	}
}

// TestGuideIsThisProgram: every Go block of docs/getting-started.md is a
// piece of this directory's sources, so the guide compiles as the program
// does and cannot drift from it.
func TestGuideIsThisProgram(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join("..", "..", "docs", "getting-started.md"))
	require.NoError(t, err)
	var sources strings.Builder
	for _, name := range []string{"main.go", "orders.go", "dashboard.go", "main_test.go", "example_test.go"} {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		sources.Write(b)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllSubmatch(guide, -1)
	require.GreaterOrEqual(t, len(blocks), 6)
	for _, b := range blocks {
		require.Contains(t, sources.String(), string(b[1]), "a block of the guide is not in examples/sales")
	}
}
