package components

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
)

// chart encodes a chart's option, once, and renders its container. The
// option is encoded by encoding/json, which escapes <, > and & (and U+2028,
// U+2029), so no string can close a tag or a script; html/template escapes
// it again inside the data attribute.
func chart(id, label string, opt *option) (Rendered, error) {
	return chartClass(id, label, "", opt)
}

// chartClass is chart with an extra class on its container, which sizes
// it: "dk-chart-gauge" is shorter than other charts.
func chartClass(id, label, class string, opt *option) (Rendered, error) {
	raw, err := json.Marshal(opt)
	if err != nil {
		return Rendered{}, fmt.Errorf("components: encode chart %s: %w", id, err)
	}
	html, err := execute("chart", chartView{ID: id, Label: label, Class: class, Option: string(raw)})
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: KindChart, HTML: html, Option: raw, Label: label}, nil
}

type chartView struct {
	ID, Label, Class, Option string
}

// nullable writes NaN as null, which ECharts draws as a gap.
func nullable(v float64) any {
	if v != v {
		return nil
	}
	return v
}

// ptr returns a pointer to v, for the option fields whose zero value is
// written.
func ptr[T any](v T) *T { return &v }

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

func checkColors(name, title string, colors []string) error {
	for _, c := range colors {
		if !hexColor.MatchString(c) {
			return invalid(name, "%q: colour %q: want #rrggbb", title, c)
		}
	}
	return nil
}

// millis is a time as ECharts' time axis wants it.
func millis(t time.Time) int64 { return t.UnixMilli() }

func describe(kind, title, description string, detail string) string {
	if description != "" {
		return description
	}
	return cmp.Or(title, kind) + ": " + detail
}
