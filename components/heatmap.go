package components

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Heatmap is a matrix of values coloured on a continuous scale, such as risk
// by sector (rows) and risk type (columns).
type Heatmap struct {
	// Title is drawn above the chart; empty draws none.
	Title string
	// Description is read by screen readers; empty generates one from the
	// title and the dimensions.
	Description string
	// XLabels name the columns, left to right.
	XLabels []string
	// YLabels name the rows, bottom to top (ECharts' category axis order).
	YLabels []string
	// Values holds one row per Y label with one value per X label:
	// Values[y][x]. A NaN is a missing cell and is left blank, never drawn
	// as zero. Infinities are an error.
	Values [][]float64
	// Format writes values in tooltips and labels; the zero value writes
	// plain numbers.
	Format NumberFormat
}

type chartView struct {
	ID, Label, Option string
}

// Render implements [Component].
func (h Heatmap) Render(id string) (Rendered, error) {
	const name = "Heatmap"
	if err := checkID(name, id); err != nil {
		return Rendered{}, err
	}
	if len(h.XLabels) == 0 || len(h.YLabels) == 0 {
		return Rendered{}, invalid(name, "%q: needs at least one X and one Y label (have %d and %d)", h.Title, len(h.XLabels), len(h.YLabels))
	}
	if len(h.Values) != len(h.YLabels) {
		return Rendered{}, invalid(name, "%q: %d rows of values for %d Y labels", h.Title, len(h.Values), len(h.YLabels))
	}
	data := make([]opts.HeatMapData, 0, len(h.XLabels)*len(h.YLabels))
	lo, hi := math.Inf(1), math.Inf(-1)
	for y, row := range h.Values {
		if len(row) != len(h.XLabels) {
			return Rendered{}, invalid(name, "%q: row %d (%q) has %d values for %d X labels", h.Title, y, h.YLabels[y], len(row), len(h.XLabels))
		}
		for x, v := range row {
			switch {
			case math.IsNaN(v):
				continue // missing: no data item, so the cell stays blank
			case math.IsInf(v, 0):
				return Rendered{}, invalid(name, "%q: value at row %q, column %q is %v", h.Title, h.YLabels[y], h.XLabels[x], v)
			}
			lo, hi = min(lo, v), max(hi, v)
			data = append(data, opts.HeatMapData{
				Name:  h.YLabels[y] + " × " + h.XLabels[x] + ": " + h.Format.Format(v),
				Value: [3]any{x, y, v},
			})
		}
	}
	if len(data) == 0 {
		lo, hi = 0, 1
	}
	if lo == hi {
		hi = lo + 1
	}

	c := charts.NewHeatMap()
	c.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: h.Title}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: h.XLabels, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: h.YLabels, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithGridOpts(opts.Grid{Top: "48", Bottom: "72", Left: "8", Right: "16", ContainLabel: opts.Bool(true)}),
	)
	c.AddSeries(h.Title, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(len(data) <= 200)}))
	// go-echarts' VisualMap drops a zero min or max (omitempty) and holds
	// them as float32, so the scale is written here in full.
	return chart(id, h.label(), c, map[string]any{"visualMap": map[string]any{
		"type":       "continuous",
		"calculable": true,
		"min":        lo,
		"max":        hi,
		"orient":     "horizontal",
		"left":       "center",
		"bottom":     0,
		"inRange":    map[string]any{"color": []string{"#f7fbff", "#fdd49e", "#ef6548", "#990000"}},
	}})
}

func (h Heatmap) label() string {
	if h.Description != "" {
		return h.Description
	}
	t := h.Title
	if t == "" {
		t = "Heatmap"
	}
	return fmt.Sprintf("%s: %d rows by %d columns", t, len(h.YLabels), len(h.XLabels))
}

// echartsChart is the part of a go-echarts chart this package uses.
type echartsChart interface {
	Validate()
	JSON() map[string]any
}

// chart turns a go-echarts chart into a Rendered; set replaces top-level
// option keys that go-echarts cannot express exactly. The option is encoded
// by encoding/json, which escapes <, > and & so no label can close a tag or a
// script, and html/template escapes it again inside the data attribute.
func chart(id, label string, c echartsChart, set map[string]any) (Rendered, error) {
	c.Validate()
	obj := c.JSON()
	for k, v := range set {
		obj[k] = v
	}
	opt, err := json.Marshal(obj)
	if err != nil {
		return Rendered{}, fmt.Errorf("components: encode chart %s: %w", id, err)
	}
	html, err := execute("chart", chartView{ID: id, Label: label, Option: string(opt)})
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: KindChart, HTML: html, Option: opt, Label: label}, nil
}
