package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

var sectors = []string{"Energy", "Tech", "Utilities"}

// interactive is a dashboard with a sector filter, a panel that depends on
// it, one that does not, and a heatmap whose rows cross-filter the sector.
func interactive(t *testing.T) *httptest.Server {
	t.Helper()
	var opts []components.Option
	for _, s := range sectors {
		opts = append(opts, components.Option{Value: s})
	}
	d, err := dashboard.New("Interactive", dashboard.Options{
		Assets:          os.DirFS(testenv.EChartsDir(t)),
		RefreshInterval: time.Hour, // only filter changes update panels here
		Filters:         []dashboard.Filter{{Name: "sector", Label: "Sector", Options: opts}},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "risk", Title: "Risk map", Width: 6, CrossFilter: &dashboard.CrossFilter{Filter: "sector", From: "y"},
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					return components.Heatmap{Title: "Risk", XLabels: []string{"Market", "Credit"}, YLabels: sectors,
						Values: [][]float64{{1, 2}, {3, 4}, {5, 6}}}, nil
				}},
			{ID: "detail", Title: "Sector detail", Width: 3, Filters: []string{"sector"},
				Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
					return components.MetricCard{Title: "Sector " + p.Value("sector"), Value: float64(len(p.Value("sector")))}, nil
				}},
			{ID: "total", Title: "Total", Width: 3,
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					return components.MetricCard{Title: "Total", Value: 42}, nil
				}},
		}}},
	})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/ops/", http.StripPrefix("/ops", d))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})
	return srv
}

func panelFetches(p *browsertest.Page, id string) int {
	n := 0
	for _, u := range p.Requests() {
		if strings.Contains(u, "/ops/panels/"+id) {
			n++
		}
	}
	return n
}

// TestBrowserDropdownUpdatesOnlyDependentPanels chooses a sector: the URL
// carries it, the dependent panel shows it, and no panel is fetched (the
// stream brings the new view); the other panel is not changed.
func TestBrowserDropdownUpdatesOnlyDependentPanels(t *testing.T) {
	b := browsertest.New(t)
	srv := interactive(t)
	p := b.Open(t, srv.URL+"/ops/")
	p.WaitFor(`document.documentElement.dataset.dkStatus === 'live'`)
	require.Equal(t, "Sector Energy", browsertest.Eval[string](p, `document.querySelector('#panel-detail .dk-card-title').textContent`))
	totalHash := browsertest.Eval[string](p, `document.getElementById('panel-total').dataset.hash`)

	// SetValue sets the value and fires input and change, as a user's
	// choice does.
	p.Do(chromedp.SetValue(chromedp.CSS(`#filter-sector-input`), "Utilities"))
	p.WaitFor(`document.querySelector('#panel-detail .dk-card-title').textContent === 'Sector Utilities'`)
	require.Contains(t, browsertest.Eval[string](p, `location.search`), "sector=Utilities", "the view lives in the URL")
	require.Zero(t, panelFetches(p, "detail"), "the stream that follows the new view brings it (see TestBrowserFilterChangeTakesOnePath)")
	require.Zero(t, panelFetches(p, "total"), "a panel that ignores the filter is not fetched")
	require.Zero(t, panelFetches(p, "risk"))
	require.Equal(t, totalHash, browsertest.Eval[string](p, `document.getElementById('panel-total').dataset.hash`))
	p.WaitFor(`document.documentElement.dataset.dkStatus === 'live'`) // the stream follows the new view
}

// TestBrowserHeatmapClickCrossFilters clicks the heatmap's Tech row: the
// sector filter, its dropdown and the dependent panel follow.
func TestBrowserHeatmapClickCrossFilters(t *testing.T) {
	b := browsertest.New(t)
	srv := interactive(t)
	p := b.Open(t, srv.URL+"/ops/")
	p.WaitFor(`(() => { const el = document.getElementById('risk'); return window.echarts && echarts.getInstanceByDom(el) && el.querySelector('canvas'); })()`)
	p.Do(chromedp.Sleep(300 * time.Millisecond)) // let the first animation settle

	// The centre of the cell (Credit, Tech), in page coordinates.
	xy := browsertest.Eval[[]float64](p, `(() => {
		const el = document.getElementById('risk');
		const [x, y] = echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, [1, 1]);
		const r = el.getBoundingClientRect();
		return [r.left + x, r.top + y];
	})()`)
	p.Do(chromedp.MouseClickXY(xy[0], xy[1]))
	p.WaitFor(`document.querySelector('#panel-detail .dk-card-title').textContent === 'Sector Tech'`)
	require.Contains(t, browsertest.Eval[string](p, `location.search`), "sector=Tech")
	require.Equal(t, "Tech", browsertest.Eval[string](p, `document.getElementById('filter-sector-input').value`))
	p.Screenshot("testdata/screenshots/crossfilter.png")
}
