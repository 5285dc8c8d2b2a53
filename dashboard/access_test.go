package dashboard_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

func table(context.Context, dashboard.Params) (components.Component, error) {
	return components.Table{Columns: []components.Column{
		{Key: "name", Title: "Name", Text: []string{"=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "plain", "-12.5", "+7"}},
		{Key: "v", Title: "Value", Numbers: []float64{1, 2, 3, 4, 5, 6, 7, -8.25, 9}, Format: components.NumberFormat{Decimals: 2}},
	}}, nil
}

func TestCSVExportNeutralisesFormulas(t *testing.T) {
	d := newDashboard(t, dashboard.Options{Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "rows", Title: "Rows", Export: true, Data: table},
		{ID: "chart", Title: "Chart", Export: true, Data: heat},
	}}}})
	res := get(t, d, "/export/rows.csv")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	require.Regexp(t, `^attachment; filename="rows-\d{8}-\d{6}\.csv"$`, res.Header.Get("Content-Disposition"))
	records, err := csv.NewReader(res.Body).ReadAll()
	require.NoError(t, err)
	var names []string
	for _, r := range records[1:] {
		names = append(names, r[0])
	}
	require.Equal(t, []string{"'=HYPERLINK(\"http://evil\")", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rCR", "plain", "-12.5", "'+7"}, names, "only a plain decimal number keeps its sign (hardening #15, CSV injection)")
	require.Equal(t, []string{"name", "v"}, records[0])
	require.Equal(t, "-8.25", records[8][1], "plain numbers are left alone")

	require.Equal(t, http.StatusNotFound, get(t, d, "/export/chart.csv").StatusCode, "a heatmap has no records")
	require.Equal(t, http.StatusNotFound, get(t, d, "/export/nope.csv").StatusCode)
	require.Equal(t, http.StatusNotFound, get(t, d, "/export/rows").StatusCode)
	require.Contains(t, body(t, get(t, d, "/")), `<a class="dk-export" href="export/rows.csv" download>Export CSV</a>`)
}

// role is a test Authorizer: permissions by the X-Test-Role header a test
// sets (the auth package does this with tokens).
func role(perms map[string][]string) dashboard.AuthorizerFunc {
	return func(r *http.Request, permission string) bool {
		for _, p := range perms[r.Header.Get("X-Test-Role")] {
			if p == permission {
				return true
			}
		}
		return false
	}
}

func TestPermissionsHidePanelsAndGuardEndpoints(t *testing.T) {
	d := newDashboard(t, dashboard.Options{
		Authorizer: role(map[string][]string{
			"viewer":  {"read"},
			"analyst": {"read", "secret", "export", "filter"},
		}),
		FilterPermission: "filter",
		ViewPermission:   "filter",
		ExportPermission: "export",
		Filters:          []dashboard.Filter{{Name: "site", Options: []components.Option{{Value: "lyon"}, {Value: "porto"}}}},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "public", Title: "Public", Permission: "read", Filters: []string{"site"}, Data: card("public", 1)},
			{ID: "secret", Title: "Secret figures", Permission: "secret", Export: true, Data: table},
		}}},
	})
	do := func(role, target string) *http.Response {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("X-Test-Role", role)
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, req)
		return rec.Result()
	}

	viewerPage := body(t, do("viewer", "/"))
	require.Contains(t, viewerPage, "Public")
	require.NotContains(t, viewerPage, "Secret figures", "a panel the viewer may not see is absent")
	require.NotContains(t, viewerPage, `data-filter="site"`, "so is the filter bar")
	require.NotContains(t, viewerPage, "Export CSV")
	require.Equal(t, http.StatusForbidden, do("viewer", "/panels/secret").StatusCode)
	require.Equal(t, http.StatusForbidden, do("viewer", "/export/secret.csv").StatusCode)
	require.Equal(t, http.StatusForbidden, do("viewer", "/?site=porto").StatusCode, "with ViewPermission set, a viewer may not open other views")
	require.Equal(t, http.StatusForbidden, do("viewer", "/panels/public?site=porto").StatusCode)
	require.Equal(t, http.StatusOK, do("viewer", "/panels/public?site=lyon").StatusCode, "the default view is fine")

	analystPage := body(t, do("analyst", "/?site=porto"))
	require.Contains(t, analystPage, "Secret figures")
	require.Contains(t, analystPage, `data-filter="site"`)
	require.Contains(t, analystPage, "Export CSV")
	require.Equal(t, http.StatusOK, do("analyst", "/export/secret.csv").StatusCode)
	require.Equal(t, http.StatusForbidden, do("nobody", "/panels/public").StatusCode)
}

func TestPermissionsApplyToEventStreams(t *testing.T) {
	d, err := dashboard.New("t", dashboard.Options{
		Assets:     fakeECharts,
		Authorizer: role(map[string][]string{"viewer": {"read"}}),
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "public", Title: "Public", Permission: "read", Refresh: 100 * time.Millisecond, Data: card("public", 1)},
			{ID: "secret", Title: "Secret", Permission: "secret", Refresh: 100 * time.Millisecond, Data: card("secret", 2)},
		}}},
	})
	require.NoError(t, err)
	srv := serve(t, d)
	s := openStream(t, srv.Client(), srv.URL+"/events", http.Header{"X-Test-Role": {"viewer"}})
	deadline := time.After(time.Second)
	for {
		select {
		case u := <-s.updates:
			require.Equal(t, "public", u["panel"], "the stream carries no panel the viewer may not see")
		case <-deadline:
			return
		}
	}
}

