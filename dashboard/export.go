package dashboard

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// recorder is a component whose data can be exported, such as
// [components.Table].
type recorder interface {
	Records() ([][]string, error)
}

// serveExport is GET /export/{id}.csv: the panel's data in the request's
// view, as CSV, with spreadsheet formulas neutralised.
func (d *Dashboard) serveExport(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	p := d.panels[id]
	if !ok || p == nil {
		d.fail(w, r, http.StatusNotFound, "This dashboard has no such export.")
		return
	}
	if !d.allowed(r, p.Permission) || !d.allowed(r, d.opts.ExportPermission) {
		d.fail(w, r, http.StatusForbidden, "You may not export this panel's data.")
		return
	}
	v, ok := d.viewOf(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), d.opts.PanelTimeout)
	defer cancel()
	params := d.paramsFromQuery(v.panelQuery(p))
	c, err := p.Data(ctx, params)
	if err != nil || c == nil {
		d.log.Error("dashboard: export failed", "panel", p.ID, "error", err)
		d.fail(w, r, http.StatusServiceUnavailable, unavailable)
		return
	}
	c = applyTableState(c, params.table)
	rec, ok := c.(recorder)
	if !ok {
		d.fail(w, r, http.StatusNotFound, "This panel has no data to export.")
		return
	}
	records, err := rec.Records()
	if err != nil {
		d.log.Error("dashboard: export failed", "panel", p.ID, "error", err)
		d.fail(w, r, http.StatusServiceUnavailable, unavailable)
		return
	}
	name := p.ID + "-" + time.Now().UTC().Format("20060102-150405") + ".csv"
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	for _, row := range records {
		for i, cell := range row {
			row[i] = neutralise(cell)
		}
		if err := cw.Write(row); err != nil {
			return // the client has gone
		}
	}
	cw.Flush()
}

// neutralise defuses spreadsheet formula injection (OWASP "CSV Injection"):
// a cell that starts with =, +, -, @, a tab or a carriage return gets a
// leading apostrophe, so Excel and LibreOffice show it as text, unless it is
// a plain number such as -12.5.
func neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(cell, 64); err == nil && cell[0] != '=' && cell[0] != '@' && cell[0] != '\t' && cell[0] != '\r' {
			return cell
		}
		return "'" + cell
	}
	return cell
}
