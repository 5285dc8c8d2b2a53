package journeys_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/browsertest"
)

// The selection journeys run on TestJourneys' servers (see selections):
// a person selects on charts the way the guide's dashboards are used —
// drags, shift-clicks, Escape — and shares the result by its URL.

// at is the viewport point of a chart's coordinate: ECharts converts it
// (convertToPixel with finder, e.g. {seriesIndex: 0}, and a value).
func at(p *browsertest.Page, id, finder, value string) []float64 {
	return browsertest.Eval[[]float64](p, fmt.Sprintf(`(() => {
		const el = document.getElementById(%q);
		el.scrollIntoView({block: 'center'});
		const xy = echarts.getInstanceByDom(el).convertToPixel(%s, %s);
		const r = el.getBoundingClientRect();
		return [r.left + xy[0], r.top + xy[1]];
	})()`, id, finder, value))
}

// drag presses the mouse at a, moves to b in steps, and releases it, as
// a hand does.
func drag(p *browsertest.Page, a, b []float64, mods kb.Modifier) {
	p.Do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, a[0], a[1]))
	p.Do(chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, a[0], a[1], chromedp.ButtonLeft, chromedp.ClickCount(1), chromedp.ButtonModifiers(mods)))
	for i := 1; i <= 12; i++ {
		f := float64(i) / 12
		p.Do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, a[0]+(b[0]-a[0])*f, a[1]+(b[1]-a[1])*f, chromedp.ButtonLeft, chromedp.ButtonModifiers(mods)))
	}
	p.Do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, b[0], b[1], chromedp.ButtonLeft, chromedp.ClickCount(1), chromedp.ButtonModifiers(mods)))
}

// click clicks at xy, holding mods (shift: kb.ModifierShift).
func click(p *browsertest.Page, xy []float64, mods kb.Modifier) {
	p.Do(chromedp.MouseClickXY(xy[0], xy[1], chromedp.ButtonModifiers(mods)))
}

// opacities are the bars' opacities of a chart's first series, as drawn:
// selected ones 1, the others dimmed.
func opacities(id string) string {
	return fmt.Sprintf(`echarts.getInstanceByDom(document.getElementById(%q)).getOption().series[0].data.map(d => d.itemStyle ? d.itemStyle.opacity : 1).join(',')`, id)
}

const (
	chips     = `[...document.querySelectorAll('.dk-chip')].map(c => c.textContent.replace('×', '').trim()).join(' | ')`
	chartText = `echarts.getInstanceByDom(document.getElementById('trend')).getOption().title[0].text`
	brushes   = `echarts.getInstanceByDom(document.getElementById('trend')).getModel().getComponent('brush').areas.length`
	// applied counts, per panel, the updates the page applied since
	// countApplied ran (a changed data-hash is one).
	countApplied = `(() => {
		window.applied = {};
		new MutationObserver(ms => ms.forEach(m => {
			const id = m.target.dataset.panel;
			applied[id] = (applied[id] || 0) + 1;
		})).observe(document.querySelector('.dk-grid'), {subtree: true, attributes: true, attributeFilter: ['data-hash']});
		return true;
	})()`
)

func search(p *browsertest.Page) string { return browsertest.Eval[string](p, `location.search`) }

