package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

func rowsTable(context.Context, dashboard.Params) (components.Component, error) {
	names, vals := make([]string, 25), make([]float64, 25)
	for i := range names {
		names[i] = fmt.Sprintf("row-%02d", i)
		vals[i] = float64((i * 7) % 25)
	}
	return components.Table{PageSize: 10, Columns: []components.Column{
		{Key: "name", Title: "Name", Text: names},
		{Key: "v", Title: "Value", Numbers: vals},
	}}, nil
}

func TestTableSortAndPageFromTheQuery(t *testing.T) {
	d := newDashboard(t, dashboard.Options{
		Authorizer:       role(map[string][]string{"viewer": {"read"}}),
		FilterPermission: "filter",
		Rows:             []dashboard.Row{{Panels: []dashboard.Panel{{ID: "rows", Title: "Rows", Export: true, Data: rowsTable}}}},
	})
	do := func(target string) *http.Response {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("X-Test-Role", "viewer")
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, req)
		return rec.Result()
	}
	res := do("/panels/rows?rows.sort=v&rows.desc=1&rows.page=2")
	require.Equal(t, http.StatusOK, res.StatusCode, "sorting is presentation: a viewer may")
	b := body(t, res)
	require.Contains(t, b, `Rows 11–20 of 25`)
	require.Contains(t, b, `aria-sort=\"descending\"`)
	// Descending values 24…0, one each: page 2 starts at 14.
	require.Regexp(t, `row-\d\d\\u003c/td\\u003e\\u003ctd class=\\"dk-col-number\\"\\u003e14\\u003c`, b)

	res = do("/export/rows.csv?rows.sort=v")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.True(t, strings.HasPrefix(body(t, res), "name,v\nrow-00,0\n"), "export follows the sort, every row")

	for _, q := range []string{"rows.page=0", "rows.page=4", "rows.page=99999", "rows.page=x", "rows.desc=2", "rows.sort=%3Cb%3E", "nope.sort=v", "rows.color=red", "rows.page=1&rows.page=2"} {
		require.Equal(t, http.StatusBadRequest, do("/panels/rows?"+q).StatusCode, q)
	}
	res = do("/panels/rows?rows.sort=unknown")
	require.Equal(t, http.StatusBadRequest, res.StatusCode, "an unknown column is a bad request")
	require.Contains(t, body(t, res), `no column \"unknown\"`)
}

// Hardening row "presentation state never multiplies computation": a viewer
// who sends 500 requests, each with its own sort and page, costs one call
// of the table's data function in the interval — before, each distinct sort
// or page was its own cache entry and its own computation.
func TestSortAndPageNeverMultiplyComputation(t *testing.T) {
	reg := prometheus.NewRegistry()
	var calls atomic.Int64
	d := newDashboard(t, dashboard.Options{Registerer: reg, Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "top", Title: "Top", Refresh: time.Hour, Data: func(ctx context.Context, p dashboard.Params) (components.Component, error) {
			calls.Add(1)
			return rowsTable(ctx, p)
		}},
	}}}})
	srv := httptest.NewServer(d)
	defer srv.Close()
	statuses, want := map[int]int{}, map[int]int{}
	for i := range 500 {
		sort, page := []string{"name", "v", "nope"}[i%3], 1+i%250
		q := fmt.Sprintf("top.sort=%s&top.page=%d&top.desc=%d", sort, page, i%2)
		if sort != "nope" && page <= 3 { // 25 rows, 10 a page
			want[http.StatusOK]++
		} else {
			want[http.StatusBadRequest]++
		}
		res, err := srv.Client().Get(srv.URL + "/panels/top?" + q)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		statuses[res.StatusCode]++
	}
	require.Equal(t, want, statuses, "valid views served; an unknown column, or a page past the third, refused")
	require.Positive(t, want[http.StatusOK])
	require.Equal(t, int64(1), calls.Load())
	require.Equal(t, 1.0, histogramCount(t, reg, "dashkit_panel_compute_seconds", "top"))
}

// histogramCount is the sample count of a histogram's series whose panel
// label is panel.
func histogramCount(t *testing.T, reg *prometheus.Registry, name, panel string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "panel" && l.GetValue() == panel {
					return float64(m.GetHistogram().GetSampleCount())
				}
			}
		}
	}
	t.Fatalf("no %s for panel %q", name, panel)
	return 0
}

// TestBrowserTableSortsAndPages clicks a table's header twice and its Next
// button: only that panel updates, the state lives in the URL.
func TestBrowserTableSortsAndPages(t *testing.T) {
	b := browsertest.New(t)
	d, err := dashboard.New("Tables", dashboard.Options{
		Assets: os.DirFS(testenv.EChartsDir(t)),
		Rows:   []dashboard.Row{{Panels: []dashboard.Panel{{ID: "rows", Title: "Rows", Data: rowsTable}}}},
	})
	require.NoError(t, err)
	srv := serve(t, d)
	p := b.Open(t, srv.URL+"/")
	first := `document.querySelector('#panel-rows tbody tr td:nth-child(2)').textContent`
	p.WaitFor(first + ` === '0'`) // row-00 has value 0
	p.Do(clickCSS(`#panel-rows button[data-sort-key="v"]`))
	// Wait for the re-rendered table (its header now says ascending), not
	// only the URL: clicking while the panel is being replaced would hit a
	// node that no longer exists.
	p.WaitFor(`location.search.includes('rows.sort=v') && document.querySelector('#panel-rows th[aria-sort="ascending"]') !== null && ` + first + ` === '0'`)
	p.Do(clickCSS(`#panel-rows button[data-sort-key="v"]`))
	p.WaitFor(first + ` === '24'`)
	require.Contains(t, browsertest.Eval[string](p, `location.search`), "rows.desc=1")
	p.Do(clickCSS(`#panel-rows .dk-pager button[data-page="2"]`))
	p.WaitFor(first + ` === '14'`)
	require.Contains(t, browsertest.Eval[string](p, `document.querySelector('#panel-rows .dk-pager span').textContent`), "Rows 11–20 of 25")
}
