package dashboard

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
)

var pageTemplate = template.Must(template.ParseFS(webFS, "web/page.html"))

type pageView struct {
	Title   string
	Theme   Theme
	Nonce   string
	ECharts script
	Rows    [][]panelView
}

type panelView struct {
	ID, Title string
	Width     int
	RefreshMS int64
	Body      template.HTML
}

func (d *Dashboard) servePage(w http.ResponseWriter, r *http.Request) {
	bodies := d.computeAll(r.Context(), Params{})
	view := pageView{Title: d.title, Theme: d.opts.Theme, Nonce: newNonce(), ECharts: d.echarts}
	for _, row := range d.rows {
		pv := make([]panelView, 0, len(row))
		for _, p := range row {
			pv = append(pv, panelView{
				ID: p.ID, Title: p.Title, Width: p.width,
				RefreshMS: p.Refresh.Milliseconds(),
				Body:      bodies[p.ID],
			})
		}
		view.Rows = append(view.Rows, pv)
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, view); err != nil {
		d.log.Error("dashboard: render page", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", d.contentSecurityPolicy(view.Nonce))
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}
