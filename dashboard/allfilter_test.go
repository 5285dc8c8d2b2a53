package dashboard_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
)

var regionOptions = []components.Option{{Value: "north", Label: "North"}, {Value: "south", Label: "South"}}

// regional is a dashboard with a region filter that has an All choice and
// labels; a bar chart shows the labels and cross-filters the region.
func regional(t *testing.T) *dashboard.Dashboard {
	t.Helper()
	d, err := dashboard.New("Regions", dashboard.Options{
		RefreshInterval: time.Hour,
		Filters:         []dashboard.Filter{{Name: "region", Label: "Region", All: "All regions", Options: regionOptions}},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "by-region", Title: "Revenue by region", CrossFilter: &dashboard.CrossFilter{Filter: "region"},
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					return components.Bar{Categories: []string{"North", "South"}, Series: []components.Series{{Name: "revenue", Values: []float64{30, 20}}}}, nil
				}},
			{ID: "detail", Title: "Region", Filters: []string{"region"},
				Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
					who := p.Value("region")
					if who == "" {
						who = "everywhere"
					}
					return components.MetricCard{Title: "Revenue " + who, Value: float64(len(p.Values("region")))}, nil
				}},
		}}},
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	return d
}

// TestAllIsTheAbsenceOfTheFilter: with no parameter (or the All choice's
// empty value) the data function sees no restriction, the dropdown shows
// All first and selected, and an option is still a restriction.
func TestAllIsTheAbsenceOfTheFilter(t *testing.T) {
	d := regional(t)
	page := html.UnescapeString(body(t, get(t, d, "/")))
	require.Contains(t, page, "Revenue everywhere")
	require.Regexp(t, `<option value="" selected>All regions</option>\s*<option value="north">North</option>`, page)
	require.Contains(t, html.UnescapeString(body(t, get(t, d, "/?region="))), "Revenue everywhere")
	require.Contains(t, html.UnescapeString(body(t, get(t, d, "/?region=north"))), "Revenue north")
	require.Equal(t, http.StatusBadRequest, get(t, d, "/?region=North").StatusCode, "a label is not a value")
	require.Contains(t, page, `"values":{"North":"north","South":"south","north":"north","south":"south"}`)

	for _, tc := range []struct {
		name string
		f    dashboard.Filter
		msg  string
	}{
		{"multiple", dashboard.Filter{Name: "r", All: "All", Multiple: true, Options: regionOptions}, "single dropdown"},
		{"default", dashboard.Filter{Name: "r", All: "All", Default: []string{"north"}, Options: regionOptions}, "leave Default empty"},
		{"empty value", dashboard.Filter{Name: "r", All: "All", Options: []components.Option{{Value: ""}}}, "empty value"},
	} {
		_, err := dashboard.New("t", dashboard.Options{Filters: []dashboard.Filter{tc.f}})
		require.ErrorIs(t, err, dashboard.ErrInvalidOptions, tc.name)
		require.ErrorContains(t, err, tc.msg, tc.name)
	}
}

// TestBrowserClickOnALabelSetsTheValue clicks the bar labelled "North": the
// URL gets region=north; choosing "All regions" removes the parameter.
func TestBrowserClickOnALabelSetsTheValue(t *testing.T) {
	b := browsertest.New(t)
	srv := httptest.NewServer(regional(t))
	t.Cleanup(srv.Close)
	p := b.Open(t, srv.URL+"/")
	p.WaitFor(`document.documentElement.dataset.dkStatus === 'live' && document.querySelector('#by-region canvas')`)
	p.Do(chromedp.Sleep(300 * time.Millisecond))
	xy := browsertest.Eval[[]float64](p, `(() => {
		const el = document.getElementById('by-region');
		const [x, y] = echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, ['North', 10]);
		const r = el.getBoundingClientRect();
		return [r.left + x, r.top + y];
	})()`)
	p.Do(chromedp.MouseClickXY(xy[0], xy[1]))
	p.WaitFor(`document.querySelector('#panel-detail .dk-card-title').textContent === 'Revenue north'`)
	require.Equal(t, "?region=north", browsertest.Eval[string](p, `location.search`))
	require.Equal(t, "north", browsertest.Eval[string](p, `document.getElementById('filter-region-input').value`))

	p.Do(chromedp.SetValue(chromedp.CSS(`#filter-region-input`), ""))
	p.WaitFor(`document.querySelector('#panel-detail .dk-card-title').textContent === 'Revenue everywhere'`)
	require.Equal(t, "", browsertest.Eval[string](p, `location.search`))
}
