package dashboard_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/promutil"
)

// The tests here play the requests people make: a viewer opening a link
// someone shared, a browser landing on a bad URL, a session that ends under
// an open page.

// people is a test Authorizer, Identifier and SessionChecker keyed by the
// X-Test-Role header, with a revocation switch.
type people struct {
	perms   map[string][]string
	revoked atomic.Bool
	expiry  time.Time
}

func (p *people) Allowed(r *http.Request, permission string) bool {
	for _, have := range p.perms[r.Header.Get("X-Test-Role")] {
		if have == permission {
			return true
		}
	}
	return false
}

func (p *people) Identify(r *http.Request) (string, []string, bool) {
	role := r.Header.Get("X-Test-Role")
	if role == "" {
		return "", nil, false
	}
	return "Vera <b>Viewer</b>", []string{role}, true
}

func (p *people) CheckSession(_ context.Context, _ *http.Request) (time.Time, bool) {
	if p.revoked.Load() || (!p.expiry.IsZero() && time.Now().After(p.expiry)) {
		return p.expiry, false
	}
	return p.expiry, true
}

func sitesDashboard(t *testing.T, opts dashboard.Options) *dashboard.Dashboard {
	t.Helper()
	opts.Filters = []dashboard.Filter{{Name: "site", Label: "Site", Options: []components.Option{{Value: "lyon"}, {Value: "porto"}}}}
	opts.Rows = []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "sites", Title: "Sites", Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
			return components.Bar{Categories: []string{"lyon", "porto"}, Series: []components.Series{{Name: "Output", Values: []float64{1, 2}}}}, nil
		}, CrossFilter: &dashboard.CrossFilter{Filter: "site"}},
		{ID: "detail", Title: "Detail", Filters: []string{"site"}, Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
			return components.MetricCard{Title: "Site " + p.Value("site"), Value: 1}, nil
		}},
	}}}
	return newDashboard(t, opts)
}

