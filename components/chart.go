package components

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// echartsChart is the part of a go-echarts chart this package uses.
type echartsChart interface {
	Validate()
	JSON() map[string]any
}

// base holds what every chart option carries besides the chart itself.
func base(title string, description string) map[string]any {
	return map[string]any{
		// The panel draws the background, in either theme.
		"backgroundColor": "transparent",
		// ECharts describes the chart to screen readers too.
		"aria":  map[string]any{"enabled": true, "label": map[string]any{"description": description}},
		"title": map[string]any{"text": title, "textStyle": map[string]any{"fontSize": 14, "fontWeight": 600}},
	}
}

// chart turns a go-echarts chart into a Rendered. patch is merged into the
// option go-echarts built (maps recursively, arrays element by element), for
// what go-echarts cannot express exactly: a zero min, a null gap, a named
// number format. The option is encoded by encoding/json, which escapes <, >
// and & so no string can close a tag or a script, and html/template escapes
// it again inside the data attribute.
func chart(id, label string, c echartsChart, patch map[string]any) (Rendered, error) {
	c.Validate()
	raw, err := json.Marshal(c.JSON())
	if err != nil {
		return Rendered{}, fmt.Errorf("components: encode chart %s: %w", id, err)
	}
	var obj any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return Rendered{}, fmt.Errorf("components: decode chart %s: %w", id, err)
	}
	// go-echarts always emits an empty toolbox and legend; drop what is
	// empty so options stay small and the legend does not show by default.
	m := obj.(map[string]any)
	for _, k := range []string{"toolbox", "legend"} {
		if v, ok := m[k].(map[string]any); ok && len(v) == 0 {
			delete(m, k)
		}
	}
	opt, err := json.Marshal(merge(m, patch))
	if err != nil {
		return Rendered{}, fmt.Errorf("components: encode chart %s: %w", id, err)
	}
	html, err := execute("chart", chartView{ID: id, Label: label, Option: string(opt)})
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: KindChart, HTML: html, Option: opt, Label: label}, nil
}

type chartView struct {
	ID, Label, Option string
}

// merge merges patch into base: maps key by key, recursively; arrays element
// by element; anything else is replaced.
func merge(base, patch any) any {
	switch p := patch.(type) {
	case map[string]any:
		b, ok := base.(map[string]any)
		if !ok {
			return p
		}
		for k, v := range p {
			b[k] = merge(b[k], v)
		}
		return b
	case []any:
		b, ok := base.([]any)
		if !ok {
			return p
		}
		out := slices.Clone(b)
		for i, v := range p {
			if i < len(out) {
				out[i] = merge(out[i], v)
			} else {
				out = append(out, v)
			}
		}
		return out
	}
	return patch
}

// formatter is a named number format the dashkit runtime turns into an
// ECharts formatter function: options stay JSON, and no JavaScript travels.
func formatter(f NumberFormat) map[string]any {
	style := "decimal"
	switch f.Style {
	case StylePercent:
		style = "percent"
	case StyleCurrency:
		style = "currency"
	}
	cur := cmp.Or(f.Currency, "$")
	return map[string]any{"$dkFormat": map[string]any{
		"style": style, "decimals": max(f.Decimals, 0), "compact": f.Compact, "currency": cur, "unit": f.Unit,
	}}
}

// nullable writes NaN as null, which ECharts draws as a gap.
func nullable(v float64) any {
	if v != v {
		return nil
	}
	return v
}

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
