package dashboard

import (
	"bytes"
	"cmp"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/dashkit/dashkit/components"
)

var pageTemplate = template.Must(template.ParseFS(webFS, "web/page.html"))

type pageView struct {
	Title   string
	Theme   Theme
	Nonce   string
	ECharts script
	Last    int64
	Query   string
	Filters []template.HTML
	// Selection describes the filters charts select, as JSON for the
	// selection bar; Editable offers its × buttons.
	Selection string
	Editable  bool
	Rows      [][]panelView
	User      *userView // nil: no identity known
}

// userView is the header's "who am I": the signed-in user, their roles, and
// where the Sign out button posts.
type userView struct {
	Name, Roles string
	LogoutURL   string
}

type panelView struct {
	ID, Title   string
	Width       int
	RefreshMS   int64
	Filters     string // space-separated names
	CrossFilter string // JSON
	Hash        string
	ExportURL   template.URL // empty: no export link
	Body        template.HTML
}

func (d *Dashboard) servePage(w http.ResponseWriter, r *http.Request) {
	v, ok := d.viewOf(w, r)
	if !ok {
		return
	}
	var visible []*panel
	for _, row := range d.rows {
		for _, p := range row {
			if d.allowed(r, p.Permission) {
				visible = append(visible, p)
			}
		}
	}
	// Read the event watermark before computing: any update computed after
	// it reaches the page's stream, so nothing newer than the first paint
	// is missed.
	last := d.hub.seq.Load()
	bodies, err := d.renderAll(r.Context(), visible, v)
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, publicMessage(err))
		return
	}

	view := pageView{Title: d.title, Theme: d.opts.Theme, Nonce: newNonce(), ECharts: d.echarts, Last: last, Query: d.pageQuery(v)}
	if id := d.opts.Identifier; id != nil {
		if name, roles, ok := id.Identify(r); ok {
			view.User = &userView{Name: name, Roles: strings.Join(roles, ", "), LogoutURL: d.opts.LogoutURL}
		}
	}
	mayFilter := d.allowed(r, d.opts.FilterPermission)
	if mayFilter {
		for _, f := range d.opts.Filters {
			if f.NumberRange {
				continue // set by a chart's selection
			}
			html, err := d.filterControl(f, v)
			if err != nil {
				d.log.Error("dashboard: render filter", "filter", f.Name, "error", err)
				continue
			}
			view.Filters = append(view.Filters, html)
		}
	}
	view.Editable = mayFilter
	view.Selection = d.selectionBar(visible)
	for _, row := range d.rows {
		pv := make([]panelView, 0, len(row))
		for _, p := range row {
			if d.allowed(r, p.Permission) {
				pv = append(pv, d.panelItem(r, p, bodies[p.ID], view.Query, mayFilter))
			}
		}
		if len(pv) > 0 {
			view.Rows = append(view.Rows, pv)
		}
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, view); err != nil {
		d.log.Error("dashboard: render page", "error", err)
		d.fail(w, r, http.StatusInternalServerError, "The page could not be drawn. Try again in a moment.")
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", d.contentSecurityPolicy(view.Nonce))
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// panelItem is the page's view of panel p: its first paint from res, its
// export link in the page's view (query), and its click-to-filter gesture
// for a user who may change filters.
func (d *Dashboard) panelItem(r *http.Request, p *panel, res PanelResult, query string, mayFilter bool) panelView {
	body, err := res.firstPaint(p.ID)
	if err != nil {
		d.log.Error("dashboard: first paint", "panel", p.ID, "error", err)
		res = errorResult(p.ID)
		body = res.HTML
	}
	item := panelView{
		ID: p.ID, Title: p.Title, Width: p.width,
		RefreshMS: p.Refresh.Milliseconds(),
		Filters:   strings.Join(p.Filters, " "),
		Hash:      res.Hash,
		Body:      body,
	}
	exportable := res.ExportErr != exportNone
	if p.Export && !exportable {
		p.noExport.Do(func() {
			d.log.Error("dashboard: panel has Export but its component has no records to export; no link is shown", "panel", p.ID)
		})
	}
	if p.Export && exportable && d.allowed(r, d.opts.ExportPermission) {
		// A relative URL of a validated ID and a canonical, already-encoded
		// query.
		item.ExportURL = template.URL("export/" + p.ID + ".csv")
		if query != "" {
			item.ExportURL += template.URL("?" + query)
		}
	}
	// A chart invites a click or a drag only from a user who may change
	// the filter it sets.
	if cf := p.CrossFilter; cf != nil && mayFilter {
		item.CrossFilter = d.crossFilterSpec(cf)
	}
	return item
}

// crossFilterView is what the runtime needs to know of a panel's
// cross-filter: the filter, where a category comes from, the kind of
// selection ("one", "set", "date" or "number") with a range's bounds, and
// the option value of each category a chart may show.
type crossFilterView struct {
	Filter string            `json:"filter"`
	From   string            `json:"from"`
	Kind   string            `json:"kind"`
	Min    string            `json:"min,omitempty"`
	Max    string            `json:"max,omitempty"`
	Values map[string]string `json:"values,omitempty"`
}

func filterKind(f *Filter) string {
	switch {
	case f.NumberRange:
		return "number"
	case f.DateRange:
		return "date"
	case f.Multiple:
		return "set"
	}
	return "one"
}

// selectionChip describes a filter that charts select, for the selection
// bar: its name, label, kind and the labels of options whose label is not
// their value.
type selectionChip struct {
	Name   string            `json:"name"`
	Label  string            `json:"label"`
	Kind   string            `json:"kind"`
	Labels map[string]string `json:"labels,omitempty"`
}

// selectionBar is the JSON of the filters the visible panels' charts set,
// in the dashboard's filter order; "" when none does.
func (d *Dashboard) selectionBar(visible []*panel) string {
	set := map[string]bool{}
	for _, p := range visible {
		if p.CrossFilter != nil {
			set[p.CrossFilter.Filter] = true
		}
	}
	var chips []selectionChip
	for _, f := range d.opts.Filters {
		if !set[f.Name] {
			continue
		}
		c := selectionChip{Name: f.Name, Label: cmp.Or(f.Label, f.Name), Kind: filterKind(&f)}
		for _, o := range f.Options {
			if o.Label != "" && o.Label != o.Value {
				if c.Labels == nil {
					c.Labels = map[string]string{}
				}
				c.Labels[o.Value] = o.Label
			}
		}
		chips = append(chips, c)
	}
	if len(chips) == 0 {
		return ""
	}
	b, _ := json.Marshal(chips)
	return string(b)
}

// crossFilterSpec is the runtime's description of a panel's selections
// (crossFilterView): the filter it sets, where the category comes from,
// the kind of selection, and the option value of each category a chart may
// show: an option's value, or its label when that differs (a click on
// "North" sets "north"). A value wins over another option's equal label.
func (d *Dashboard) crossFilterSpec(cf *CrossFilter) string {
	f := d.filters[cf.Filter]
	spec := crossFilterView{Filter: cf.Filter, From: cmp.Or(cf.From, "name"), Kind: filterKind(f)}
	switch {
	case f.NumberRange:
		spec.From, spec.Min, spec.Max = "x", formatNumber(f.Bounds[0]), formatNumber(f.Bounds[1])
	case f.DateRange:
		spec.From, spec.Min, spec.Max = "x", dateOrEmpty(f.Min), dateOrEmpty(f.Max)
	default:
		spec.Values = make(map[string]string)
		for _, o := range f.Options {
			if o.Label != "" {
				spec.Values[o.Label] = o.Value
			}
		}
		for _, o := range f.Options {
			spec.Values[o.Value] = o.Value
		}
	}
	b, _ := json.Marshal(spec)
	return string(b)
}

// filterControl renders a filter's control with the view's value.
func (d *Dashboard) filterControl(f Filter, v view) (template.HTML, error) {
	var c components.Component
	if f.DateRange {
		r := v.ranges[f.Name]
		c = components.DateRange{Name: f.Name, Label: f.Label, From: r[0], To: r[1], Min: f.Min, Max: f.Max}
	} else {
		opts, selected := f.Options, v.values[f.Name]
		if f.All != "" {
			opts = append([]components.Option{{Value: "", Label: f.All}}, opts...)
			if len(selected) == 0 {
				selected = []string{""}
			}
		}
		c = components.Select{Name: f.Name, Label: f.Label, Options: opts, Multiple: f.Multiple, Selected: selected}
	}
	out, err := c.Render("filter-" + f.Name)
	return out.HTML, err
}