// crossfilterSelection: a plain drag across three bars selects the three
// (the URL holds them) and the other charts show only those; only they
// update. Shift-click adds and removes a bar, a brush along the trend
// picks a period that both bar charts follow, a reload reproduces it all,
// and Escape, a click on empty space and a chip's × clear.
func crossfilterSelection(t *testing.T, b *browsertest.Browser, s *server, width, height int) {
	p := b.Open(t, s.url("/"), browsertest.Viewport(width, height))
	settled(t, p)
	p.Do(chromedp.Sleep(time.Second)) // the first animation ends
	require.True(t, browsertest.Eval[bool](p, `document.querySelector('.dk-selection').hidden`), "no selection, no bar")
	browsertest.Eval[bool](p, countApplied)
	requestsBefore := len(p.Requests())

	// Drag across South, East and West, half-way up the bars.
	bar := func(name string) []float64 {
		return at(p, "by-region", `{seriesIndex: 0}`, fmt.Sprintf(`[%q, 2000]`, name))
	}
	south, west := bar("South"), bar("West")
	drag(p, []float64{south[0] - 15, south[1]}, []float64{west[0] + 15, west[1] - 40}, 0)
	p.WaitFor(`location.search === '?region=South&region=East&region=West'`)
	p.WaitFor(chartText + ` === 'South, East, West · All products'`)
	p.WaitFor(`document.getElementById('by-product').getAttribute('aria-label').includes('in South, East, West regions')`)
	require.Equal(t, "Region: South, East, West", browsertest.Eval[string](p, chips))
	require.Equal(t, "0.3,1,1,1,0.3", browsertest.Eval[string](p, opacities("by-region")), "the selected bars stand out, the others are dimmed")
	p.Do(chromedp.Sleep(1500 * time.Millisecond)) // the bars settle
	applied := browsertest.Eval[map[string]int](p, `applied`)
	require.Zero(t, applied["by-region"], "the chart that selected does not filter itself")
	require.Positive(t, applied["by-product"])
	require.Positive(t, applied["trend"])
	for _, u := range p.Requests()[requestsBefore:] {
		require.NotContains(t, u, "/panels/", "the new view came by the stream: no panel was fetched")
	}
	shot := filepath.Join("testdata", "screenshots", fmt.Sprintf("crossfilter-selection-%d", width))
	p.Do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`), chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 1, 1))
	p.Do(chromedp.Sleep(500 * time.Millisecond))
	p.Screenshot(shot + ".png")

	// Shift-click adds North, then removes East.
	click(p, bar("North"), kb.ModifierShift)
	p.WaitFor(`location.search === '?region=North&region=South&region=East&region=West'`)
	click(p, bar("East"), kb.ModifierShift)
	p.WaitFor(`location.search === '?region=North&region=South&region=West'`)
	p.WaitFor(chartText + ` === 'North, South, West · All products'`)
	require.Equal(t, "1,1,0.3,1,0.3", browsertest.Eval[string](p, opacities("by-region")))

	// A brush along the trend, mid-March to mid-June: both bar charts show
	// that period; the trend keeps the range drawn.
	march := at(p, "trend", `{xAxisIndex: 0, yAxisIndex: 0}`, `[Date.UTC(2026, 2, 15), 2000]`)
	june := at(p, "trend", `{xAxisIndex: 0, yAxisIndex: 0}`, `[Date.UTC(2026, 5, 15), 2000]`)
	drag(p, march, june, 0)
	p.WaitFor(`/period_from=2026-03-1\d&period_to=2026-06-1\d/.test(location.search)`)
	require.Contains(t, search(p), "region=North&region=South&region=West", "the two selections combine")
	p.WaitFor(`/Mar 1\d to Jun 1\d/.test(document.getElementById('by-product').getAttribute('aria-label'))`)
	p.WaitFor(`/Mar 1\d to Jun 1\d/.test(document.getElementById('by-region').getAttribute('aria-label'))`)
	require.Equal(t, 1, browsertest.Eval[int](p, brushes), "the trend shows its selected range")
	require.Regexp(t, `^Region: North, South, West \| Period: 2026-03-1\d – 2026-06-1\d$`, browsertest.Eval[string](p, chips))
	require.False(t, browsertest.Eval[bool](p, `document.querySelector('.dk-clear-all').hidden`), "two chips: clear all is offered")
	p.Do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`), chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 1, 1))
	p.Do(chromedp.Sleep(1500 * time.Millisecond))
	p.Screenshot(shot + "-period.png")

	// The URL reproduces it after a reload.
	view := search(p)
	p.Do(chromedp.Reload())
	settled(t, p)
	require.Equal(t, view, search(p))
	p.WaitFor(`document.querySelectorAll('.dk-chip').length === 2`)
	require.Equal(t, "1,1,0.3,1,0.3", browsertest.Eval[string](p, opacities("by-region")))
	require.Equal(t, 1, browsertest.Eval[int](p, brushes))
	p.WaitFor(`/Mar 1\d to Jun 1\d/.test(document.getElementById('by-product').getAttribute('aria-label'))`)

	// Escape clears every selection.
	p.Do(chromedp.KeyEvent(kb.Escape))
	p.WaitFor(`location.search === ''`)
	p.WaitFor(`document.querySelector('.dk-selection').hidden`)
	p.WaitFor(chartText + ` === 'All regions · All products'`)
	require.Equal(t, "1,1,1,1,1", browsertest.Eval[string](p, opacities("by-region")))
	require.Zero(t, browsertest.Eval[int](p, brushes))

	// A click chooses one bar; a click on empty space clears it. A click
	// chooses another; the chip's × clears it.
	p.Do(chromedp.Sleep(time.Second))
	click(p, bar("East"), 0)
	p.WaitFor(`location.search === '?region=East'`)
	empty := at(p, "by-region", `{xAxisIndex: 0, yAxisIndex: 0}`, `['North', 9900]`)
	click(p, empty, 0)
	p.WaitFor(`location.search === ''`)
	click(p, bar("Central"), 0)
	p.WaitFor(`location.search === '?region=Central'`)
	p.Do(chromedp.Click(chromedp.CSS(`.dk-chip[data-chip=region] .dk-chip-clear`)))
	p.WaitFor(`location.search === ''`)
	settled(t, p)
	require.True(t, browsertest.Eval[bool](p, `document.querySelector('.dk-notice').hidden`))
}

