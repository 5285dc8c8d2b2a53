package components

import (
	"math"
	"strconv"
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
	// Title names the metric: "1-day VaR (99%)".
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
}

type metricView struct {
	ID, Title, Value, Subtitle string
	Scheme                     Scheme
	Trend                      *trendView
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
