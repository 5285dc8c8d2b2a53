package components

import (
	"fmt"
	"math"
	"time"
)

// Series is a named sequence of values, one per point of the X axis. A NaN
// is a gap.
type Series struct {
	Name   string
	Values []float64
	// Area fills under a line series.
	Area bool
	// Smooth draws a line series as a curve.
	Smooth bool
}

// Limit is a horizontal line across a chart, such as a VaR limit.
type Limit struct {
	Name  string
	Value float64
}

// Event marks one point of a series, such as a backtest exception.
type Event struct {
	// Series and Index locate the point: Line.Series[Series].Values[Index].
	Series, Index int
	// Label is shown on the marker.
	Label string
}

// Line is a line chart of one or more series over time or over categories,
// such as a VaR timeline with its limit and its exceptions.
type Line struct {
	Title       string
	Description string // read by screen readers; empty generates one
	// Times puts a time axis under the series; Categories a category axis.
	// Exactly one of them is set, with one entry per value of each series.
	Times      []time.Time
	Categories []string
	Series     []Series
	// YFormat writes the Y axis labels and tooltip values.
	YFormat NumberFormat
	// Limits draws horizontal lines.
	Limits []Limit
	// Events marks single points.
	Events []Event
	// Zoom adds a slider and wheel zoom along the X axis.
	Zoom bool
	// MaxPoints, when positive, caps the points sent to the browser: a
	// longer chart is downsampled with [LTTB]. The points kept are the
	// union of each series' choice, or the first series' when that union
	// is too large, so series stay aligned. Events on dropped points are
	// dropped too. A dashboard sets it from its Options.MaxDataPoints,
	// through [Line.Downsample].
	MaxPoints int
}

// Downsample returns the line with MaxPoints set to max; the dashboard
// calls it on every component that has it.
func (l Line) Downsample(max int) Component {
	l.MaxPoints = max
	return l
}

// Render implements [Component].
func (l Line) Render(id string) (Rendered, error) {
	n, err := checked("Line", id, l.check)
	if err != nil {
		return Rendered{}, err
	}
	original := n
	if l.MaxPoints > 0 && n > l.MaxPoints {
		l = l.downsampled()
		n = len(l.Series[0].Values)
	}
	marks, err := l.markPoints(n)
	if err != nil {
		return Rendered{}, err
	}
	detail := fmt.Sprintf("%d series over %d points", len(l.Series), n)
	if original != n {
		detail += fmt.Sprintf(", downsampled from %d points", original)
	}
	label := describe("Line chart", l.Title, l.Description, detail)
	opt := l.option(label, n, marks)
	return chart(id, label, &opt)
}

// check validates the axis, the series and the limits, and returns the
// number of points.
func (l Line) check() (int, error) {
	const name = "Line"
	n := len(l.Categories)
	switch {
	case l.Times != nil && l.Categories != nil:
		return 0, invalid(name, "%q: set Times or Categories, not both", l.Title)
	case l.Times != nil:
		n = len(l.Times)
		for i := 1; i < n; i++ {
			if l.Times[i].Before(l.Times[i-1]) {
				return 0, invalid(name, "%q: time %d (%s) is before time %d", l.Title, i, l.Times[i].Format(time.RFC3339), i-1)
			}
		}
	case l.Categories == nil:
		return 0, invalid(name, "%q: set Times or Categories", l.Title)
	}
	if len(l.Series) == 0 {
		return 0, invalid(name, "%q: no series", l.Title)
	}
	for _, s := range l.Series {
		if len(s.Values) != n {
			return 0, invalid(name, "%q: series %q has %d values for %d points", l.Title, s.Name, len(s.Values), n)
		}
		for i, v := range s.Values {
			if math.IsInf(v, 0) {
				return 0, invalid(name, "%q: series %q, point %d is %v", l.Title, s.Name, i, v)
			}
		}
	}
	for _, lim := range l.Limits {
		if math.IsNaN(lim.Value) || math.IsInf(lim.Value, 0) {
			return 0, invalid(name, "%q: limit %q is %v", l.Title, lim.Name, lim.Value)
		}
	}
	if l.MaxPoints < 0 {
		return 0, invalid(name, "%q: negative MaxPoints", l.Title)
	}
	return n, nil
}

// markPoints places the events on the n points drawn: the markers of each
// series, by series index.
func (l Line) markPoints(n int) (map[int][]markPointItem, error) {
	marks := make(map[int][]markPointItem)
	for _, e := range l.Events {
		if e.Series < 0 || e.Series >= len(l.Series) || e.Index < 0 || e.Index >= n {
			return nil, invalid("Line", "%q: event %q at series %d, point %d is outside the chart", l.Title, e.Label, e.Series, e.Index)
		}
		v := l.Series[e.Series].Values[e.Index]
		if math.IsNaN(v) {
			return nil, invalid("Line", "%q: event %q marks a gap", l.Title, e.Label)
		}
		marks[e.Series] = append(marks[e.Series], markPointItem{Name: e.Label, Value: e.Label, Coord: [2]any{l.x(e.Index), v}})
	}
	return marks, nil
}

