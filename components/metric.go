package components

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Scheme is a colour scheme for a card.
type Scheme string

// The colour schemes. The zero value renders as SchemePrimary.
const (
	SchemePrimary Scheme = "primary"
	SchemeSuccess Scheme = "success"
	SchemeWarning Scheme = "warning"
	SchemeDanger  Scheme = "danger"
)

// Trend is the change of a metric over a period.
type Trend struct {
	// Change is the relative change as a fraction: 0.052 is +5.2%.
	Change float64
	// Period says what the change is measured against: "vs yesterday".
	Period string
	// UpIsBad marks metrics where a rise is bad news, such as VaR or
	// downtime: a rise is then shown in the danger colour.
	UpIsBad bool
}

// MetricCard is a headline number with a title, an optional trend and a
// subtitle.
type MetricCard struct {
	// Title names the metric: "1-day VaR (99%)". Empty shows none (the
	// card is then named by what holds it, such as a dashboard panel's
	// title).
	Title string
	// Value is the number shown, written by Format.
	Value float64
	// Format says how Value is written; the zero value writes a plain
	// number with thousands separators and no decimals.
	Format NumberFormat
	// Subtitle is a line of context under the value; empty shows none.
	Subtitle string
	// Trend, when not nil, shows an arrow and the signed change.
	Trend *Trend
	// Scheme colours the card; empty is SchemePrimary.
	Scheme Scheme
	// Sparkline, when it has two or more points, draws the recent history
	// under the value, oldest first. A NaN is a gap.
	Sparkline []float64
}

type metricView struct {
	ID, Title, Value, Subtitle string
	Scheme                     Scheme
	Trend                      *trendView
	Spark                      []string // polyline point lists, one per run without gaps
	SparkLabel                 string
}

type trendView struct {
	Arrow, Change, Words, Period, Tone string
}

// Render implements [Component]. A NaN or infinite value or change is an
// error: a card never shows a number that is not one.
func (c MetricCard) Render(id string) (Rendered, error) {
	const name = "MetricCard"
	if err := checkID(name, id); err != nil {
		return Rendered{}, err
	}
	if math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
		return Rendered{}, invalid(name, "%q: value is %v", c.Title, c.Value)
	}
	switch c.Scheme {
	case "":
		c.Scheme = SchemePrimary
	case SchemePrimary, SchemeSuccess, SchemeWarning, SchemeDanger:
	default:
		return Rendered{}, invalid(name, "%q: unknown scheme %q", c.Title, c.Scheme)
	}
	v := metricView{ID: id, Title: c.Title, Value: c.Format.Format(c.Value), Subtitle: c.Subtitle, Scheme: c.Scheme}
	if t := c.Trend; t != nil {
		if math.IsNaN(t.Change) || math.IsInf(t.Change, 0) {
			return Rendered{}, invalid(name, "%q: trend change is %v", c.Title, t.Change)
		}
		v.Trend = newTrendView(*t)
	}
	if len(c.Sparkline) >= 2 {
		spark, err := sparkline(c.Sparkline)
		if err != nil {
			return Rendered{}, invalid(name, "%q: sparkline: %v", c.Title, err)
		}
		v.Spark = spark
		v.SparkLabel = fmt.Sprintf("Trend of the last %d values", len(c.Sparkline))
	}
	html, err := execute("metric", v)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: KindHTML, HTML: html}, nil
}

func newTrendView(t Trend) *trendView {
	pct := NumberFormat{Style: StylePercent, Decimals: 1}.Format(math.Abs(t.Change))
	tv := &trendView{Period: t.Period}
	// Round as shown, so +0.04% reads as flat rather than as a rise of 0.0%.
	shown, _ := strconv.ParseFloat(strconv.FormatFloat(t.Change*100, 'f', 1, 64), 64)
	switch {
	case shown > 0:
		tv.Arrow, tv.Change, tv.Words = "▲", "+"+pct, "up "+pct
		tv.Tone = "good"
		if t.UpIsBad {
			tv.Tone = "bad"
		}
	case shown < 0:
		tv.Arrow, tv.Change, tv.Words = "▼", "-"+pct, "down "+pct
		tv.Tone = "bad"
		if t.UpIsBad {
			tv.Tone = "good"
		}
	default:
		tv.Arrow, tv.Change, tv.Words = "▶", pct, "unchanged"
		tv.Tone = "flat"
	}
	return tv
}

// sparkline scales values into a 100 × 24 box and returns the points of each
// run between gaps, as SVG polyline point lists.
func sparkline(values []float64) ([]string, error) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if math.IsInf(v, 0) {
			return nil, errors.New("infinite value")
		}
		if !math.IsNaN(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return nil, nil // all gaps: nothing to draw
	}
	span := hi - lo
	step := 100 / float64(len(values)-1)
	var runs []string
	var b strings.Builder
	for i, v := range values {
		if math.IsNaN(v) {
			if b.Len() > 0 {
				runs = append(runs, b.String())
				b.Reset()
			}
			continue
		}
		y := 12.0
		if span > 0 {
			y = 22 - 20*(v-lo)/span // 2 px margins, up is high
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(float64(i)*step, 'f', 2, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(y, 'f', 2, 64))
	}
	if b.Len() > 0 {
		runs = append(runs, b.String())
	}
	return runs, nil
}
