package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"html/template"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/dashkit/dashkit/components"
)

// unavailable is all a user is told about a failed panel; the cause goes to
// the log.
const unavailable = "This panel is unavailable right now."

// viewKey names one computation: a panel, the canonical query of the filters
// it depends on, and the refresh interval it belongs to (the time divided by
// the panel's refresh). Everything that asks for the same view in the same
// interval — the page, the event streams of a thousand viewers, polling,
// other replicas sharing a Redis cache — shares one computation.
type viewKey struct {
	Panel string
	Query string
	Epoch int64
}

func (p *panel) epoch(now time.Time) int64 { return now.UnixNano() / int64(p.Refresh) }

// render returns a panel's content for a view in the current interval.
func (d *Dashboard) render(ctx context.Context, p *panel, query string) (components.Rendered, error) {
	return d.cache.Get(ctx, viewKey{Panel: p.ID, Query: query, Epoch: p.epoch(time.Now())})
}

// load is the cache's load function: it runs a panel's data function under
// its timeout and renders the result. A panicking data function is an
// error, not a crash.
func (d *Dashboard) load(ctx context.Context, k viewKey) (r components.Rendered, err error) {
	p := d.panels[k.Panel]
	if p == nil {
		return r, fmt.Errorf("no panel %q", k.Panel)
	}
	ctx, cancel := context.WithTimeout(ctx, d.opts.PanelTimeout)
	defer cancel()
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v\n%s", v, debug.Stack())
		}
		d.m.observe(p.ID, time.Since(start), err)
		if err != nil {
			d.log.LogAttrs(ctx, slog.LevelError, "dashboard: panel failed",
				slog.String("panel", p.ID), slog.String("query", k.Query), slog.Duration("elapsed", time.Since(start)), slog.Any("error", err))
		}
	}()
	c, err := p.Data(ctx, d.paramsFromQuery(k.Query))
	if err == nil && ctx.Err() != nil {
		// A data function that ignores its context and returns late is
		// still late.
		err = ctx.Err()
	}
	if err != nil {
		return r, fmt.Errorf("panel %q: %w", p.ID, err)
	}
	if c == nil {
		return r, fmt.Errorf("panel %q: data function returned no component and no error", p.ID)
	}
	if ds, ok := c.(interface {
		Downsample(int) components.Component
	}); ok {
		c = ds.Downsample(d.opts.MaxDataPoints)
	}
	r, err = c.Render(p.ID)
	if err != nil {
		return r, fmt.Errorf("panel %q: %w", p.ID, err)
	}
	return r, nil
}

// renderAll computes every visible panel concurrently for the first paint.
// Failures are per panel.
func (d *Dashboard) renderAll(ctx context.Context, panels []*panel, v view) map[string]update {
	out := make(map[string]update, len(panels))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range panels {
		wg.Go(func() {
			u := errorUpdate()
			if r, err := d.render(ctx, p, v.query(p.Filters)); err == nil {
				u = newUpdate(r)
			}
			mu.Lock()
			out[p.ID] = u
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

var errorHTML = template.HTML(`<div class="dk-error" role="alert">` + template.HTMLEscapeString(unavailable) + `</div>`)

// update is the JSON a live update carries to the runtime.
type update struct {
	Panel   string          `json:"panel,omitempty"`
	Kind    components.Kind `json:"kind"`
	HTML    string          `json:"html,omitempty"`
	Option  json.RawMessage `json:"option,omitempty"`
	Label   string          `json:"label,omitempty"`
	Message string          `json:"message,omitempty"`
	// Hash identifies the content, so the runtime skips an update that
	// changes nothing (and a chart does not re-animate).
	Hash string `json:"hash"`

	firstPaint template.HTML
}

// kindError marks an update that replaces the panel with its error state.
const kindError components.Kind = "error"

func newUpdate(r components.Rendered) update {
	u := update{Kind: components.KindHTML, HTML: string(r.HTML), firstPaint: r.HTML}
	if r.Kind == components.KindChart {
		u = update{Kind: r.Kind, Option: r.Option, Label: r.Label, firstPaint: r.HTML}
	}
	h := fnv.New64a()
	h.Write([]byte(u.Kind))
	h.Write([]byte(u.HTML))
	h.Write(u.Option)
	h.Write([]byte(u.Label))
	u.Hash = strconv.FormatUint(h.Sum64(), 36)
	return u
}

func errorUpdate() update {
	return update{Kind: kindError, Message: unavailable, Hash: "error", firstPaint: errorHTML}
}

func (d *Dashboard) servePanel(w http.ResponseWriter, r *http.Request) {
	p := d.panels[r.PathValue("id")]
	if p == nil {
		writeJSON(w, http.StatusNotFound, update{Kind: kindError, Message: "no such panel", Hash: "error"})
		return
	}
	if !d.allowed(r, p.Permission) {
		writeJSON(w, http.StatusForbidden, update{Kind: kindError, Message: "forbidden", Hash: "error"})
		return
	}
	v, ok := d.viewOf(w, r)
	if !ok {
		return
	}
	rendered, err := d.render(r.Context(), p, v.query(p.Filters))
	if err != nil {
		if errors.Is(r.Context().Err(), context.Canceled) {
			return // the client has gone
		}
		writeJSON(w, http.StatusServiceUnavailable, errorUpdate())
		return
	}
	u := newUpdate(rendered)
	u.Panel = p.ID
	writeJSON(w, http.StatusOK, u)
}

// viewOf validates the request's filters, answering 400 (bad filters) or 403
// (filters the user may not change) itself when they fail.
func (d *Dashboard) viewOf(w http.ResponseWriter, r *http.Request) (view, bool) {
	v, err := d.parseView(r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return view{}, false
	}
	if !d.allowed(r, d.opts.FilterPermission) && !d.isDefault(v) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "you may not change filters"})
		return view{}, false
	}
	return v, true
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
