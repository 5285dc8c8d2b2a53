package components

import (
	"cmp"
	"encoding/json"
	"strconv"
)

// The types in this file are the part of the ECharts option that dashkit's
// charts use (https://echarts.apache.org/en/option.html), written as Go
// structs so that each chart builds its option as a value and
// encoding/json encodes it once (see "Chart options" in the package doc).
//
// Fields are declared in the order of their JSON names, alphabetically, so
// the encoding lists keys in the order a map would: options are stable
// byte for byte, and golden files read the same whichever way they were
// built. A field is omitted when its zero value would change what ECharts
// draws (a pointer or omitempty); a field whose zero value means something
// (a min of 0, show: false) is always written.

// option is a whole chart option.
type option struct {
	Aria            aria       `json:"aria"`
	BackgroundColor string     `json:"backgroundColor"`
	Color           []string   `json:"color"`
	DataZoom        []dataZoom `json:"dataZoom,omitempty"`
	Grid            []grid     `json:"grid,omitempty"`
	Legend          *legend    `json:"legend,omitempty"`
	Series          []series   `json:"series"`
	Title           title      `json:"title"`
	Tooltip         tooltip    `json:"tooltip"`
	VisualMap       *visualMap `json:"visualMap,omitempty"`
	XAxis           []axis     `json:"xAxis,omitempty"`
	YAxis           []axis     `json:"yAxis,omitempty"`
}

// newOption starts every chart's option: a transparent background (the
// panel draws it, in either theme), ECharts' own palette, the title, and
// the accessible description ECharts gives screen readers.
func newOption(text, description string) option {
	return option{
		Aria:            aria{Enabled: true, Label: ariaLabel{Description: description}},
		BackgroundColor: "transparent",
		Color:           palette(),
		Title:           title{Text: text, TextStyle: textStyle{FontSize: 14, FontWeight: 600}},
	}
}

// palette is the series palette, written out so every option says which
// colours it uses: ECharts' default hues, darkened or lightened until each
// has a contrast of at least 3:1 (WCAG 2.1 non-text contrast) against the
// panel in both themes, white (#ffffff) and dark (#1a202b).
func palette() []string {
	return []string{"#4a6fd0", "#2f8f4e", "#b07d00", "#d6453d", "#1f8fb4", "#2a9d8f", "#d9631e", "#9a60b4", "#c9489a"}
}

// The colours of good and bad, limits and events: 3:1 against the panel
// in both themes, as the palette.
const (
	colorGood = "#2f8f4e"
	colorBad  = "#d6453d"
)

type aria struct {
	Enabled bool      `json:"enabled"`
	Label   ariaLabel `json:"label"`
}

type ariaLabel struct {
	Description string `json:"description"`
}

type title struct {
	Text      string    `json:"text"`
	TextStyle textStyle `json:"textStyle"`
}

type textStyle struct {
	FontSize   int `json:"fontSize"`
	FontWeight int `json:"fontWeight"`
}

// dataZoom zooms the X axis: "inside" (wheel and drag) or a "slider"
// under the plot, with its own band of height so it never shares space
// with the axis labels, and without the detail texts at its handles.
type dataZoom struct {
	Bottom     *int   `json:"bottom,omitempty"`
	Height     *int   `json:"height,omitempty"`
	ShowDetail *bool  `json:"showDetail,omitempty"`
	Type       string `json:"type"`
}

// grid places the plot; its sides are strings (pixels) as ECharts takes
// them.
type grid struct {
	Bottom       string `json:"bottom"`
	ContainLabel bool   `json:"containLabel"`
	Left         string `json:"left"`
	Right        string `json:"right"`
	Top          string `json:"top"`
}

// legend is a scrolling row of its own under the title: the runtime sets
// its width to the chart's, so it never reaches into the plot.
type legend struct {
	Left string `json:"left"`
	Show bool   `json:"show"`
	Top  string `json:"top"`
	Type string `json:"type"`
}

// tooltip is the chart's tooltip, or a series' own (which sets only its
// value formatter).
type tooltip struct {
	Formatter      *formatter `json:"formatter,omitempty"`
	Show           *bool      `json:"show,omitempty"`
	Trigger        string     `json:"trigger,omitempty"`
	ValueFormatter *formatter `json:"valueFormatter,omitempty"`
}

type visualMap struct {
	Bottom     int        `json:"bottom"`
	Calculable bool       `json:"calculable"`
	Dimension  *int       `json:"dimension,omitempty"`
	Formatter  *formatter `json:"formatter,omitempty"`
	InRange    inRange    `json:"inRange"`
	Left       string     `json:"left"`
	Max        float64    `json:"max"`
	Min        float64    `json:"min"`
	Orient     string     `json:"orient"`
	Text       []string   `json:"text,omitempty"`
	Type       string     `json:"type"`
}

