package dashboard_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

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
// CSV injection (TestNeutraliseEveryFormulaPrefix, FuzzNeutralise).
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
}
