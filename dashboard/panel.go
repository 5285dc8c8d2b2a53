package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/dashkit/dashkit/components"
)

// unavailable is all a user is told about a failed panel; the cause goes to
// the log.
const unavailable = "This panel is unavailable right now."

// compute runs a panel's data function under its timeout and renders the
// result. A panicking data function is an error, not a crash.
func (d *Dashboard) compute(ctx context.Context, p *panel, params Params) (r components.Rendered, err error) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.PanelTimeout)
	defer cancel()
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v\n%s", v, debug.Stack())
		}
		if err != nil {
			d.log.LogAttrs(ctx, slog.LevelError, "dashboard: panel failed",
				slog.String("panel", p.ID), slog.Duration("elapsed", time.Since(start)), slog.Any("error", err))
		}
	}()
	c, err := p.Data(ctx, params)
	if err == nil && ctx.Err() != nil {
		// A data function that ignores its context and returns late is
		// still late.
		err = ctx.Err()
	}
	if err != nil {
		return components.Rendered{}, fmt.Errorf("panel %q: %w", p.ID, err)
	}
	if c == nil {
		return components.Rendered{}, fmt.Errorf("panel %q: data function returned no component and no error", p.ID)
	}
	r, err = c.Render(p.ID)
	if err != nil {
		return components.Rendered{}, fmt.Errorf("panel %q: %w", p.ID, err)
	}
	return r, nil
}

// computeAll computes every panel concurrently for the first paint. Failures
// are per panel.
func (d *Dashboard) computeAll(ctx context.Context, params Params) map[string]template.HTML {
	out := make(map[string]template.HTML, len(d.panels))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for id, p := range d.panels {
		wg.Go(func() {
			html := errorHTML
			if r, err := d.compute(ctx, p, params); err == nil {
				html = r.HTML
			}
			mu.Lock()
			out[id] = html
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

var errorHTML = template.HTML(`<div class="dk-error" role="alert">` + template.HTMLEscapeString(unavailable) + `</div>`)

// update is the JSON a live update carries to the runtime.
type update struct {
	Kind    components.Kind `json:"kind"`
	HTML    string          `json:"html,omitempty"`
	Option  json.RawMessage `json:"option,omitempty"`
	Label   string          `json:"label,omitempty"`
	Message string          `json:"message,omitempty"`
}

// kindError marks an update that replaces the panel with its error state.
const kindError components.Kind = "error"

func newUpdate(r components.Rendered) update {
	if r.Kind == components.KindChart {
		return update{Kind: r.Kind, Option: r.Option, Label: r.Label}
	}
	return update{Kind: components.KindHTML, HTML: string(r.HTML)}
}

func (d *Dashboard) servePanel(w http.ResponseWriter, r *http.Request) {
	p := d.panels[r.PathValue("id")]
	if p == nil {
		writeJSON(w, http.StatusNotFound, update{Kind: kindError, Message: "no such panel"})
		return
	}
	rendered, err := d.compute(r.Context(), p, Params{})
	if err != nil {
		status := http.StatusServiceUnavailable
		if errors.Is(r.Context().Err(), context.Canceled) {
			return // the client has gone
		}
		writeJSON(w, status, update{Kind: kindError, Message: unavailable})
		return
	}
	writeJSON(w, http.StatusOK, newUpdate(rendered))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
