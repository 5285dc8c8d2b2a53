package components

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMetricCardTrendTone(t *testing.T) {
	for _, tc := range []struct {
		name        string
		trend       Trend
		tone, arrow string
		change      string
	}{
		{"rise is good", Trend{Change: 0.1}, "good", "▲", "+10.0%"},
		{"rise is bad", Trend{Change: 0.1, UpIsBad: true}, "bad", "▲", "+10.0%"},
		{"fall is bad", Trend{Change: -0.034}, "bad", "▼", "-3.4%"},
		{"fall of a bad metric is good", Trend{Change: -0.034, UpIsBad: true}, "good", "▼", "-3.4%"},
		{"too small to show is flat", Trend{Change: 0.0004}, "flat", "▶", "0.0%"},
		{"negative zero is flat", Trend{Change: math.Copysign(0, -1)}, "flat", "▶", "0.0%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := MetricCard{Title: "t", Value: 1, Trend: &tc.trend}.Render("m")
			require.NoError(t, err)
			html := string(r.HTML)
			require.Contains(t, html, `class="dk-trend dk-trend-`+tc.tone+`"`)
			require.Contains(t, html, tc.arrow)
			require.Contains(t, html, strings.ReplaceAll(tc.change, "+", "&#43;"))
		})
	}
}

func TestMetricCardRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		card MetricCard
		id   string
		msg  string
	}{
		{"NaN value", MetricCard{Title: "x", Value: math.NaN()}, "m", "value is NaN"},
		{"infinite value", MetricCard{Title: "x", Value: math.Inf(1)}, "m", "value is +Inf"},
		{"NaN trend", MetricCard{Title: "x", Trend: &Trend{Change: math.NaN()}}, "m", "trend change is NaN"},
		{"unknown scheme", MetricCard{Title: "x", Scheme: "pink"}, "m", `unknown scheme "pink"`},
		{"bad id", MetricCard{Title: "x"}, `a"b`, "element id"},
		{"empty id", MetricCard{Title: "x"}, "", "element id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.card.Render(tc.id)
			require.ErrorIs(t, err, ErrInvalid)
			require.ErrorContains(t, err, tc.msg)
		})
	}
}

// option decodes a chart option for inspection.
func decodeOption(t *testing.T, r Rendered) map[string]any {
	t.Helper()
	require.Equal(t, KindChart, r.Kind)
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Option, &m))
	return m
}

func TestHeatmapOption(t *testing.T) {
	r, err := Heatmap{
		Title:   "Risk",
		XLabels: []string{"Market", "Credit", "Liquidity"},
		YLabels: []string{"Energy", "Tech"},
		Values:  [][]float64{{-3, math.NaN(), -1}, {-2, -5, math.NaN()}},
	}.Render("risk")
	require.NoError(t, err)
	opt := decodeOption(t, r)

	require.Equal(t, []any{"Market", "Credit", "Liquidity"}, opt["xAxis"].([]any)[0].(map[string]any)["data"])
	require.Equal(t, []any{"Energy", "Tech"}, opt["yAxis"].([]any)[0].(map[string]any)["data"])

	data := opt["series"].([]any)[0].(map[string]any)["data"].([]any)
	var cells [][]any
	for _, d := range data {
		cells = append(cells, d.(map[string]any)["value"].([]any))
	}
	// Missing cells are "-" (ECharts leaves them blank), never zero; the
	// rest keep their x, y, value.
	require.Equal(t, [][]any{{0.0, 0.0, -3.0}, {1.0, 0.0, "-"}, {2.0, 0.0, -1.0}, {0.0, 1.0, -2.0}, {1.0, 1.0, -5.0}, {2.0, 1.0, "-"}}, cells)

	// The scale spans the data even when every value is negative (a zero
	// max must not vanish into ECharts' default of 200).
	vm := opt["visualMap"].(map[string]any)
	require.Equal(t, -5.0, vm["min"])
	require.Equal(t, -1.0, vm["max"])
}

func TestHeatmapRejectsBadInput(t *testing.T) {
	x, y := []string{"a", "b"}, []string{"r"}
	for _, tc := range []struct {
		name string
		h    Heatmap
		msg  string
	}{
		{"no labels", Heatmap{}, "at least one X and one Y label"},
		{"rows do not match Y labels", Heatmap{XLabels: x, YLabels: y, Values: [][]float64{{1, 2}, {3, 4}}}, "2 rows of values for 1 Y labels"},
		{"short row", Heatmap{XLabels: x, YLabels: y, Values: [][]float64{{1}}}, `row 0 ("r") has 1 values for 2 X labels`},
		{"infinity", Heatmap{XLabels: x, YLabels: y, Values: [][]float64{{1, math.Inf(-1)}}}, `row "r", column "b" is -Inf`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.h.Render("h")
			require.ErrorIs(t, err, ErrInvalid)
			require.ErrorContains(t, err, tc.msg)
		})
	}
}