// riskSelection: a manager selects two sectors on the heatmap (a click and
// a shift-click); the contributors table and the ES card show both. A
// viewer's drag selects nothing.
func riskSelection(t *testing.T, b *browsertest.Browser, s *server, width, height int) {
	p := b.Open(t, s.url("/"), browsertest.Viewport(width, height))
	signIn(p, "manager")
	settled(t, p)
	p.Do(chromedp.Sleep(time.Second))
	cell := func(sector string) []float64 {
		return at(p, "heatmap", `{seriesIndex: 0}`, fmt.Sprintf(`['Market', %q]`, sector))
	}
	click(p, cell("Energy"), 0)
	p.WaitFor(`location.search === '?sector=Energy'`)
	p.Do(chromedp.Sleep(500 * time.Millisecond))
	click(p, cell("Utilities"), kb.ModifierShift)
	p.WaitFor(`location.search === '?sector=Energy&sector=Utilities'`)
	p.WaitFor(`document.querySelector('#panel-top caption').textContent.startsWith('Energy, Utilities ·')`)
	p.WaitFor(`document.querySelector('#panel-es .dk-card-subtitle').textContent.startsWith('Energy, Utilities:')`)
	sectors := browsertest.Eval[[]string](p, `[...new Set([...document.querySelectorAll('#panel-top tbody tr td:nth-child(2)')].map(td => td.textContent.trim()))].sort()`)
	require.Equal(t, []string{"Energy", "Utilities"}, sectors, "the contributors of both sectors, and only them")
	require.Equal(t, "Sector: Energy, Utilities", browsertest.Eval[string](p, chips))
	p.Do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`), chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 1, 1))
	p.Do(chromedp.Sleep(time.Second))
	p.Screenshot(filepath.Join("testdata", "screenshots", fmt.Sprintf("risk-selection-%d.png", width)))

	// A drag across the rows replaces the selection with the rows it spans.
	drag(p, cell("Materials"), cell("Energy"), 0)
	p.WaitFor(`location.search === '?sector=Energy&sector=Materials'`)

	// A sector in the contributors table drills down to that sector's view,
	// by a relative link.
	require.True(t, strings.HasPrefix(browsertest.Eval[string](p, `document.querySelector('#panel-top a.dk-drill').getAttribute('href')`), "?sector="))
	p.WaitFor(`document.querySelector('#panel-top caption').textContent.startsWith('Energy, Materials ·')`)
	p.Do(chromedp.Evaluate[chromedp.Void](`document.querySelector('#panel-top tbody tr:nth-child(1) a.dk-drill').scrollIntoView({block: 'center'})`))
	sector := browsertest.Eval[string](p, `document.querySelector('#panel-top tbody tr:nth-child(1) a.dk-drill').textContent`)
	p.Do(chromedp.Click(chromedp.CSS(`#panel-top tbody tr:nth-child(1) a.dk-drill`)))
	p.WaitFor(fmt.Sprintf(`new URLSearchParams(location.search).getAll('sector').join() === %q`, sector))
	settled(t, p)
	p.WaitFor(fmt.Sprintf(`document.querySelector('#panel-top caption').textContent.startsWith(%q)`, sector+" ·"))

	// A viewer is offered no gesture: a drag changes nothing.
	v := b.Open(t, s.url("/"), browsertest.Viewport(width, height))
	signIn(v, "viewer")
	settled(t, v)
	drag(v, at(v, "heatmap", `{seriesIndex: 0}`, `['Market', 'Materials']`), at(v, "heatmap", `{seriesIndex: 0}`, `['Market', 'Energy']`), 0)
	v.Do(chromedp.Sleep(time.Second))
	require.Empty(t, search(v), "a viewer's drag selects nothing")
	require.True(t, browsertest.Eval[bool](v, `document.querySelector('.dk-selection').hidden`))
}

// manufacturingSelection: a manager drags across three facilities on the
// comparison chart; the machines table and the waterfall show those three.
func manufacturingSelection(t *testing.T, b *browsertest.Browser, s *server, width, height int) {
	p := b.Open(t, s.url("/"), browsertest.Viewport(width, height))
	signIn(p, "manager")
	settled(t, p)
	p.Do(chromedp.Sleep(time.Second))
	names := browsertest.Eval[[]string](p, `echarts.getInstanceByDom(document.getElementById('comparison')).getOption().xAxis[0].data`)
	require.GreaterOrEqual(t, len(names), 4)
	bar := func(name string) []float64 {
		return at(p, "comparison", `{xAxisIndex: 0, yAxisIndex: 0}`, fmt.Sprintf(`[%q, 0.3]`, name))
	}
	a, c := bar(names[1]), bar(names[3])
	// Fifteen facilities share a phone's width: from the first bar's
	// middle to the third's.
	drag(p, []float64{a[0] + 1, a[1]}, []float64{c[0] - 1, c[1] - 20}, 0)
	p.WaitFor(fmt.Sprintf(`new URLSearchParams(location.search).getAll('facility').join() === %q`, strings.Join(names[1:4], ",")))
	p.WaitFor(fmt.Sprintf(`document.querySelector('#panel-machines caption').textContent.startsWith(%q)`, strings.Join(names[1:4], ", ")+" ·"))
	require.Equal(t, "Facility: "+strings.Join(names[1:4], ", "), browsertest.Eval[string](p, chips))
}