// option builds the chart's option over n points.
func (l Line) option(label string, n int, marks map[int][]markPointItem) option {
	opt := newOption(l.Title, label)
	f := numberFormatter(l.YFormat)
	opt.Tooltip = tooltip{Show: ptr(true), Trigger: "axis", ValueFormatter: f}
	bottom := 8
	if l.Zoom {
		// The slider has its own band under the axis labels.
		opt.DataZoom = []dataZoom{{Type: "inside"}, {Type: "slider", Bottom: ptr(4), Height: ptr(18), ShowDetail: ptr(false)}}
		bottom = 32
	}
	opt.frame(len(l.Series) > 1, bottom)
	// The category axis lists its categories, so that the runtime can fit
	// their labels to the width.
	opt.XAxis = []axis{{Type: "category", Data: l.Categories, AxisLabel: &labelOpt{HideOverlap: true}}}
	if l.Times != nil {
		// A time axis puts labels at nice instants, one of them near the
		// value axis' lowest label: set a little lower, they stay clear of
		// it; the first and last, aligned inward, stay inside the chart.
		opt.XAxis[0].Type = "time"
		lbl := opt.XAxis[0].AxisLabel
		lbl.AlignMinLabel, lbl.AlignMaxLabel, lbl.Margin = "left", "right", 14
	}
	opt.YAxis = []axis{l.valueAxis()}
	opt.Series = make([]series, len(l.Series))
	for i, s := range l.Series {
		data := make([]linePoint, n)
		for j, v := range s.Values {
			data[j] = linePoint{Value: [2]any{l.x(j), nullable(v)}}
		}
		opt.Series[i] = series{
			Type: "line", Name: s.Name, Data: data,
			ShowSymbol: ptr(n <= 60), Smooth: ptr(s.Smooth), ConnectNulls: ptr(false),
		}
		if s.Area {
			opt.Series[i].AreaStyle = &areaStyle{Opacity: 0.15}
		}
		if m := marks[i]; m != nil {
			// Events are small symbols on the line, named in the
			// tooltip and the text alternative: a pin with a label would
			// cover the legend, the limit's label and other events.
			opt.Series[i].MarkPoint = &markPoint{Symbol: "circle", SymbolSize: 9, Data: m,
				ItemStyle: &fillStyle{Color: colorBad}, Label: labelOpt{Show: ptr(false)}}
		}
	}
	if len(l.Limits) > 0 {
		opt.Series[0].MarkLine = l.markLine()
	}
	return opt
}

// valueAxis spans the series and the limits with nice ticks. A filled
// series is measured from zero, so the axis starts at zero (an area's
// height is its value); lines alone may start near their data.
func (l Line) valueAxis() axis {
	all := make([][]float64, 0, len(l.Series)+1)
	filled := false
	for _, s := range l.Series {
		all = append(all, s.Values)
		filled = filled || s.Area
	}
	lims := make([]float64, len(l.Limits))
	for i, lim := range l.Limits {
		lims[i] = lim.Value
	}
	lo, hi := extent(append(all, lims)...)
	if filled {
		lo, hi = withZero(lo, hi)
	}
	return valueAxis(lo, hi, l.YFormat)
}

// markLine draws the limits as dashed lines.
func (l Line) markLine() *markLine {
	data := make([]markLineItem, len(l.Limits))
	for i, lim := range l.Limits {
		data[i] = markLineItem{Name: lim.Name, YAxis: lim.Value}
	}
	return &markLine{
		Symbol: "none", Data: data,
		LineStyle: lineStyle{Type: "dashed", Color: colorBad},
		Label:     labelOpt{Formatter: templateFormatter("{b}"), Position: "insideEndTop"},
	}
}

// x is the X coordinate of point i.
func (l Line) x(i int) any {
	if l.Times != nil {
		return millis(l.Times[i])
	}
	return l.Categories[i]
}

// downsampled keeps MaxPoints points (see Line.MaxPoints).
func (l Line) downsampled() Line {
	n := len(l.Series[0].Values)
	x := make([]float64, n)
	for i := range x {
		if l.Times != nil {
			x[i] = float64(l.Times[i].UnixNano())
		} else {
			x[i] = float64(i)
		}
	}
	keep := make(map[int]bool)
	var first []int
	for si, s := range l.Series {
		idx := LTTB(x, s.Values, l.MaxPoints)
		if si == 0 {
			first = idx
		}
		for _, i := range idx {
			keep[i] = true
		}
	}
	var idx []int
	if len(keep) > l.MaxPoints {
		idx = first
	} else {
		for i := range n {
			if keep[i] {
				idx = append(idx, i)
			}
		}
	}
	pos := make(map[int]int, len(idx))
	for j, i := range idx {
		pos[i] = j
	}
	out := l
	out.Series = make([]Series, len(l.Series))
	for si, s := range l.Series {
		s.Values = pick(s.Values, idx)
		out.Series[si] = s
	}
	if l.Times != nil {
		out.Times = pick(l.Times, idx)
	} else {
		out.Categories = pick(l.Categories, idx)
	}
	out.Events = nil
	for _, e := range l.Events {
		if j, ok := pos[e.Index]; ok {
			e.Index = j
			out.Events = append(out.Events, e)
		}
	}
	return out
}

func pick[T any](s []T, idx []int) []T {
	out := make([]T, len(idx))
	for j, i := range idx {
		out[j] = s[i]
	}
	return out
}
