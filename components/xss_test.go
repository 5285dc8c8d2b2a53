package components_test

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	xhtml "golang.org/x/net/html"

	"github.com/dashkit/dashkit/components"
)

// hostile strings that must come out inert wherever they go.
var hostile = []string{
	`<script>alert(1)</script>`,
	`</script><script>alert(1)</script>`,
	`" onmouseover="alert(1)`,
	`' onfocus='alert(1)' x='`,
	`javascript:alert(1)`,
	`<img src=x onerror=alert(1)>`,
	`</div></td></table><svg onload=alert(1)>`,
	"{{.}} ${alert(1)} {a|b} \u2028\u2029",
	`&lt;script&gt;`,
}

// everything puts s in every string field of every component.
func everything(s string) []components.Component {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	series := []components.Series{{Name: s, Values: []float64{1, 2}}}
	return []components.Component{
		components.MetricCard{Title: s, Subtitle: s, Format: components.NumberFormat{Unit: s, Currency: s, Style: components.StyleCurrency}, Trend: &components.Trend{Change: 0.1, Period: s}, Sparkline: []float64{1, 2}},
		components.Heatmap{Title: s, Description: s, XLabels: []string{s, s + "2"}, YLabels: []string{s}, Values: [][]float64{{1, 2}}, Format: components.NumberFormat{Unit: s}},
		components.Line{Title: s, Description: s, Categories: []string{s, s + "2"}, Series: series, Limits: []components.Limit{{Name: s, Value: 1}}, Events: []components.Event{{Label: s}}, YFormat: components.NumberFormat{Unit: s}},
		components.Line{Title: s, Times: []time.Time{t0, t0.Add(time.Hour)}, Series: series},
		components.Bar{Title: s, Description: s, Categories: []string{s, s + "2"}, Series: series, Format: components.NumberFormat{Unit: s}},
		components.Pareto{Title: s, Description: s, Categories: []string{s, s + "2"}, Values: []float64{1, 2}, Format: components.NumberFormat{Unit: s}},
		components.Gauge{Title: s, Description: s, Value: 0.5, Format: components.NumberFormat{Unit: s}},
		components.Table{Caption: s, Columns: []components.Column{
			{Key: s, Title: s, Text: []string{s}},
			{Key: s + "n", Title: s, Numbers: []float64{1}, Format: components.NumberFormat{Unit: s}},
			{Key: s + "t", Title: s, Times: []time.Time{t0}, TimeLayout: s},
		}, SortBy: s},
		components.Select{Name: "f", Label: s, Options: []components.Option{{Value: s, Label: s}, {Value: s + "2"}}, Selected: []string{s}},
		components.DateRange{Name: "d", Label: s},
		components.Alerts{Items: []components.Alert{{Severity: components.SeverityCritical, Message: s, Source: s, Time: t0}}, TimeLayout: s},
		components.Alerts{Empty: s},
		components.Grid{Rows: []components.GridRow{{Cells: []components.Cell{{Content: components.MetricCard{Title: s}}, {Content: components.Heatmap{Title: s, XLabels: []string{s}, YLabels: []string{s}, Values: [][]float64{{1}}}}}}}},
	}
}

var onAttr = regexp.MustCompile(`^on`)

// requireInertHTML parses the fragment as a browser would and checks that it
// holds no element or attribute that could run script.
func requireInertHTML(t *testing.T, fragment string) {
	t.Helper()
	z := xhtml.NewTokenizer(strings.NewReader(fragment))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "img", "iframe", "object", "embed", "style", "a", "base", "form":
			t.Fatalf("a <%s> element got through in:\n%s", tok.Data, fragment)
		}
		for _, a := range tok.Attr {
			if onAttr.MatchString(strings.ToLower(a.Key)) {
				t.Fatalf("an event handler attribute %q got through in:\n%s", a.Key, fragment)
			}
			if strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "javascript:") && (a.Key == "href" || a.Key == "src" || a.Key == "action") {
				t.Fatalf("a javascript: URL got through in:\n%s", fragment)
			}
		}
	}
}

// requireInertJSON checks a chart option: no markup characters on the wire,
// and every string that came in is still there, intact, as data.
func requireInertJSON(t *testing.T, opt []byte, s string) {
	t.Helper()
	require.NotContains(t, string(opt), "<")
	require.NotContains(t, string(opt), ">")
	require.NotContains(t, string(opt), "\u2028", "line separators are escaped")
	var v any
	require.NoError(t, json.Unmarshal(opt, &v))
	require.True(t, containsString(v, s), "the string survives as data")
}

func containsString(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, s)
	case []any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	}
	return false
}

func TestEveryStringFieldIsInert(t *testing.T) {
	for _, s := range hostile {
		for _, c := range everything(s) {
			t.Run(fmt.Sprintf("%T/%s", c, s), func(t *testing.T) {
				r, err := c.Render("x")
				require.NoError(t, err)
				requireInertHTML(t, string(r.HTML))
				if r.Kind == components.KindChart {
					requireInertJSON(t, r.Option, s)
					// The option in the page's data attribute decodes to the
					// same JSON once the browser unescapes the attribute.
					m := regexp.MustCompile(`data-option="([^"]*)"`).FindStringSubmatch(string(r.HTML))
					require.NotNil(t, m)
					require.JSONEq(t, string(r.Option), html.UnescapeString(m[1]))
				} else if strings.ContainsAny(s, `<>"'&`) {
					// Text appears escaped: the raw string is never in the
					// markup unless it has nothing to escape.
					require.NotContains(t, string(r.HTML), s)
				}
			})
		}
	}
}