func as(role, accept string, h http.Handler, target string) *http.Response {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if role != "" {
		req.Header.Set("X-Test-Role", role)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// A viewer who opens a link someone shared sees that view, with no control
// to change it and no chart that invites a click.
func TestViewerOpensSharedView(t *testing.T) {
	auth := &people{perms: map[string][]string{"viewer": {"read"}, "manager": {"read", "filter"}}}
	d := sitesDashboard(t, dashboard.Options{Authorizer: auth, FilterPermission: "filter"})

	res := as("viewer", browserAccept, d, "/?site=porto")
	require.Equal(t, http.StatusOK, res.StatusCode)
	page := body(t, res)
	require.Contains(t, page, "Site porto", "the shared view, not the default one")
	require.NotContains(t, page, `data-filter="site"`, "no filter bar for a viewer")
	require.NotContains(t, page, "data-crossfilter", "no chart invites a viewer's click")
	require.Equal(t, http.StatusOK, as("viewer", "application/json", d, "/panels/detail?site=porto").StatusCode)

	manager := body(t, as("manager", browserAccept, d, "/?site=porto"))
	require.Contains(t, manager, `data-filter="site"`)
	require.Contains(t, manager, `data-crossfilter="{&#34;filter&#34;:&#34;site&#34;,&#34;from&#34;:&#34;name&#34;,&#34;kind&#34;:&#34;one&#34;,&#34;values&#34;:{&#34;lyon&#34;:&#34;lyon&#34;,&#34;porto&#34;:&#34;porto&#34;}}"`)
}

// When the host refuses shared views to a role, a browser gets a page that
// says so and links to the default view; the runtime gets JSON.
func TestRefusedViewIsAPageWithAWayBack(t *testing.T) {
	auth := &people{perms: map[string][]string{"viewer": {"read"}}}
	d := sitesDashboard(t, dashboard.Options{Authorizer: auth, ViewPermission: "shared"})

	res := as("viewer", browserAccept, d, "/?site=porto")
	require.Equal(t, http.StatusForbidden, res.StatusCode)
	require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	page := body(t, res)
	require.Contains(t, page, "You may open this dashboard&#39;s default view only.")
	require.Contains(t, page, `<a class="dk-error-back" href="./">`)
	require.Contains(t, page, `href="./static/dashkit.css"`, "styled like the dashboard")

	api := as("viewer", "application/json", d, "/panels/detail?site=porto")
	require.Equal(t, http.StatusForbidden, api.StatusCode)
	require.JSONEq(t, `{"error":"You may open this dashboard's default view only."}`, body(t, api))
	require.Equal(t, http.StatusOK, as("viewer", browserAccept, d, "/").StatusCode)
}

func TestBadURLsGetHumanPages(t *testing.T) {
	d := sitesDashboard(t, dashboard.Options{})
	huge := strings.Repeat("A", 500_000)
	for _, tc := range []struct {
		name, target string
		status       int
		says, back   string
	}{
		{"unknown path", "/nonexistent", http.StatusNotFound, "This dashboard has no page at this address.", "./"},
		{"unknown nested path", "/a/b/c", http.StatusNotFound, "This dashboard has no page at this address.", "../../"},
		{"unknown option", "/?site=Nonsense", http.StatusBadRequest, "Filter &#34;site&#34; has no option &#34;Nonsense&#34;.", "./"},
		{"huge value", "/?site=" + huge, http.StatusBadRequest, "Filter &#34;site&#34; has no option &#34;AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…&#34;.", "./"},
		{"unknown parameter", "/?" + huge + "=1", http.StatusBadRequest, "Unknown parameter", "./"},
		{"unknown panel", "/panels/nope", http.StatusNotFound, "This dashboard has no such panel.", "../"},
		{"missing static file", "/static/nope.js", http.StatusNotFound, "This dashboard has no page at this address.", "../"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := as("", browserAccept, d, tc.target)
			require.Equal(t, tc.status, res.StatusCode)
			require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
			page := body(t, res)
			require.Contains(t, page, tc.says)
			require.Contains(t, page, `<a class="dk-error-back" href="`+tc.back+`">Back to the dashboard</a>`)
			require.NotContains(t, page, "dashboard: ", "no Go error text")
			require.NotContains(t, page, "bad filter")
			require.Less(t, len(page), 4096, "a bad value is not echoed whole")

			api := as("", "application/json", d, tc.target)
			require.Equal(t, tc.status, api.StatusCode)
			require.Equal(t, "application/json", api.Header.Get("Content-Type"), "API requests keep JSON")
			require.Less(t, len(body(t, api)), 512)
		})
	}
}

func TestHeaderNamesTheUserAndSignsOut(t *testing.T) {
	auth := &people{perms: map[string][]string{"viewer": {"read"}}}
	d := sitesDashboard(t, dashboard.Options{Authorizer: auth, LogoutURL: "/logout"})
	page := body(t, as("viewer", browserAccept, d, "/"))
	require.Contains(t, page, `Signed in as <strong class="dk-user-name">Vera &lt;b&gt;Viewer&lt;/b&gt;</strong> <span class="dk-user-role">(viewer)</span>`)
	require.Contains(t, page, `<form class="dk-logout" method="post" action="/logout"><button type="submit">Sign out</button></form>`)

	anonymous := body(t, as("", browserAccept, d, "/"))
	require.NotContains(t, anonymous, "Signed in as")
	require.NotContains(t, anonymous, "dk-logout")
}

func TestThemeFollowsTheBrowserUnlessPinned(t *testing.T) {
	auto := body(t, as("", browserAccept, sitesDashboard(t, dashboard.Options{}), "/"))
	require.Contains(t, auto, `<html lang="en" data-theme="auto">`)
	require.Contains(t, auto, `class="dk-theme-toggle"`)
	pinned := body(t, as("", browserAccept, sitesDashboard(t, dashboard.Options{Theme: dashboard.ThemeDark}), "/"))
	require.Contains(t, pinned, `<html lang="en" data-theme="dark">`)
	require.NotContains(t, pinned, `class="dk-theme-toggle"`, "a pinned theme offers no toggle")
}

// readEvents reads the stream's event names until it ends or within passes.
func readEvents(t *testing.T, res *http.Response, within time.Duration) (names []string, ended bool) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				names = append(names, name)
			}
		}
	}()
	select {
	case <-done:
		return names, true
	case <-time.After(within):
		res.Body.Close()
		<-done
		return names, false
	}
}

