package demo_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/demo"
)

// exampleHandler wires a one-panel dashboard the way the examples do, and
// returns a function minting bearer tokens for any roles.
func exampleHandler(t *testing.T) (http.Handler, func(roles ...auth.Role) string) {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return map[string]string{"XDG_CACHE_HOME": t.TempDir()}[k] }, nil)
	require.NoError(t, err)
	app := demo.App{Name: "roles-test", Title: "Roles", DemoUsers: true}
	quiet := slog.New(slog.DiscardHandler)
	h, d, err := demo.Handler(cfg, app, quiet, func(base dashboard.Options) (*dashboard.Dashboard, error) {
		base.Rows = []dashboard.Row{{Panels: []dashboard.Panel{{ID: "rows", Title: "Rows", Export: true, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			return components.Table{Columns: []components.Column{{Key: "a", Title: "A", Numbers: []float64{1}}}}, nil
		}}}}}
		return dashboard.New("Roles", base)
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	tokens, err := auth.NewTokens(auth.TokenOptions{Secret: cfg.SecretKey, Issuer: "dashkit-" + app.Name, Audience: app.Name})
	require.NoError(t, err)
	return h, func(roles ...auth.Role) string {
		tok, _, err := tokens.Issue("u", "U", roles)
		require.NoError(t, err)
		return tok
	}
}

// Hardening #15, row "role × route": a valid token with no role, or only
// roles the policy does not know, is refused (403) on every route of the
// examples but the operators' probes and metrics, which sit outside
// sessions (internal/demo.Ops). Every demo role may read. On main the
// no-role token read every dashboard (read_dashboards was never checked).
func TestRoleByRoute(t *testing.T) {
	h, token := exampleHandler(t)
	routes := []string{"/", "/panels/rows", "/export/rows.csv", "/session", "/static/dashkit.js", "/nope"}
	outside := []string{"/healthz", "/readyz", "/metrics"}
	for _, tc := range []struct {
		name  string
		roles []auth.Role
		read  bool
	}{
		{"no role", nil, false},
		{"unknown role", []auth.Role{"intern"}, false},
		{"empty role", []auth.Role{""}, false},
		{"viewer", []auth.Role{auth.Viewer}, true},
		{"analyst", []auth.Role{auth.Analyst}, true},
		{"manager", []auth.Role{auth.Manager}, true},
		{"admin", []auth.Role{auth.Admin}, true},
		{"unknown and viewer", []auth.Role{"intern", auth.Viewer}, true},
	} {
		tok := token(tc.roles...)
		addr := fmt.Sprintf("192.0.2.%d:1234", len(tc.name)+10*len(tc.roles)) // its own rate-limit bucket
		do := func(path string) int {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.RemoteAddr = addr
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code
		}
		for _, path := range routes {
			t.Run(tc.name+" "+path, func(t *testing.T) {
				code := do(path)
				if !tc.read {
					require.Equal(t, http.StatusForbidden, code)
					return
				}
				require.NotEqual(t, http.StatusForbidden, code, "a demo role may read")
			})
		}
		for _, path := range outside {
			t.Run(tc.name+" "+path, func(t *testing.T) {
				require.Equal(t, http.StatusOK, do(path), "outside sessions")
			})
		}
	}
}

// Hardening #15, row "rate limits in the examples": one address gets the
// burst, then 429 with Retry-After, on panel, export and stream routes.
func TestExamplesRateLimit(t *testing.T) {
	h, token := exampleHandler(t)
	tok := token(auth.Admin)
	for i, path := range []string{"/panels/rows", "/export/rows.csv", "/events?_=x"} {
		t.Run(path, func(t *testing.T) {
			limited := 0
			for range demo.RateBurst + 5 {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.RemoteAddr = fmt.Sprintf("198.51.100.%d:1", i+1) // a bucket per route
				req.Header.Set("Authorization", "Bearer "+tok)
				if path == "/events?_=x" {
					ctx, cancel := context.WithCancel(req.Context())
					cancel() // the stream ends at once; only the admission matters
					req = req.WithContext(ctx)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code == http.StatusTooManyRequests {
					limited++
					require.NotEmpty(t, rec.Header().Get("Retry-After"))
				}
			}
			require.Positive(t, limited)
		})
	}
}
