package components

import (
	"encoding/json"
	"html/template"
)

// ChartContainer is the first-paint markup of a chart whose option is
// already encoded: the element a [KindChart] [Rendered] carries in its HTML,
// for a caller that keeps the option once (a dashboard holds it inside the
// live update) and builds the container when a page needs it. id must be a
// [ValidID]; option is escaped into a data attribute.
func ChartContainer(id, label string, option json.RawMessage) (template.HTML, error) {
	if err := checkID("ChartContainer", id); err != nil {
		return "", err
	}
	return execute("chart", chartView{ID: id, Label: label, Option: string(option)})
}
