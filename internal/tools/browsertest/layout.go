package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// layoutScript collects, for every ECharts instance on the page, the
// bounding box of each visible text element in the renderer's display list
// (zrender's own list of what it paints: ignored and invisible elements are
// not in it), transformed into the chart's coordinates and cut by the clip
// paths the element is painted under (a scrolling legend's hidden pages,
// a slider's window). It returns one line per problem: two texts that
// overlap by more than 2 px in both directions, or a text that reaches
// outside its chart's box by more than 1 px.
const layoutScript = `(() => {
	const problems = [];
	const slack = 2;
	document.querySelectorAll('.dk-chart').forEach(el => {
		const chart = window.echarts && echarts.getInstanceByDom(el);
		if (!chart) return;
		const W = chart.getWidth(), H = chart.getHeight();
		const boxes = [];
		// A text is painted as its lines (tspans) and backgrounds, the
		// children of one ZRText: the list holds the children, each with
		// the clip paths it is painted under.
		const hosts = new Map();
		chart.getZr().storage.getDisplayList(true).forEach(e => {
			if (e.type !== 'tspan' || e.invisible || !e.style || e.style.opacity === 0) return;
			if (!String(e.style.text == null ? '' : e.style.text).trim()) return;
			const host = e.parent && e.parent.type === 'text' ? e.parent : e;
			if (!hosts.has(host)) hosts.set(host, e.__clipPaths || []);
		});
		hosts.forEach((clips, e) => {
			const text = String(e.style.text == null ? '' : e.style.text).trim();
			const r = e.getBoundingRect().clone();
			// zrender measures a line's height with a CJK glyph, which a
			// machine without CJK fonts draws a few pixels high: take the
			// font's size instead, around the same middle.
			const font = String(e.style.font || '');
			const size = parseFloat(e.style.fontSize) || parseFloat((font.match(/(\d+(?:\.\d+)?)px/) || [])[1]) || 12;
			const lines = String(e.style.text).split('\n').length;
			const h = Math.max(r.height, size * 1.2 * lines);
			r.y = r.y + r.height / 2 - h / 2;
			r.height = h;
			const m = e.getComputedTransform ? e.getComputedTransform() : e.transform;
			if (m) r.applyTransform(m);
			let x0 = r.x, y0 = r.y, x1 = r.x + r.width, y1 = r.y + r.height;
			clips.forEach(c => {
				const cr = c.getBoundingRect().clone();
				const cm = c.getComputedTransform ? c.getComputedTransform() : c.transform;
				if (cm) cr.applyTransform(cm);
				x0 = Math.max(x0, cr.x); y0 = Math.max(y0, cr.y);
				x1 = Math.min(x1, cr.x + cr.width); y1 = Math.min(y1, cr.y + cr.height);
			});
			if (x1 - x0 < 1 || y1 - y0 < 1) return;
			boxes.push({ text, x0, y0, x1, y1 });
		});
		const name = '#' + el.id + ' (' + W + '×' + H + ')';
		const fmt = b => JSON.stringify(b.text) + ' [' + [b.x0, b.y0, b.x1, b.y1].map(Math.round).join(',') + ']';
		boxes.forEach((a, i) => {
			if (a.x0 < -1 || a.y0 < -1 || a.x1 > W + 1 || a.y1 > H + 1) {
				problems.push(name + ': ' + fmt(a) + ' is outside the chart');
			}
			for (let j = i + 1; j < boxes.length; j++) {
				const b = boxes[j];
				const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
				const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
				if (w > slack && h > slack) {
					problems.push(name + ': ' + fmt(a) + ' overlaps ' + fmt(b) + ' by ' + Math.round(w) + '×' + Math.round(h) + ' px');
				}
			}
		});
	});
	return problems;
})()`

// LayoutProblems returns every text of every chart on the page that
// overlaps another text of its chart by more than 2 px, or lies outside
// its chart's box, as read from ECharts' renderer (see layoutScript). An
// empty result means every label can be read.
func LayoutProblems(p *Page) []string {
	p.t.Helper()
	return Eval[[]string](p, layoutScript)
}

// CheckLayout fails the test, naming each pair, when [LayoutProblems]
// reports any; where says which page, width and theme were checked.
func (p *Page) CheckLayout(where string) {
	p.t.Helper()
	if probs := LayoutProblems(p); len(probs) > 0 {
		p.t.Errorf("browsertest: %s: %d chart label(s) overlap or are clipped:\n%s", where, len(probs), strings.Join(probs, "\n"))
	}
}

// Accessibility runs axe-core (the version pinned in web/package.json) in
// the page and returns its violations of impact "serious" or "critical",
// one line per violation and element.
func Accessibility(p *Page) []string {
	p.t.Helper()
	root, err := testenv.RepoRoot()
	if err != nil {
		p.t.Fatalf("browsertest: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(root, "web", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		p.t.Fatalf("browsertest: axe-core: %v; run `make assets`", err)
	}
	if !Eval[bool](p, `!!window.axe`) {
		Eval[bool](p, string(src)+"\n;true")
	}
	// WCAG 2.0 and 2.1, levels A and AA; a busy machine gets two minutes.
	return EvalWithin[[]string](p, `axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => {
		const out = [];
		r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').forEach(v => {
			v.nodes.forEach(n => out.push(v.impact + ' ' + v.id + ': ' + n.target.join(' ') + ': ' + (n.failureSummary || '').split('\n').join(' ')));
		});
		return out;
	})`, 2*time.Minute)
}

// CheckAccessibility fails the test when [Accessibility] finds a serious
// or critical violation; where says which page and theme were checked.
func (p *Page) CheckAccessibility(where string) {
	p.t.Helper()
	if v := Accessibility(p); len(v) > 0 {
		p.t.Errorf("browsertest: %s: axe-core found %d serious or critical violation(s):\n%s", where, len(v), strings.Join(v, "\n"))
	}
}