func TestReadyz(t *testing.T) {
	dbUp, redisUp := true, true
	down := func(up *bool) func(context.Context) error {
		return func(context.Context) error {
			if !*up {
				return io.ErrUnexpectedEOF
			}
			return nil
		}
	}
	d := newDashboard(t, dashboard.Options{ReadyChecks: []dashboard.ReadyCheck{
		{Name: "database", Check: down(&dbUp)},
		{Name: "redis", Check: down(&redisUp), Degraded: true},
	}})
	require.Equal(t, http.StatusOK, get(t, d, "/readyz").StatusCode)
	redisUp = false
	res := get(t, d, "/readyz")
	require.Equal(t, http.StatusOK, res.StatusCode, "a degraded shared cache does not make the dashboard unready")
	require.JSONEq(t, `{"ready":true,"degraded":["redis"]}`, body(t, res))
	dbUp = false
	res = get(t, d, "/readyz")
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
	require.JSONEq(t, `{"ready":false,"failed":["database"],"degraded":["redis"]}`, body(t, res))
	require.Equal(t, http.StatusOK, get(t, d, "/healthz").StatusCode, "liveness does not depend on the database")
}

func TestRateLimitAnswers429(t *testing.T) {
	d := newDashboard(t, dashboard.Options{RateLimit: 1, RateBurst: 3})
	codes := map[int]int{}
	for range 6 {
		codes[get(t, d, "/healthz").StatusCode]++
	}
	require.Equal(t, 3, codes[http.StatusOK])
	require.Equal(t, 3, codes[http.StatusTooManyRequests])

	// Another client address has its own budget.
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.RemoteAddr = "192.0.2.9:4321"
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
}

func TestSecurityHeaders(t *testing.T) {
	d := newDashboard(t, dashboard.Options{HSTS: true})
	res := get(t, d, "/panels/orders")
	require.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	require.Equal(t, "same-origin", res.Header.Get("Referrer-Policy"))
	require.Equal(t, "max-age=63072000; includeSubDomains", res.Header.Get("Strict-Transport-Security"))
	plain := newDashboard(t, dashboard.Options{})
	require.Empty(t, get(t, plain, "/").Header.Get("Strict-Transport-Security"))
}

func TestMetricsAreRegistered(t *testing.T) {
	reg := prometheus.NewRegistry()
	// An hour's interval: both pages fall in the same one.
	d := newDashboard(t, dashboard.Options{Registerer: reg, RefreshInterval: time.Hour, Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "ok", Title: "OK", Data: card("x", 1)},
		{ID: "bad", Title: "Bad", Data: func(context.Context, dashboard.Params) (components.Component, error) { return nil, io.EOF }},
	}}}})
	get(t, d, "/")
	get(t, d, "/")
	// The healthy panel is computed once (the second page hits the cache);
	// the failing one twice, since errors are not cached.
	require.Equal(t, 3.0, gauge(t, reg, "dashkit_panel_compute_seconds"))
	require.Equal(t, 2.0, gauge(t, reg, "dashkit_panel_errors_total"))
	require.Equal(t, 1.0, gauge(t, reg, "dashkit_cache_hits_total"))
	_, err := dashboard.New("again", dashboard.Options{Registerer: reg})
	require.ErrorIs(t, err, dashboard.ErrInvalidOptions, "one registry, one dashboard per namespace")
}

func TestFilterBarShowsTheView(t *testing.T) {
	d := newDashboard(t, dashboard.Options{
		Filters: []dashboard.Filter{{Name: "site", Label: "Site", Options: []components.Option{{Value: "lyon", Label: "Lyon"}, {Value: "porto", Label: "Porto"}}}},
		Rows:    []dashboard.Row{{Panels: []dashboard.Panel{{ID: "p", Title: "P", Filters: []string{"site"}, Data: card("x", 1)}}}},
	})
	page := body(t, get(t, d, "/?site=porto"))
	require.Contains(t, page, `<option value="porto" selected>Porto</option>`)
	require.Contains(t, page, `data-filters="site"`)
	require.True(t, strings.Contains(page, `<form class="dk-filters" aria-label="Filters">`))
}

// TestSpoofedForwardedForDoesNotBypassRateLimit is the attacker's test:
// behind a trusted proxy, a client writes a fresh address into
// X-Forwarded-For on every request; the proxy appends the one it saw, and
// the limit follows that one.
func TestSpoofedForwardedForDoesNotBypassRateLimit(t *testing.T) {
	d := newDashboard(t, dashboard.Options{RateLimit: 1, RateBurst: 3, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	codes := map[int]int{}
	for i := range 6 {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.RemoteAddr = "127.0.0.1:40000" // the proxy
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d, 203.0.113.7", i+1))
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, req)
		codes[rec.Code]++
	}
	require.Equal(t, 3, codes[http.StatusOK])
	require.Equal(t, 3, codes[http.StatusTooManyRequests], "the spoofed hops do not buy new budgets")
}

// Hardening #15, row "cross-site export": another site's page cannot pull
// the export with the viewer's cookie; the dashboard's own pages and a
// typed URL can.
func TestExportRefusesCrossSiteRequests(t *testing.T) {
	d := newDashboard(t, dashboard.Options{Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "rows", Title: "Rows", Export: true, Data: table},
	}}}})
	for site, want := range map[string]int{"cross-site": http.StatusForbidden, "same-origin": http.StatusOK, "same-site": http.StatusOK, "none": http.StatusOK, "": http.StatusOK} {
		t.Run("Sec-Fetch-Site="+site, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/export/rows.csv", nil)
			if site != "" {
				req.Header.Set("Sec-Fetch-Site", site)
			}
			rec := httptest.NewRecorder()
			d.ServeHTTP(rec, req)
			require.Equal(t, want, rec.Code)
			if want != http.StatusOK {
				require.NotContains(t, rec.Body.String(), "HYPERLINK", "no data leaks with the refusal")
			}
		})
	}
}
