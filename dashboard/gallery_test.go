package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/gallery"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// galleryRows packs every gallery sample into rows of 12 columns.
func galleryRows() []dashboard.Row {
	var rows []dashboard.Row
	var row dashboard.Row
	used := 0
	for _, it := range gallery.Items() {
		if used+it.Width > 12 {
			rows = append(rows, row)
			row, used = dashboard.Row{}, 0
		}
		c := it.Component
		row.Panels = append(row.Panels, dashboard.Panel{
			ID: it.Name, Title: it.Title, Width: it.Width,
			Data: func(context.Context, dashboard.Params) (components.Component, error) { return c, nil },
		})
		used += it.Width
	}
	return append(rows, row)
}

// allChartsDrawn is true when every chart on the page has painted pixels.
const allChartsDrawn = `(() => {
	const els = [...document.querySelectorAll('.dk-chart')];
	if (!window.echarts || els.length === 0) return false;
	return els.every(el => {
		if (!echarts.getInstanceByDom(el)) return false;
		const cv = el.querySelector('canvas');
		if (!cv || !cv.width) return false;
		const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
		let n = 0;
		for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
		return n > 500;
	});
})()`

// TestBrowserGallery renders every component in both themes in headless
// Chromium: charts drawn, named formats turned into functions, no console
// error, no CSP violation. It saves a screenshot of each theme.
func TestBrowserGallery(t *testing.T) {
	b := browsertest.New(t)
	assets := os.DirFS(testenv.EChartsDir(t))
	for _, theme := range []dashboard.Theme{dashboard.ThemeLight, dashboard.ThemeDark} {
		t.Run(string(theme), func(t *testing.T) {
			d, err := dashboard.New("Component gallery ("+string(theme)+")", dashboard.Options{Assets: assets, Theme: theme, Rows: galleryRows()})
			require.NoError(t, err)
			t.Cleanup(func() { _ = d.Close(context.Background()) })
			srv := httptest.NewServer(http.StripPrefix("/gallery", d))
			t.Cleanup(srv.Close)

			p := b.Open(t, srv.URL+"/gallery/")
			p.WaitFor(allChartsDrawn)
			charts := browsertest.Eval[int](p, `document.querySelectorAll('.dk-chart').length`)
			require.Equal(t, 8, charts, "seven chart panels, and a gauge inside the grid")
			require.Equal(t, "function", browsertest.Eval[string](p,
				`typeof echarts.getInstanceByDom(document.getElementById('line')).getOption().yAxis[0].axisLabel.formatter`))
			require.Equal(t, "$2.4M", browsertest.Eval[string](p,
				`echarts.getInstanceByDom(document.getElementById('line')).getOption().yAxis[0].axisLabel.formatter(2.4e6)`),
				"the runtime formats as NumberFormat does")
			require.Equal(t, string(theme), browsertest.Eval[string](p, `document.documentElement.dataset.theme`))
			p.Screenshot("testdata/screenshots/gallery-" + string(theme) + ".png")
		})
	}
}
