package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

var quiet = slog.New(slog.DiscardHandler)

func devConfig(t testing.TB) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" }, nil)
	require.NoError(t, err)
	return cfg
}

// exercise runs the plant against a store: history, KPIs, a step, a
// restart that resumes where it stopped.
func exercise(t *testing.T, cfg config.Config, o options) {
	ctx := context.Background()
	p, st, err := setup(ctx, cfg, o, quiet)
	require.NoError(t, err)
	v, err := p.current(ctx)
	require.NoError(t, err)
	r := v.report
	require.Empty(t, r.Rejected)
	require.Len(t, r.Facilities, len(facilities))
	require.Len(t, r.Machines, len(facilities)*machinesPerFacility)
	for f, tot := range r.Facilities {
		require.True(t, tot.OEE() > 0.3 && tot.OEE() < 1, "%s OEE %v", f, tot.OEE())
		require.InDelta(t, tot.Availability()*tot.Performance()*tot.Quality(), tot.OEE(), 1e-12)
	}
	require.NotEmpty(t, r.Pareto)
	before := p.sim.now
	require.NoError(t, p.step(ctx))
	v2, err := p.current(ctx)
	require.NoError(t, err)
	require.Equal(t, before.Add(3600e9), v2.at, "one simulated hour a step")
	require.NoError(t, st.close())

	// A restart resumes from the newest record instead of refilling.
	p2, st2, err := setup(ctx, cfg, o, quiet)
	require.NoError(t, err)
	defer st2.close()
	require.Equal(t, v2.at, p2.sim.now)
	var n int
	require.NoError(t, st2.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+st2.prefix+`records`).Scan(&n))
	require.Equal(t, (o.history+1)*len(facilities)*machinesPerFacility, n)
}

func TestSQLite(t *testing.T) {
	exercise(t, devConfig(t), options{sqlite: filepath.Join(t.TempDir(), "plant.db"), history: 30})
}

// TestPostgreSQL runs the example against the real PostgreSQL through
// DATABASE_URL, in a schema of its own that it drops afterwards.
func TestPostgreSQL(t *testing.T) {
	cfg := devConfig(t)
	cfg.DatabaseURL = testenv.PostgresURL(t)
	schema := "dashkit_mfg_" + strings.ToLower(rand.Text()[:8])
	t.Cleanup(func() {
		db, err := sql.Open("pgx", cfg.DatabaseURL)
		if err == nil {
			_, _ = db.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE")
			db.Close()
		}
	})
	exercise(t, cfg, options{schema: schema, history: 30})
}

func TestStoreRefusesBadSchemaNames(t *testing.T) {
	_, err := openStore(context.Background(), "", filepath.Join(t.TempDir(), "x.db"), "a; DROP TABLE x")
	require.ErrorContains(t, err, "letters, digits and _ only")
}

func loginAs(t *testing.T, base, user string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/login", url.Values{"user": {user}, "password": {user + "-demo"}, "return": {"/"}})
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	return c
}

func serve(t *testing.T, o options) *httptest.Server {
	t.Helper()
	cfg := devConfig(t)
	p, st, err := setup(context.Background(), cfg, o, quiet)
	require.NoError(t, err)
	require.NoError(t, p.step(context.Background()))
	h, d, err := handler(cfg, o, p, quiet)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
		st.close()
	})
	return srv
}

func TestEveryPanelRendersForEveryRole(t *testing.T) {
	srv := serve(t, options{sqlite: filepath.Join(t.TempDir(), "plant.db"), history: 24, demoUsers: true})
	for _, user := range []string{"viewer", "analyst", "manager", "admin"} {
		c := loginAs(t, srv.URL, user)
		res, err := c.Get(srv.URL + "/?facility=Porto")
		require.NoError(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		// A shared link is reading: every role sees Porto; only those who
		// may change filters get the controls.
		require.Equal(t, http.StatusOK, res.StatusCode, user)
		page := string(b)
		require.Contains(t, page, "Porto", user)
		if user == "viewer" || user == "analyst" {
			require.NotContains(t, page, `data-filter="facility"`, user)
			require.NotContains(t, page, "data-crossfilter", user)
		}
		require.NotContains(t, page, "dk-error", user)
		require.Contains(t, page, "Global Operations")
	}
}

// TestBrowserManufacturing signs in as each role: all see every chart drawn;
// the viewer has neither dropdown nor export, the analyst only export; the
// manager picks a facility and the facility view follows. The manager's page
// is the README's screenshot.
func TestBrowserManufacturing(t *testing.T) {
	b := browsertest.New(t)
	srv := serve(t, options{assets: testenv.EChartsDir(t), sqlite: filepath.Join(t.TempDir(), "plant.db"), history: 24, demoUsers: true})
	for _, role := range []string{"viewer", "analyst", "manager"} {
		t.Run(role, func(t *testing.T) {
			p := b.Open(t, srv.URL+"/")
			p.WaitFor(`location.pathname === '/login'`)
			p.Do(chromedp.SetValue(chromedp.CSS("#user"), role), chromedp.SetValue(chromedp.CSS("#password"), role+"-demo"), chromedp.Submit(chromedp.CSS("form")))
			p.WaitFor(`location.pathname === '/' && document.querySelectorAll('.dk-chart canvas').length === 3`)
			dropdowns := browsertest.Eval[int](p, `document.querySelectorAll('#filter-facility-input').length`)
			exports := browsertest.Eval[int](p, `document.querySelectorAll('a.dk-export').length`)
			switch role {
			case "viewer":
				require.Zero(t, dropdowns)
				require.Zero(t, exports)
				return
			case "analyst":
				require.Zero(t, dropdowns)
				require.Equal(t, 1, exports)
				return
			}
			require.Equal(t, 1, dropdowns)
			p.Do(chromedp.SetValue(chromedp.CSS("#filter-facility-input"), "Pune"))
			p.WaitFor(`document.querySelector('#panel-machines caption').textContent.startsWith('Pune')`)
			require.Contains(t, browsertest.Eval[string](p, `location.search`), "facility=Pune")
			p.Do(chromedp.Sleep(500e6))
			p.Screenshot("testdata/screenshots/manufacturing.png")
		})
	}
}

// TestOperationsRoutesNeedNoSession: a load balancer's probe and a
// Prometheus scrape get answers without signing in; readiness follows the
// database.
func TestOperationsRoutesNeedNoSession(t *testing.T) {
	cfg := devConfig(t)
	o := options{sqlite: filepath.Join(t.TempDir(), "plant.db"), history: 6, demoUsers: true}
	p, st, err := setup(context.Background(), cfg, o, quiet)
	require.NoError(t, err)
	h, d, err := handler(cfg, o, p, quiet)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})
	get := func(path string) (int, string) {
		res, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	code, _ := get("/healthz")
	require.Equal(t, http.StatusOK, code)
	code, body := get("/readyz")
	require.Equal(t, http.StatusOK, code, body)
	loginAs(t, srv.URL, "viewer").Get(srv.URL + "/") // one computation to count
	code, body = get("/metrics")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "dashkit_panel_compute_seconds_count{namespace=\"dashboard\",panel=\"oee\"}")
	require.Contains(t, body, "go_goroutines")
	require.Contains(t, body, "process_resident_memory_bytes")

	require.NoError(t, st.close()) // the database goes away
	code, body = get("/readyz")
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.JSONEq(t, `{"ready":false,"failed":["database"]}`, body)
}
