package dashboard_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// TestBrowserFailuresStayLocal plays three failures on an open page: a
// filter change the server refuses (the previous view comes back, with a
// notice the user can dismiss), a panel that starts failing (only that
// panel shows its error), and a session that ends (the page reloads into
// the host's sign-in, which returns to the exact view).
func TestBrowserFailuresStayLocal(t *testing.T) {
	b := browsertest.New(t)
	var broken, signedOut atomic.Bool
	var opts []components.Option
	for _, s := range sectors {
		opts = append(opts, components.Option{Value: s})
	}
	auth := &people{perms: map[string][]string{
		// The manager is offered the dropdown, but the host lets them
		// open only Energy and Tech: the server stays the authority.
		"manager": {"read", "filter"},
	}}
	d, err := dashboard.New("Failures", dashboard.Options{
		Assets:          os.DirFS(testenv.EChartsDir(t)),
		RefreshInterval: 300 * time.Millisecond,
		Heartbeat:       200 * time.Millisecond,
		Authorizer: dashboard.AuthorizerFunc(func(r *http.Request, perm string) bool {
			if perm == "shared" {
				return r.URL.Query().Get("sector") != "Utilities"
			}
			return auth.Allowed(r, perm)
		}),
		Sessions:         auth,
		FilterPermission: "filter",
		ViewPermission:   "shared",
		Filters:          []dashboard.Filter{{Name: "sector", Label: "Sector", Options: opts}},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "detail", Title: "Sector detail", Width: 4, Filters: []string{"sector"},
				Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
					return components.MetricCard{Title: "Sector " + p.Value("sector"), Value: 1}, nil
				}},
			{ID: "flaky", Title: "Flaky", Width: 4,
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					if broken.Load() {
						return nil, errors.New("the warehouse is down")
					}
					return components.MetricCard{Title: "Flaky", Value: float64(time.Now().UnixNano() % 1000)}, nil
				}},
			{ID: "steady", Title: "Steady", Width: 4,
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					return components.MetricCard{Title: "Steady", Value: 7}, nil
				}},
		}}},
	})
	require.NoError(t, err)
	// The host: a sign-in page, and a middleware that answers 401 (or, for
	// a page, redirects to sign in) once the session is over.
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>Sign in</title><link rel="icon" href="data:,"><h1 id="login">Sign in</h1><p id="ret">` + r.URL.Query().Get("return") + `</p>`))
	})
	mux.Handle("/ops/", http.StripPrefix("/ops", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if signedOut.Load() {
			if r.Header.Get("Accept") == "text/event-stream" || r.URL.Path != "/" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, "/login?return="+"/ops/?"+r.URL.RawQuery, http.StatusSeeOther)
			return
		}
		r.Header.Set("X-Test-Role", "manager")
		d.ServeHTTP(w, r)
	})))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})

	p := b.Open(t, srv.URL+"/ops/?sector=Tech")
	p.Ignore("sector=Utilities") // the refused view's 403 is the point
	p.WaitFor(`document.documentElement.dataset.dkStatus === 'live'`)
	require.Equal(t, "Sector Tech", browsertest.Eval[string](p, `document.querySelector('#panel-detail .dk-card-title').textContent`))

	// A refused filter change: the URL, the control and the panel stay on
	// Tech, and a notice says why.
	p.Do(chromedp.SetValue(chromedp.CSS(`[data-filter="sector"]`), "Utilities"))
	p.Do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-filter="sector"]').dispatchEvent(new Event('change'))`))
	p.WaitFor(`!document.querySelector('.dk-notice').hidden`)
	require.Equal(t, "You may open this dashboard's default view only.", browsertest.Eval[string](p, `document.querySelector('.dk-notice-text').textContent`))
	require.Equal(t, "?sector=Tech", browsertest.Eval[string](p, `location.search`))
	require.Equal(t, "Tech", browsertest.Eval[string](p, `document.querySelector('[data-filter="sector"]').value`))
	require.Equal(t, "Sector Tech", browsertest.Eval[string](p, `document.querySelector('#panel-detail .dk-card-title').textContent`))
	p.Do(chromedp.Click(chromedp.CSS(".dk-notice-close")))
	p.WaitFor(`document.querySelector('.dk-notice').hidden`)

	// A panel that fails fails alone; the stream stays live.
	broken.Store(true)
	p.WaitFor(`!!document.querySelector('#panel-flaky .dk-error')`)
	p.Do(chromedp.Sleep(time.Second))
	require.Equal(t, 1, browsertest.Eval[int](p, `document.querySelectorAll('.dk-error').length`))
	require.Equal(t, "live", browsertest.Eval[string](p, `document.documentElement.dataset.dkStatus`))
	broken.Store(false)
	p.WaitFor(`document.querySelectorAll('.dk-error').length === 0`)

	// The session ends: the stream ends within a heartbeat, the page
	// reloads into sign-in, with the exact view to return to.
	auth.revoked.Store(true)
	signedOut.Store(true)
	p.Ignore("401") // the host's answers to the old page's last requests
	p.WaitFor(`!!document.getElementById('login')`)
	require.Equal(t, "/ops/?sector=Tech", browsertest.Eval[string](p, `document.getElementById('ret').textContent`))
}