type inRange struct {
	Color []string `json:"color"`
}

// axis is an X or a Y axis.
type axis struct {
	AxisLabel *labelOpt `json:"axisLabel,omitempty"`
	Data      []string  `json:"data,omitempty"`
	Interval  *float64  `json:"interval,omitempty"`
	Inverse   bool      `json:"inverse,omitempty"`
	Max       *float64  `json:"max,omitempty"`
	Min       *float64  `json:"min,omitempty"`
	Scale     bool      `json:"scale,omitempty"`
	SplitArea *shown    `json:"splitArea,omitempty"`
	Type      string    `json:"type"`
}

// labelOpt is an axis label, a series label or a mark's label.
type labelOpt struct {
	AlignMaxLabel string     `json:"alignMaxLabel,omitempty"`
	AlignMinLabel string     `json:"alignMinLabel,omitempty"`
	Distance      int        `json:"distance,omitempty"`
	FontSize      int        `json:"fontSize,omitempty"`
	Formatter     *formatter `json:"formatter,omitempty"`
	HideOverlap   bool       `json:"hideOverlap,omitempty"`
	Interval      *int       `json:"interval,omitempty"`
	Margin        int        `json:"margin,omitempty"`
	Position      string     `json:"position,omitempty"`
	Show          *bool      `json:"show,omitempty"`
}

// shown switches a part of a chart on or off.
type shown struct {
	Show bool `json:"show"`
}

// series is one series of any of the chart types here; each type sets the
// fields it uses. Data holds the type's own data items: []linePoint,
// []barItem, []heatCell or []gaugeItem.
type series struct {
	AreaStyle    *areaStyle   `json:"areaStyle,omitempty"`
	AxisLabel    *labelOpt    `json:"axisLabel,omitempty"`
	AxisLine     *axisLine    `json:"axisLine,omitempty"`
	AxisTick     *shown       `json:"axisTick,omitempty"`
	Center       []string     `json:"center,omitempty"`
	ConnectNulls *bool        `json:"connectNulls,omitempty"`
	Data         any          `json:"data"`
	Detail       *gaugeDetail `json:"detail,omitempty"`
	Emphasis     *emphasis    `json:"emphasis,omitempty"`
	EndAngle     *int         `json:"endAngle,omitempty"`
	ItemStyle    *fillStyle   `json:"itemStyle,omitempty"`
	Label        *labelOpt    `json:"label,omitempty"`
	MarkLine     *markLine    `json:"markLine,omitempty"`
	MarkPoint    *markPoint   `json:"markPoint,omitempty"`
	Max          *float64     `json:"max,omitempty"`
	Min          *float64     `json:"min,omitempty"`
	Name         string       `json:"name,omitempty"`
	Pointer      *pointer     `json:"pointer,omitempty"`
	Progress     *shown       `json:"progress,omitempty"`
	Radius       string       `json:"radius,omitempty"`
	Select       *emphasis    `json:"select,omitempty"`
	ShowSymbol   *bool        `json:"showSymbol,omitempty"`
	Silent       bool         `json:"silent,omitempty"`
	Smooth       *bool        `json:"smooth,omitempty"`
	SplitLine    *splitLine   `json:"splitLine,omitempty"`
	SplitNumber  int          `json:"splitNumber,omitempty"`
	Stack        string       `json:"stack,omitempty"`
	StartAngle   *int         `json:"startAngle,omitempty"`
	Title        *shown       `json:"title,omitempty"`
	Tooltip      *tooltip     `json:"tooltip,omitempty"`
	Type         string       `json:"type"`
	YAxisIndex   int          `json:"yAxisIndex,omitempty"`
}

// linePoint is a point of a line: [x, y], x a time in milliseconds or a
// category, y a number or nil (a gap).
type linePoint struct {
	Value [2]any `json:"value"`
}

// barItem is a bar; a nil value is a missing bar.
type barItem struct {
	Value *float64 `json:"value,omitempty"`
}

// heatCell is a heatmap cell: [x, y, value], the value "-" when missing.
type heatCell struct {
	Label *cellLabel `json:"label,omitempty"`
	Name  string     `json:"name"`
	Value []any      `json:"value"`
}

// cellLabel is one cell's own label text.
type cellLabel struct {
	Formatter string `json:"formatter"`
}

type gaugeItem struct {
	Name  string  `json:"name,omitempty"`
	Value float64 `json:"value"`
}

type areaStyle struct {
	Opacity float64 `json:"opacity"`
}

