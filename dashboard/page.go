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
	Rows    [][]panelView
	User    *userView // nil: no identity known
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
			html, err := d.filterControl(f, v)
			if err != nil {
				d.log.Error("dashboard: render filter", "filter", f.Name, "error", err)
				continue
			}
			view.Filters = append(view.Filters, html)
		}
	}
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
	// A chart invites a click only from a user who may change the filter
	// it sets.
	if cf := p.CrossFilter; cf != nil && mayFilter {
		item.CrossFilter = d.crossFilterSpec(cf)
	}
	return item
}

// crossFilterSpec is the runtime's description of a panel's click: the
// filter it sets, where the category comes from, and the option value of
// each category a chart may show: an option's value, or its label when that
// differs (a click on "North" sets "north"). A value wins over another
// option's equal label.
func (d *Dashboard) crossFilterSpec(cf *CrossFilter) string {
	values := make(map[string]string)
	if f := d.filters[cf.Filter]; f != nil {
		for _, o := range f.Options {
			if o.Label != "" {
				values[o.Label] = o.Value
			}
		}
		for _, o := range f.Options {
			values[o.Value] = o.Value
		}
	}
	b, _ := json.Marshal(struct {
		Filter string            `json:"filter"`
		From   string            `json:"from"`
		Values map[string]string `json:"values"`
	}{cf.Filter, cmp.Or(cf.From, "name"), values})
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
