package components

import (
	"fmt"
	"math"
)

// DefaultHeatmapColors returns the heatmap's default colour scale, low to
// high: a sequential scale from pale to dark red that stays readable in both
// themes. Each call returns a new slice, so a caller may change it freely.
func DefaultHeatmapColors() []string {
	return []string{"#f7fbff", "#fdd49e", "#ef6548", "#990000"}
}

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
	// Values[y][x]. A NaN is a missing cell: it is left blank and its
	// tooltip says "no data"; it is never drawn as zero. Infinities are an
	// error.
	Values [][]float64
	// Format writes values in labels and tooltips; the zero value writes
	// plain numbers.
	Format NumberFormat
	// Min and Max fix the colour scale; when both are zero it spans the
	// data.
	Min, Max float64
	// Colors is the scale, low to high, as #rrggbb; nil means
	// [DefaultHeatmapColors].
	Colors []string
}

// Render implements [Component].
func (h Heatmap) Render(id string) (Rendered, error) {
	const name = "Heatmap"
	if err := checkID(name, id); err != nil {
		return Rendered{}, err
	}
	colors, err := h.check()
	if err != nil {
		return Rendered{}, err
	}
	data, lo, hi, err := h.cells()
	if err != nil {
		return Rendered{}, err
	}
	label := describe("Heatmap", h.Title, h.Description, fmt.Sprintf("%d rows by %d columns", len(h.YLabels), len(h.XLabels)))
	opt := newOption(h.Title, label)
	f := numberFormatter(h.Format)
	opt.Tooltip = tooltip{Show: ptr(true), Trigger: "item"}
	opt.XAxis = []axis{{Type: "category", Data: h.XLabels, SplitArea: &shown{Show: true}}}
	opt.YAxis = []axis{{Type: "category", Data: h.YLabels, SplitArea: &shown{Show: true}}}
	opt.Grid = []grid{{Top: "40", Bottom: "64", Left: "8", Right: "16", ContainLabel: true}}
	opt.VisualMap = &visualMap{
		Type: "continuous", Calculable: true, Min: lo, Max: hi,
		Orient: "horizontal", Left: "center", Bottom: 0,
		InRange:   inRange{Color: colors},
		Formatter: f,
	}
	opt.Series = []series{{
		Type: "heatmap", Name: h.Title, Data: data,
		Label:    &labelOpt{Show: ptr(len(data) <= 200), Formatter: f},
		Emphasis: &emphasis{ItemStyle: itemStyle{BorderColor: "#333", BorderWidth: 1}},
		Select:   selected(),
	}}
	return chart(id, label, &opt)
}

// check validates the shape, the colours and the scale, and returns the
// colours to use.
func (h Heatmap) check() ([]string, error) {
	const name = "Heatmap"
	if len(h.XLabels) == 0 || len(h.YLabels) == 0 {
		return nil, invalid(name, "%q: needs at least one X and one Y label (have %d and %d)", h.Title, len(h.XLabels), len(h.YLabels))
	}
	if len(h.Values) != len(h.YLabels) {
		return nil, invalid(name, "%q: %d rows of values for %d Y labels", h.Title, len(h.Values), len(h.YLabels))
	}
	colors := h.Colors
	if colors == nil {
		colors = DefaultHeatmapColors()
	}
	if len(colors) < 2 {
		return nil, invalid(name, "%q: a colour scale needs at least two colours", h.Title)
	}
	if err := checkColors(name, h.Title, colors); err != nil {
		return nil, err
	}
	if math.IsNaN(h.Min) || math.IsNaN(h.Max) || math.IsInf(h.Min, 0) || math.IsInf(h.Max, 0) || (h.Min != 0 || h.Max != 0) && h.Min >= h.Max {
		return nil, invalid(name, "%q: scale [%v, %v] is not a range", h.Title, h.Min, h.Max)
	}
	return colors, nil
}

// cells returns the data items, row by row, and the colour scale: Min and
// Max when set, else the span of the data (0 to 1 when every cell is
// missing, one wide when all are equal).
func (h Heatmap) cells() (data []heatCell, lo, hi float64, err error) {
	data = make([]heatCell, 0, len(h.XLabels)*len(h.YLabels))
	lo, hi = math.Inf(1), math.Inf(-1)
	missing := 0
	for y, row := range h.Values {
		if len(row) != len(h.XLabels) {
			return nil, 0, 0, invalid("Heatmap", "%q: row %d (%q) has %d values for %d X labels", h.Title, y, h.YLabels[y], len(row), len(h.XLabels))
		}
		for x, v := range row {
			switch {
			case math.IsNaN(v):
				// A missing cell is a data item without a value: ECharts
				// leaves it blank, and its tooltip says so.
				missing++
				data = append(data, heatCell{Name: h.YLabels[y] + " × " + h.XLabels[x] + ": no data", Value: [3]any{x, y, "-"}})
				continue
			case math.IsInf(v, 0):
				return nil, 0, 0, invalid("Heatmap", "%q: value at row %q, column %q is %v", h.Title, h.YLabels[y], h.XLabels[x], v)
			}
			lo, hi = min(lo, v), max(hi, v)
			data = append(data, heatCell{Name: h.YLabels[y] + " × " + h.XLabels[x] + ": " + h.Format.Format(v), Value: [3]any{x, y, v}})
		}
	}
	switch {
	case h.Min != 0 || h.Max != 0:
		lo, hi = h.Min, h.Max
	case missing == len(data):
		lo, hi = 0, 1
	case lo == hi:
		hi = lo + 1
	}
	return data, lo, hi, nil
}
