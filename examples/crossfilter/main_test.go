package main

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// TestBrowserClickFiltersTheOthers clicks the "East" bar: the product chart
// and the trend switch to East, the region chart stays as it was.
func TestBrowserClickFiltersTheOthers(t *testing.T) {
	b := browsertest.New(t)
	h, d, err := newHandler(os.DirFS(testenv.EChartsDir(t)), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})
	p := b.Open(t, srv.URL+"/")
	p.WaitFor(`document.querySelectorAll('.dk-chart canvas').length === 3`)
	p.Do(chromedp.Sleep(400 * time.Millisecond))
	regionHash := browsertest.Eval[string](p, `document.getElementById('panel-by-region').dataset.hash`)
	xy := browsertest.Eval[[]float64](p, `(() => {
		const el = document.getElementById('by-region');
		const [x, y] = echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, ['East', 100]);
		const r = el.getBoundingClientRect();
		return [r.left + x, r.top + y];
	})()`)
	p.Do(chromedp.MouseClickXY(xy[0], xy[1]))
	p.WaitFor(`echarts.getInstanceByDom(document.getElementById('trend')).getOption().title[0].text === 'East · all'`)
	require.Contains(t, browsertest.Eval[string](p, `location.search`), "region=East")
	require.Equal(t, "East", browsertest.Eval[string](p, `document.getElementById('filter-region-input').value`))
	require.Contains(t, browsertest.Eval[string](p, `document.getElementById('by-product').getAttribute('aria-label')`), "in East regions")
	require.Equal(t, regionHash, browsertest.Eval[string](p, `document.getElementById('panel-by-region').dataset.hash`), "the clicked chart does not depend on its own filter")
	p.Screenshot("testdata/screenshots/crossfilter.png")
}

func TestSalesCubeAddsUp(t *testing.T) {
	total := 0.0
	for r := range regions {
		for p := range products {
			for m := range months {
				v := sales(r, p, m)
				require.Greater(t, v, 0.0)
				total += v
			}
		}
	}
	require.Greater(t, total, 0.0)
	require.Len(t, pick(regions, nil), len(regions))
	require.Equal(t, []int{2}, pick(regions, []string{"East"}))
	require.Len(t, inPeriod(time.Time{}, time.Time{}), 12)
	require.Equal(t, []int{2, 3, 4, 5}, inPeriod(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)), "months that overlap")
}
