package dashboard_test

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/assets/echarts"
	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

var fakeECharts = fstest.MapFS{"echarts.min.js": {Data: []byte("/* echarts */")}}

func card(title string, v float64) dashboard.DataFunc {
	return func(context.Context, dashboard.Params) (components.Component, error) {
		return components.MetricCard{Title: title, Value: v}, nil
	}
}

func heat(context.Context, dashboard.Params) (components.Component, error) {
	return components.Heatmap{
		Title:   "Risk",
		XLabels: []string{"Market", "Credit"},
		YLabels: []string{"Energy", "Tech"},
		Values:  [][]float64{{1, 2}, {3, 4}},
	}, nil
}

func newDashboard(t *testing.T, opts dashboard.Options) *dashboard.Dashboard {
	t.Helper()
	if opts.Rows == nil {
		opts.Rows = []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "orders", Title: "Orders", Width: 4, Data: card("Orders today", 1234)},
			{ID: "risk", Title: "Risk map", Data: heat},
		}}}
	}
	if opts.Assets == nil {
		opts.Assets = fakeECharts
	}
	d, err := dashboard.New("Ops <Board>", opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, d.Close(context.Background())) })
	return d
}

func get(t *testing.T, h http.Handler, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(b)
}

func TestPageHasFirstDataAndLayout(t *testing.T) {
	res := get(t, newDashboard(t, dashboard.Options{}), "/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	page := body(t, res)

	require.Contains(t, page, "<title>Ops &lt;Board&gt;</title>")
	require.Contains(t, page, `<div class="dk-card-value">1,234</div>`, "first paint carries the data")
	require.Contains(t, page, `class="dk-chart" id="risk"`)
	require.Contains(t, page, `data-option="{&#34;`)
	require.Contains(t, page, `class="dk-panel dk-w-4" id="panel-orders"`)
	require.Contains(t, page, `class="dk-panel dk-w-8" id="panel-risk"`, "a zero width takes what the row leaves")
	require.Contains(t, page, `data-refresh-ms="30000"`)
}

func TestCSPNonceMatchesEveryScriptAndChangesPerRequest(t *testing.T) {
	d := newDashboard(t, dashboard.Options{})
	nonces := map[string]bool{}
	for range 2 {
		res := get(t, d, "/")
		csp := res.Header.Get("Content-Security-Policy")
		m := regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]{22})'(;|$)`).FindStringSubmatch(csp)
		require.NotNil(t, m, "script-src is the nonce alone: %s", csp)
		require.NotContains(t, csp, "unsafe-eval")
		require.Contains(t, csp, "frame-ancestors 'self'")
		require.Contains(t, csp, "default-src 'none'")
		page := body(t, res)
		scripts := regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1)
		require.Len(t, scripts, 3, "theme, ECharts and the runtime")
		for _, s := range scripts {
			require.Contains(t, s, `nonce="`+m[1]+`"`)
			require.Contains(t, s, ` src="`, "no inline script")
		}
		require.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
		nonces[m[1]] = true
	}
	require.Len(t, nonces, 2)
}

func TestFrameAncestorsIsConfigurable(t *testing.T) {
	d := newDashboard(t, dashboard.Options{FrameAncestors: []string{"https://intranet.example"}})
	csp := get(t, d, "/").Header.Get("Content-Security-Policy")
	require.Contains(t, csp, "frame-ancestors https://intranet.example")
}

// TestMountedUnderPrefix mounts the dashboard at /ops/ as a host service
// would, and follows every URL the page emits.
func TestMountedUnderPrefix(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/ops/", http.StripPrefix("/ops", newDashboard(t, dashboard.Options{})))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "host", http.StatusTeapot) })

	page := body(t, get(t, mux, "/ops/"))
	urls := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1)
	require.NotEmpty(t, urls)
	for _, u := range urls {
		if strings.HasPrefix(u[1], "data:") {
			continue
		}
		require.False(t, strings.HasPrefix(u[1], "/") || strings.Contains(u[1], ":"), "URL %q is not relative", u[1])
		res := get(t, mux, "/ops/"+u[1])
		require.Equal(t, http.StatusOK, res.StatusCode, u[1])
	}
	res := get(t, mux, "/ops/panels/orders")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, http.StatusOK, get(t, mux, "/ops/healthz").StatusCode)
}

func TestPanelEndpoint(t *testing.T) {
	d := newDashboard(t, dashboard.Options{})

	res := get(t, d, "/panels/orders")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "application/json", res.Header.Get("Content-Type"))
	var u struct{ Kind, HTML, Label string }
	require.NoError(t, json.Unmarshal([]byte(body(t, res)), &u))
	require.Equal(t, "html", u.Kind)
	require.Contains(t, u.HTML, "1,234")

	var c struct {
		Kind   string
		Label  string
		Option map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(body(t, get(t, d, "/panels/risk"))), &c))
	require.Equal(t, "chart", c.Kind)
	require.Equal(t, "Risk: 2 rows by 2 columns", c.Label)
	require.Contains(t, c.Option, "series")

	require.Equal(t, http.StatusNotFound, get(t, d, "/panels/nope").StatusCode)
	require.Equal(t, http.StatusMethodNotAllowed, func() int {
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/panels/orders", nil))
		return rec.Code
	}())
}

