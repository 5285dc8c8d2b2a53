package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// canvasDrawn is true once the chart in #id has an ECharts instance whose
// canvas has more than a thousand painted pixels.
const canvasDrawn = `((id) => {
	const el = document.getElementById(id);
	if (!el || !window.echarts || !echarts.getInstanceByDom(el)) return false;
	const cv = el.querySelector('canvas');
	if (!cv || !cv.width || !cv.height) return false;
	const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
	let n = 0;
	for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
	return n > 1000;
})`

// TestBrowserLivePage loads the dashboard under /ops/ in headless Chromium
// with the locally installed ECharts: the heatmap is drawn, panels update in
// place without a reload, no request leaves the machine, and the console
// stays clean (a CSP violation would be an error there).
func TestBrowserLivePage(t *testing.T) {
	b := browsertest.New(t)

	var ticks atomic.Int64
	d, err := dashboard.New("Browser test", dashboard.Options{
		Assets: os.DirFS(testenv.EChartsDir(t)),
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "ticks", Title: "Ticks", Width: 4, Refresh: 200 * time.Millisecond,
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					return components.MetricCard{Title: "Ticks", Value: float64(ticks.Add(1))}, nil
				}},
			{ID: "risk", Title: "Risk map", Refresh: 200 * time.Millisecond,
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					n := float64(ticks.Load())
					return components.Heatmap{
						Title:   "Risk",
						XLabels: []string{"Market", "Credit", "Liquidity"},
						YLabels: []string{"Energy", "Tech", "Utilities"},
						Values:  [][]float64{{1, 2, 3}, {4, n, 6}, {7, 8, 9}},
					}, nil
				}},
		}}},
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	mux := http.NewServeMux()
	mux.Handle("/ops/", http.StripPrefix("/ops", d))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	p := b.Open(t, srv.URL+"/ops/")
	p.WaitFor(canvasDrawn + `("risk")`)
	// Mark the page, so a reload would show.
	browsertest.Eval[bool](p, `window.__notReloaded = true`)

	first := browsertest.Eval[string](p, `document.querySelector('#panel-ticks .dk-card-value').textContent`)
	p.WaitFor(`document.querySelector('#panel-ticks .dk-card-value').textContent !== ` + "`" + first + "`")
	firstCell := browsertest.Eval[float64](p, `echarts.getInstanceByDom(document.getElementById('risk')).getOption().series[0].data[4].value[2]`)
	p.WaitFor(`echarts.getInstanceByDom(document.getElementById('risk')).getOption().series[0].data[4].value[2] !== ` + strconv.FormatFloat(firstCell, 'g', -1, 64))
	require.True(t, browsertest.Eval[bool](p, `window.__notReloaded === true`), "panels update in place")

	reqs := p.Requests()
	require.NotEmpty(t, reqs)
	require.Contains(t, reqs, srv.URL+"/ops/assets/echarts.min.js")
	p.Screenshot("testdata/screenshots/live-page.png")
}