// hostile strings that must come out inert.
var hostile = []string{
	`<script>alert(1)</script>`,
	`</script><script>alert(1)</script>`,
	`" onmouseover="alert(1)`,
	`' onfocus='alert(1)`,
	`javascript:alert(1)`,
	`<img src=x onerror=alert(1)>`,
	"</div>&amp;",
}

func TestHostileStringsComeOutInert(t *testing.T) {
	for _, s := range hostile {
		t.Run(s, func(t *testing.T) {
			card, err := MetricCard{Title: s, Subtitle: s, Trend: &Trend{Change: 0.1, Period: s}}.Render("c")
			require.NoError(t, err)
			hm, err := Heatmap{Title: s, Description: s, XLabels: []string{s}, YLabels: []string{s}, Values: [][]float64{{1}}}.Render("h")
			require.NoError(t, err)
			for _, html := range []string{string(card.HTML), string(hm.HTML)} {
				require.NotContains(t, html, "<script")
				require.NotContains(t, html, "</script")
				require.NotContains(t, html, "<img")
				require.NotContains(t, html, `" onmouseover`)
				require.NotContains(t, html, `' onfocus`)
				require.NotContains(t, html, "</div>&amp;")
			}
			// The chart option carries no raw markup characters at all, and
			// still decodes to the original string.
			require.NotContains(t, string(hm.Option), "<")
			require.NotContains(t, string(hm.Option), ">")
			require.Equal(t, s, decodeOption(t, hm)["title"].(map[string]any)["text"])
		})
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	h := Heatmap{Title: "t", XLabels: []string{"a", "b"}, YLabels: []string{"c"}, Values: [][]float64{{1, 2}}}
	a, err := h.Render("h")
	require.NoError(t, err)
	b, err := h.Render("h")
	require.NoError(t, err)
	require.Equal(t, a, b)
}

func TestDefaultHeatmapColorsIsFresh(t *testing.T) {
	a := DefaultHeatmapColors()
	a[0] = "#000000"
	require.Equal(t, "#f7fbff", DefaultHeatmapColors()[0], "a caller changing its copy changes no one else's")
}

func TestAlertsCap(t *testing.T) {
	items := make([]Alert, 13)
	for i := range items {
		items[i] = Alert{Severity: SeverityWarning, Message: fmt.Sprintf("alert %d", i)}
	}
	r, err := Alerts{Items: items}.Render("a")
	require.NoError(t, err)
	require.Equal(t, 10, strings.Count(string(r.HTML), "dk-badge"), "ten alerts by default")
	require.Contains(t, r.HTML, ">3 more</li>")
	r, err = Alerts{Items: items, Max: -1}.Render("a")
	require.NoError(t, err)
	require.Equal(t, 13, strings.Count(string(r.HTML), "dk-badge"))
	require.NotContains(t, r.HTML, "more")
}

func TestHeatmapScaleByColumn(t *testing.T) {
	h := Heatmap{
		XLabels: []string{"Share", "Days"}, YLabels: []string{"Energy", "Tech"},
		Values:        [][]float64{{0.2, 3}, {0.5, 1}},
		ColumnFormats: []NumberFormat{{Style: StylePercent}, {Decimals: 1, Unit: "d"}},
		ScaleByColumn: true,
	}
	r, err := h.Render("h")
	require.NoError(t, err)
	var opt struct {
		VisualMap struct {
			Min, Max  float64
			Dimension int
			Text      []string
		}
		Series []struct {
			Data []struct {
				Name  string
				Value []any
				Label struct{ Formatter string }
			}
		}
	}
	require.NoError(t, json.Unmarshal(r.Option, &opt))
	require.Equal(t, 2, opt.VisualMap.Dimension)
	require.Equal(t, []float64{0, 1}, []float64{opt.VisualMap.Min, opt.VisualMap.Max})
	require.Equal(t, []string{"highest in its column", "lowest"}, opt.VisualMap.Text)
	cells := opt.Series[0].Data
	require.Equal(t, []any{0.0, 0.0, 0.0, 0.2}, cells[0].Value, "lowest share: place 0, value kept")
	require.Equal(t, []any{1.0, 0.0, 1.0, 3.0}, cells[1].Value, "most days: place 1")
	require.Equal(t, "20%", cells[0].Label.Formatter)
	require.Equal(t, "3.0 d", cells[1].Label.Formatter)
	require.Equal(t, "Energy × Days: 3.0 d", cells[1].Name)

	_, err = Heatmap{XLabels: h.XLabels, YLabels: h.YLabels, Values: h.Values, ScaleByColumn: true, Max: 1}.Render("h")
	require.ErrorIs(t, err, ErrInvalid)
	_, err = Heatmap{XLabels: h.XLabels, YLabels: h.YLabels, Values: h.Values, ColumnFormats: h.ColumnFormats[:1]}.Render("h")
	require.ErrorIs(t, err, ErrInvalid)
}