// emphasis styles a state of a series' items: hovered (emphasis) or
// selected (select).
type emphasis struct {
	ItemStyle itemStyle `json:"itemStyle"`
}

// selected is how a chart draws the items a cross-filter selected: an
// amber outline that reads on either theme's background and on every
// palette colour; the dashboard's runtime dims the others.
func selected() *emphasis {
	return &emphasis{ItemStyle: itemStyle{BorderColor: "#f59e0b", BorderWidth: 2}}
}

type itemStyle struct {
	BorderColor string `json:"borderColor"`
	BorderWidth int    `json:"borderWidth"`
}

// lineStyle colours a line: Color is a colour, or for a gauge's dial a
// list of [stop, colour] bands.
type lineStyle struct {
	Color any    `json:"color"`
	Type  string `json:"type,omitempty"`
	Width int    `json:"width,omitempty"`
}

type markLine struct {
	Data      []markLineItem `json:"data"`
	Label     labelOpt       `json:"label"`
	LineStyle lineStyle      `json:"lineStyle"`
	Symbol    string         `json:"symbol"`
}

type markLineItem struct {
	Name  string  `json:"name"`
	YAxis float64 `json:"yAxis"`
}

type markPoint struct {
	Data       []markPointItem `json:"data"`
	ItemStyle  *fillStyle      `json:"itemStyle,omitempty"`
	Label      labelOpt        `json:"label"`
	Symbol     string          `json:"symbol"`
	SymbolSize int             `json:"symbolSize"`
}

// fillStyle fills a shape.
type fillStyle struct {
	Color   string   `json:"color,omitempty"`
	Opacity *float64 `json:"opacity,omitempty"`
}

type markPointItem struct {
	Coord [2]any `json:"coord"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

type axisLine struct {
	LineStyle lineStyle `json:"lineStyle"`
}

type gaugeDetail struct {
	FontSize     int        `json:"fontSize"`
	Formatter    *formatter `json:"formatter"`
	OffsetCenter [2]any     `json:"offsetCenter"`
}

type pointer struct {
	Width int `json:"width"`
}

type splitLine struct {
	Distance int `json:"distance"`
	Length   int `json:"length"`
}

// formatter is an ECharts formatter: a template string such as "{b}", or
// a named number format ({"$dkFormat": …}) that the dashkit runtime turns
// into a function, so options stay JSON and no JavaScript travels.
type formatter struct {
	template string
	format   *dkFormat
}

// dkFormat is a [NumberFormat] as the runtime reads it.
type dkFormat struct {
	Compact  bool   `json:"compact"`
	Currency string `json:"currency"`
	Decimals int    `json:"decimals"`
	Style    string `json:"style"`
	// Tick writes axis ticks at the precision of the axis' step (see
	// NumberFormat.Tick); the runtime knows the step.
	Tick bool   `json:"tick,omitempty"`
	Unit string `json:"unit"`
}

// templateFormatter is an ECharts template, such as "{value}%".
func templateFormatter(t string) *formatter { return &formatter{template: t} }

// numberFormatter is f as a named format.
func numberFormatter(f NumberFormat) *formatter {
	style := "decimal"
	switch f.Style {
	case StylePercent:
		style = "percent"
	case StyleCurrency:
		style = "currency"
	}
	return &formatter{format: &dkFormat{
		Compact: f.Compact, Currency: cmp.Or(f.Currency, "$"), Decimals: max(f.Decimals, 0), Style: style, Unit: f.Unit,
	}}
}

// tickFormatter is f for an axis' ticks (see [NumberFormat.Tick]).
func tickFormatter(f NumberFormat) *formatter {
	t := numberFormatter(f)
	t.format.Tick = true
	return t
}

// MarshalJSON writes the template as a string, a named format as an object.
func (f *formatter) MarshalJSON() ([]byte, error) {
	if f.format == nil {
		return json.Marshal(f.template)
	}
	return json.Marshal(struct {
		Format *dkFormat `json:"$dkFormat"`
	}{f.format})
}

// frame lays out a chart with axes in rows that cannot meet: the title on
// the first row, the legend (when shown) scrolling on its own row under it,
// then the plot, whose grid contains its axis labels, then bottom pixels
// for what sits under the plot (a zoom slider, a colour scale).
func (o *option) frame(showLegend bool, bottom int) {
	top := 12
	if o.Title.Text != "" {
		top = 36
	}
	o.Legend = &legend{Show: showLegend, Type: "scroll", Left: "0", Top: "0"}
	if showLegend {
		o.Legend.Top = strconv.Itoa(top - 12)
		top += 24
	}
	o.Grid = []grid{{Top: strconv.Itoa(top), Bottom: strconv.Itoa(bottom), Left: "8", Right: "16", ContainLabel: true}}
}
