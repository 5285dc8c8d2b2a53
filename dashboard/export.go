package dashboard

import (
	"encoding/csv"
	"net/http"
	"strings"
	"time"
)

// serveExport is GET /export/{id}.csv: the panel's data in the request's
// view, as CSV, with spreadsheet formulas neutralised.
func (d *Dashboard) serveExport(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	p := d.panels[id]
	if !ok || p == nil {
		d.fail(w, r, http.StatusNotFound, "This dashboard has no such export.")
		return
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		// Fetch Metadata: another site's page (a link, an image, a
		// script) asks with the viewer's cookie. Same-origin, same-site
		// and direct navigation ("none", or no header from an older
		// browser or a script) go on.
		d.fail(w, r, http.StatusForbidden, "Exports are downloaded from the dashboard itself, not from another site.")
		return
	}
	if !d.allowed(r, p.Permission) || !d.allowed(r, d.opts.ExportPermission) {
		d.fail(w, r, http.StatusForbidden, "You may not export this panel's data.")
		return
	}
	// The export is the view on screen: the same computation as the page
	// and its live updates, from the cache when it is there.
	res, answered, err := d.renderRequest(w, r, p)
	switch {
	case answered:
		return
	case err != nil:
		d.fail(w, r, http.StatusInternalServerError, unavailable)
		return
	case res.ExportErr == exportNone || (res.Records == nil && res.ExportErr == ""):
		d.fail(w, r, http.StatusNotFound, "This panel has no data to export.")
		return
	case res.ExportErr != "":
		d.log.Error("dashboard: export failed", "panel", p.ID, "error", res.ExportErr)
		d.fail(w, r, http.StatusInternalServerError, unavailable)
		return
	}
	records := res.Records
	name := p.ID + "-" + time.Now().UTC().Format("20060102-150405") + ".csv"
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	row := make([]string, 0, 16)
	for _, rec := range records {
		// The records are the cache's: neutralise a copy.
		row = row[:0]
		for _, cell := range rec {
			row = append(row, neutralise(cell))
		}
		if err := cw.Write(row); err != nil {
			return // the client has gone
		}
	}
	cw.Flush()
}

// neutralise defuses spreadsheet formula injection (OWASP "CSV Injection"):
// a cell that starts with =, +, -, @, |, %, a tab, a carriage return or a
// line feed gets a leading apostrophe, so Excel and LibreOffice show it as
// text, unless it is a plain decimal number: an optional minus, digits, and
// an optional fraction, such as -12.5. Anything a spreadsheet parses more
// generously is prefixed: +1, +Inf, -Infinity, +0x1p4, -1e5, |calc, %0A.
func neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '|', '%', '\t', '\r', '\n':
		if plainDecimal(cell) {
			return cell
		}
		return "'" + cell
	}
	return cell
}

// plainDecimal reports whether s is -?[0-9]+(\.[0-9]+)?.
func plainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	digits := func(t string) bool {
		if t == "" {
			return false
		}
		for i := range len(t) {
			if t[i] < '0' || t[i] > '9' {
				return false
			}
		}
		return true
	}
	return digits(whole) && (!dot || digits(frac))
}
