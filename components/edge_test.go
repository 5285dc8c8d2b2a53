package components_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
)

// edgeCases are chart inputs the gallery does not show: gaps, missing bars
// and cells, single series, untitled charts, downsampled lines, dials with
// and without targets. Their options are golden files too (edge-*.json), so
// a change in how options are built shows here byte for byte.
func edgeCases() []struct {
	Name      string
	Component components.Component
} {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	nan := math.NaN()
	times := make([]time.Time, 240)
	wave, wave2 := make([]float64, 240), make([]float64, 240)
	for i := range times {
		times[i] = t0.Add(time.Duration(i) * time.Hour)
		wave[i] = math.Sin(float64(i)/9) * 100
		wave2[i] = math.Cos(float64(i)/13) * 80
	}
	wave[100] = nan
	big := make([][]float64, 15)
	labels := make([]string, 15)
	for y := range big {
		labels[y] = string(rune('a' + y))
		big[y] = make([]float64, 15)
		for x := range big[y] {
			big[y][x] = float64(x*y) - 40
		}
	}
	big[3][4] = nan
	target := 0.02
	return []struct {
		Name      string
		Component components.Component
	}{
		{"line-gaps", components.Line{
			Categories: []string{"Mon", "Tue", "Wed", "Thu", "Fri"},
			Series:     []components.Series{{Name: "Scrap", Values: []float64{1, nan, 3, 2.5, nan}, Area: true, Smooth: true}},
			Limits:     []components.Limit{{Name: "Max", Value: 4}, {Name: "Zero", Value: 0}},
			Events:     []components.Event{{Index: 3, Label: "Audit"}},
			Zoom:       true,
		}},
		{"line-downsampled", components.Line{
			Title: "Hourly", Description: "Two waves", Times: times,
			Series:    []components.Series{{Name: "a", Values: wave}, {Name: "b", Values: wave2}},
			Events:    []components.Event{{Series: 1, Index: 0, Label: "start"}, {Series: 0, Index: 57, Label: "maybe dropped"}},
			YFormat:   components.NumberFormat{Unit: "kW", Decimals: 2},
			MaxPoints: 30,
		}},
		{"bar-gaps", components.Bar{
			Categories: []string{"A", "B", "C"},
			Series:     []components.Series{{Values: []float64{3, nan, 0}}},
			Horizontal: true,
			Format:     components.NumberFormat{Style: components.StyleCurrency, Currency: "€", Compact: true},
		}},
		{"pareto-zeros", components.Pareto{Categories: []string{"x", "y"}, Values: []float64{0, 0}}},
		{"pareto-one", components.Pareto{Title: "One", Categories: []string{"only"}, Values: []float64{7}, Format: components.NumberFormat{Decimals: 1}}},
		{"gauge-plain", components.Gauge{Value: 0, Min: -5, Max: 5}},
		{"gauge-lower", components.Gauge{Title: "Scrap", Value: 0.031, Target: &target, LowerIsBetter: true, Format: components.NumberFormat{Style: components.StylePercent, Decimals: 1}}},
		{"heatmap-large", components.Heatmap{Title: "Large", XLabels: labels, YLabels: labels, Values: big, Colors: []string{"#000000", "#ffffff"}, Format: components.NumberFormat{Decimals: 1}}},
		{"heatmap-fixed", components.Heatmap{XLabels: []string{"p", "q"}, YLabels: []string{"r"}, Values: [][]float64{{2, nan}}, Min: 0, Max: 10}},
		{"heatmap-empty", components.Heatmap{XLabels: []string{"p"}, YLabels: []string{"r", "s"}, Values: [][]float64{{nan}, {nan}}}},
		{"heatmap-flat", components.Heatmap{XLabels: []string{"p", "q"}, YLabels: []string{"r"}, Values: [][]float64{{0, 0}}}},
	}
}

// Drill-down links are relative, so they work under any mount prefix; an
// absolute one is refused, and a link's text is escaped like any cell.
func TestTableLinks(t *testing.T) {
	tbl := components.Table{Columns: []components.Column{{Title: "Sector", Text: []string{"Energy", "<b>", "Tech"}, Links: []string{"?sector=Energy", "", "../tech/?a=1&b=2"}}}}
	r, err := tbl.Render("t")
	require.NoError(t, err)
	html := string(r.HTML)
	require.Contains(t, html, `<a class="dk-drill" href="?sector=Energy">Energy</a>`)
	require.Contains(t, html, `<td class="dk-col-text">&lt;b&gt;</td>`, "no link, escaped text")
	require.Contains(t, html, `href="../tech/?a=1&amp;b=2"`)
	for _, bad := range []string{"/abs", "//evil.example", "https://evil.example/", "javascript:alert(1)", `\\evil.example`, "%zz"} {
		tbl.Columns[0].Links[1] = bad
		_, err := tbl.Render("t")
		require.ErrorIs(t, err, components.ErrInvalid, bad)
	}
	tbl.Columns[0].Links = []string{"?a=1"}
	_, err = tbl.Render("t")
	require.ErrorIs(t, err, components.ErrInvalid, "one link per row")
}