// TestFailingPanelsStayInTheirPanel: an error, a panic, a timeout and a nil
// component each give that panel an error state, log the cause, and leave
// the healthy panel alone.
func TestFailingPanelsStayInTheirPanel(t *testing.T) {
	var logs bytes.Buffer
	secret := "db password is hunter2"
	d := newDashboard(t, dashboard.Options{
		PanelTimeout: 50 * time.Millisecond,
		Logger:       slog.New(slog.NewTextHandler(&logs, nil)),
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "ok", Title: "Fine", Data: card("Fine", 7)},
			{ID: "err", Title: "Error", Data: func(context.Context, dashboard.Params) (components.Component, error) {
				return nil, errors.New(secret)
			}},
			{ID: "panics", Title: "Panic", Data: func(context.Context, dashboard.Params) (components.Component, error) {
				panic("boom")
			}},
			{ID: "slow", Title: "Slow", Data: func(ctx context.Context, _ dashboard.Params) (components.Component, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			}},
			{ID: "late", Title: "Late", Data: func(ctx context.Context, _ dashboard.Params) (components.Component, error) {
				time.Sleep(100 * time.Millisecond) // ignores its context
				return components.MetricCard{Title: "late"}, nil
			}},
			{ID: "nothing", Title: "Nil", Data: func(context.Context, dashboard.Params) (components.Component, error) {
				return nil, nil
			}},
			{ID: "invalid", Title: "Invalid", Data: card("NaN", math.NaN())},
		}}},
	})
	page := body(t, get(t, d, "/"))
	require.Contains(t, page, `<div class="dk-card-value">7</div>`)
	require.Equal(t, 6, strings.Count(page, `class="dk-error" role="alert"`))
	require.NotContains(t, page, secret)

	for _, id := range []string{"err", "panics", "slow", "late", "nothing", "invalid"} {
		res := get(t, d, "/panels/"+id)
		require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, id)
		b := body(t, res)
		require.Contains(t, b, `"kind":"error"`)
		require.NotContains(t, b, secret)
		require.Contains(t, logs.String(), "panel="+id)
	}
	require.Contains(t, logs.String(), secret, "the cause goes to the log")
	require.Contains(t, logs.String(), "boom")
	require.Contains(t, logs.String(), "deadline exceeded")
	require.Equal(t, http.StatusOK, get(t, d, "/panels/ok").StatusCode)
}

func TestPanelsComputeConcurrentlyForThePage(t *testing.T) {
	var running, peak atomic.Int32
	slow := func(context.Context, dashboard.Params) (components.Component, error) {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		running.Add(-1)
		return components.MetricCard{Title: "x"}, nil
	}
	d := newDashboard(t, dashboard.Options{Rows: []dashboard.Row{
		{Panels: []dashboard.Panel{{ID: "a", Title: "A", Data: slow}, {ID: "b", Title: "B", Data: slow}}},
		{Panels: []dashboard.Panel{{ID: "c", Title: "C", Data: slow}}},
	}})
	require.Equal(t, http.StatusOK, get(t, d, "/").StatusCode)
	require.Equal(t, int32(3), peak.Load())
}

func TestNewRejectsBadOptions(t *testing.T) {
	ok := card("x", 1)
	row := func(ps ...dashboard.Panel) []dashboard.Row { return []dashboard.Row{{Panels: ps}} }
	for _, tc := range []struct {
		name  string
		title string
		opts  dashboard.Options
		msg   string
	}{
		{"empty title", "", dashboard.Options{}, "empty title"},
		{"bad id", "t", dashboard.Options{Rows: row(dashboard.Panel{ID: "Bad ID", Title: "x", Data: ok})}, `panel ID "Bad ID"`},
		{"duplicate id", "t", dashboard.Options{Rows: []dashboard.Row{
			{Panels: []dashboard.Panel{{ID: "a", Title: "x", Data: ok}}},
			{Panels: []dashboard.Panel{{ID: "a", Title: "y", Data: ok}}},
		}}, `duplicate panel ID "a"`},
		{"no data", "t", dashboard.Options{Rows: row(dashboard.Panel{ID: "a", Title: "x"})}, `panel "a": no Data function`},
		{"no panel title", "t", dashboard.Options{Rows: row(dashboard.Panel{ID: "a", Data: ok})}, `panel "a": empty title`},
		{"width", "t", dashboard.Options{Rows: row(dashboard.Panel{ID: "a", Title: "x", Width: 13, Data: ok})}, "width 13"},
		{"row too wide", "t", dashboard.Options{Rows: row(
			dashboard.Panel{ID: "a", Title: "x", Width: 8, Data: ok},
			dashboard.Panel{ID: "b", Title: "y", Width: 5, Data: ok})}, "row 0 is wider than 12"},
		{"no room for a flexible panel", "t", dashboard.Options{Rows: row(
			dashboard.Panel{ID: "a", Title: "x", Width: 12, Data: ok},
			dashboard.Panel{ID: "b", Title: "y", Data: ok})}, "row 0 is wider than 12"},
		{"negative refresh", "t", dashboard.Options{Rows: row(dashboard.Panel{ID: "a", Title: "x", Refresh: -time.Second, Data: ok})}, "negative refresh"},
		{"negative timeout", "t", dashboard.Options{PanelTimeout: -1}, "negative"},
		{"assets without echarts", "t", dashboard.Options{Assets: fstest.MapFS{"other.js": {}}}, "no echarts.min.js"},
		{"assets and the CDN", "t", dashboard.Options{Assets: fstest.MapFS{"echarts.min.js": {}}, AssetsCDN: true}, "choose one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dashboard.New(tc.title, tc.opts)
			require.ErrorIs(t, err, dashboard.ErrInvalidOptions)
			require.ErrorContains(t, err, tc.msg)
		})
	}
}