func streamOf(t *testing.T, srv *httptest.Server, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("X-Test-Role", "viewer")
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// An open event stream ends with its session: at the session's expiry, and
// within one heartbeat of its revocation, with an event that sends the page
// to sign in.
func TestStreamsEndWithTheirSession(t *testing.T) {
	opts := func(auth *people) dashboard.Options {
		return dashboard.Options{Authorizer: auth, Heartbeat: 100 * time.Millisecond, RefreshInterval: time.Hour}
	}
	t.Run("expiry", func(t *testing.T) {
		auth := &people{perms: map[string][]string{"viewer": {"read"}}, expiry: time.Now().Add(400 * time.Millisecond)}
		srv := serve(t, sitesDashboard(t, opts(auth)))
		res := streamOf(t, srv, "/events")
		require.Equal(t, http.StatusOK, res.StatusCode)
		start := time.Now()
		names, ended := readEvents(t, res, 5*time.Second)
		require.True(t, ended, "the stream outlived its session")
		require.Equal(t, "session", names[len(names)-1])
		require.Less(t, time.Since(start), 2*time.Second)
		require.Equal(t, http.StatusUnauthorized, streamOf(t, srv, "/events").StatusCode, "no new stream on an expired session")
	})
	t.Run("revocation", func(t *testing.T) {
		auth := &people{perms: map[string][]string{"viewer": {"read"}}}
		srv := serve(t, sitesDashboard(t, opts(auth)))
		res := streamOf(t, srv, "/events")
		require.Equal(t, http.StatusOK, res.StatusCode)
		time.AfterFunc(300*time.Millisecond, func() { auth.revoked.Store(true) })
		names, ended := readEvents(t, res, 5*time.Second)
		require.True(t, ended, "the stream outlived its revoked session")
		require.Contains(t, names, "update", "it streamed while the session held")
		require.Equal(t, "session", names[len(names)-1])
		probe := streamOf(t, srv, "/session")
		require.Equal(t, http.StatusUnauthorized, probe.StatusCode, "the runtime's probe tells a lost session apart")
	})
}

func TestSessionProbeTellsFailuresApart(t *testing.T) {
	auth := &people{perms: map[string][]string{"viewer": {"read"}}}
	d := sitesDashboard(t, dashboard.Options{Authorizer: auth, ViewPermission: "shared"})
	require.Equal(t, http.StatusNoContent, as("viewer", "", d, "/session").StatusCode)
	require.Equal(t, http.StatusForbidden, as("viewer", "", d, "/session?site=porto").StatusCode)
	require.Equal(t, http.StatusBadRequest, as("viewer", "", d, "/session?site=nope").StatusCode)
	auth.revoked.Store(true)
	require.Equal(t, http.StatusUnauthorized, as("viewer", "", d, "/session").StatusCode)
}

// Two dashboards with different namespaces share one registry; their
// series carry the namespace.
func TestTwoDashboardsShareARegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	for _, ns := range []string{"ops", "sales"} {
		d := newDashboard(t, dashboard.Options{Registerer: reg, CacheNamespace: ns})
		require.Equal(t, http.StatusOK, get(t, d, "/panels/orders").StatusCode)
	}
	n, err := promutil.Sum(reg, "dashkit_panel_compute_seconds")
	require.NoError(t, err)
	require.Equal(t, 2.0, n)
	mfs, err := reg.Gather()
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, mf := range mfs {
		if mf.GetName() != "dashkit_panel_compute_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "namespace" {
					seen[l.GetValue()] = true
				}
			}
		}
	}
	require.Equal(t, map[string]bool{"ops": true, "sales": true}, seen)
}
