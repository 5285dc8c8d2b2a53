package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
)

// FuzzViewQuery sends any query to a table panel, through the handler as a
// request reaches it: the answer is 200 or 400, never another status or a
// panic; 400 exactly when url.ParseQuery or parseView refuses the query,
// or the table's sort names no column (an oracle written from the table:
// columns name and v); a 400 never echoes much of what it was sent; and no sort, page
// or filter multiplies the table's computation, which depends on no
// filter: its data function runs once per refresh interval.
func FuzzViewQuery(f *testing.F) {
	for _, s := range []string{
		"", "top.sort=v&top.desc=1&top.page=2", "top.sort=nope", "top.page=4", "top.page=0", "top.page=3",
		"top.sort=name&top.sort=v", "top.desc=2", "sector=s03&sector=s01&score_from=1e1", "a=1;b=2",
		"%zz", "top.page=%2B1", "p.sort=v", "nope.sort=v", "_last=1.2", "score_from=NaN", "period_from=2026-02-30",
		"sector=" + strings.Repeat("v", 5000), strings.Repeat("x=1&", 10_001),
	} {
		f.Add(s)
	}
	var calls atomic.Int64
	opts := make([]components.Option, 60)
	for i := range opts {
		opts[i] = components.Option{Value: fmt.Sprintf("s%02d", i)}
	}
	d, err := New("t", Options{
		RefreshInterval: 24 * time.Hour,
		Filters: []Filter{
			{Name: "sector", Options: opts, Multiple: true},
			{Name: "period", DateRange: true, Min: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Max: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
			{Name: "score", NumberRange: true, Bounds: [2]float64{-10, 100}},
		},
		Rows: []Row{{Panels: []Panel{
			{ID: "top", Title: "Top", Data: func(context.Context, Params) (components.Component, error) {
				calls.Add(1)
				names, vals := make([]string, 25), make([]float64, 25)
				for i := range names {
					names[i], vals[i] = fmt.Sprintf("row-%02d", i), float64((i*7)%25)
				}
				return components.Table{PageSize: 10, Columns: []components.Column{
					{Key: "name", Title: "Name", Text: names}, {Key: "v", Title: "Value", Numbers: vals},
				}}, nil
			}},
			{ID: "p", Title: "P", Filters: []string{"sector", "period", "score"},
				Data: func(context.Context, Params) (components.Component, error) { return components.MetricCard{}, nil }},
		}}},
	})
	require.NoError(f, err)
	f.Cleanup(func() { _ = d.Close(context.Background()) })
	start := time.Now()
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest(http.MethodGet, "/panels/top", nil)
		req.URL.RawQuery = raw
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, req)

		want := http.StatusOK
		if q, err := url.ParseQuery(raw); err != nil {
			want = http.StatusBadRequest
		} else if _, err := d.parseView(q); err != nil {
			want = http.StatusBadRequest
		} else {
			if s := q.Get("top.sort"); s != "" && s != "name" && s != "v" {
				want = http.StatusBadRequest
			}
			// 25 rows, 10 a page: a page past the third is refused.
			if p, err := strconv.Atoi(q.Get("top.page")); err == nil && p > 3 {
				want = http.StatusBadRequest
			}
		}
		if rec.Code != want {
			t.Fatalf("%q: %d, want %d: %s", raw, rec.Code, want, clip(rec.Body.String()))
		}
		if rec.Code == http.StatusBadRequest && rec.Body.Len() > 4<<10 {
			t.Fatalf("%q: a 400 of %d bytes", raw, rec.Body.Len())
		}
		// One computation per refresh interval (two if the fuzzing spans
		// a boundary of the 24-hour interval).
		if n := calls.Load(); n > 1+int64(time.Since(start)/(24*time.Hour))+1 {
			t.Fatalf("%q: the table computed %d times", raw, n)
		}
	})
}