// TestWithoutAssetsTheEmbeddedBuildIsServed: a dashboard with no Assets
// serves the ECharts build package assets/echarts embeds, byte for byte, and
// its page loads it from there: no CDN unless asked for.
func TestWithoutAssetsTheEmbeddedBuildIsServed(t *testing.T) {
	d, err := dashboard.New("t", dashboard.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	page := html.UnescapeString(body(t, get(t, d, "/")))
	require.Regexp(t, `<script nonce="[^"]+" src="assets/echarts\.min\.js"></script>`, page)
	require.NotContains(t, page, "jsdelivr")
	res := get(t, d, "/assets/echarts.min.js")
	require.Equal(t, http.StatusOK, res.StatusCode)
	want, err := fs.ReadFile(echarts.FS(), "echarts.min.js")
	require.NoError(t, err)
	require.Equal(t, string(want), body(t, res))
	require.Contains(t, res.Header.Get("Content-Type"), "javascript")
}

func TestCDNIsAnOptInPinnedByIntegrity(t *testing.T) {
	d, err := dashboard.New("t", dashboard.Options{AssetsCDN: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	page := html.UnescapeString(body(t, get(t, d, "/")))
	require.Regexp(t, `<script nonce="[^"]+" src="https://cdn\.jsdelivr\.net/npm/echarts@5\.6\.0/dist/echarts\.min\.js" integrity="sha384-[A-Za-z0-9+/=]{64}" crossorigin="anonymous"></script>`, page)
	require.Equal(t, http.StatusNotFound, get(t, d, "/assets/echarts.min.js").StatusCode)
}

func TestAssetsServeFilesNotDirectories(t *testing.T) {
	d := newDashboard(t, dashboard.Options{Assets: fstest.MapFS{
		"echarts.min.js":  {Data: []byte("/* e */")},
		"extension/x.js":  {Data: []byte("x")},
		"extension/y.map": {Data: []byte("y")},
	}})
	res := get(t, d, "/assets/echarts.min.js")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "/* e */", body(t, res))
	require.Contains(t, res.Header.Get("Content-Type"), "javascript")
	require.Equal(t, http.StatusOK, get(t, d, "/assets/extension/x.js").StatusCode)
	require.Equal(t, http.StatusNotFound, get(t, d, "/assets/extension").StatusCode)
	require.Equal(t, http.StatusNotFound, get(t, d, "/assets/extension/").StatusCode)
	require.Equal(t, http.StatusNotFound, get(t, d, "/assets/missing.js").StatusCode)
	require.Equal(t, http.StatusNotFound, get(t, d, "/static/nope.js").StatusCode)
}

// TestPinnedEChartsMatchesWebPackage keeps the CDN pin, its integrity hash and
// web/package.json in step with the copy `make assets` installs.
func TestPinnedEChartsMatchesWebPackage(t *testing.T) {
	root, err := testenv.RepoRoot()
	require.NoError(t, err)
	pkg, err := os.ReadFile(filepath.Join(root, "web", "package.json"))
	require.NoError(t, err)
	require.Contains(t, string(pkg), `"echarts": "`+dashboard.EChartsVersion+`"`)

	lib, err := os.ReadFile(filepath.Join(testenv.EChartsDir(t), "echarts.min.js"))
	require.NoError(t, err)
	sum := sha512.Sum384(lib)
	d, err := dashboard.New("t", dashboard.Options{AssetsCDN: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	require.Contains(t, html.UnescapeString(body(t, get(t, d, "/"))), `integrity="sha384-`+base64.StdEncoding.EncodeToString(sum[:])+`"`)
}
