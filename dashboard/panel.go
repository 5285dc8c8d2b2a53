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

// PanelResult is what the dashboard computes, caches and serves for one
// view of a panel: the live update already encoded as JSON for the runtime,
// a hash of its content, and the HTML of the first paint. A Redis
// [Options.CacheStore] shares it between replicas.
type PanelResult struct {
	Hash   string          `json:"hash"`
	Update json.RawMessage `json:"update"`
	HTML   template.HTML   `json:"html"`
}

// render returns a panel's content for a view in the current interval.
func (d *Dashboard) render(ctx context.Context, p *panel, query string) (PanelResult, error) {
	return d.cache.Get(ctx, viewKey{Panel: p.ID, Query: query, Epoch: p.epoch(time.Now())})
}

// load is the cache's load function: it runs a panel's data function under
// its timeout, renders the result and encodes the update. A panicking data
// function is an error, not a crash.
func (d *Dashboard) load(ctx context.Context, k viewKey) (res PanelResult, err error) {
	p := d.panels[k.Panel]
	if p == nil {
		return res, fmt.Errorf("no panel %q", k.Panel)
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
	params := d.paramsFromQuery(k.Query)
	c, err := p.Data(ctx, params)
	if err == nil && ctx.Err() != nil {
		// A data function that ignores its context and returns late is
		// still late.
		err = ctx.Err()
	}
	if err != nil {
		return res, fmt.Errorf("panel %q: %w", p.ID, err)
	}
	if c == nil {
		return res, fmt.Errorf("panel %q: data function returned no component and no error", p.ID)
	}
	if ds, ok := c.(interface {
		Downsample(int) components.Component
	}); ok {
		c = ds.Downsample(d.opts.MaxDataPoints)
	}
	c = applyTableState(c, params.table)
	r, err := c.Render(p.ID)
	if err != nil {
		return res, fmt.Errorf("panel %q: %w", p.ID, err)
	}
	u := update{Panel: p.ID, Kind: components.KindHTML, HTML: string(r.HTML)}
	if r.Kind == components.KindChart {
		u = update{Panel: p.ID, Kind: r.Kind, Option: r.Option, Label: r.Label}
	}
	return encode(u, r.HTML)
}

// applyTableState sorts and pages a table by the view's state; an unknown
// sort key leaves the table as its data function made it.
func applyTableState(c components.Component, ts tableState) components.Component {
	if ts == (tableState{}) {
		return c
	}
	if tv, ok := c.(interface {
		WithView(sortBy string, desc bool, page int) (components.Component, bool)
	}); ok {
		if out, ok := tv.WithView(ts.sort, ts.desc, ts.page); ok {
			return out
		}
	}
	return c
}

// encode finishes a result: the content hash, then the update's JSON.
func encode(u update, firstPaint template.HTML) (PanelResult, error) {
	h := fnv.New64a()
	h.Write([]byte(u.Kind))
	h.Write([]byte(u.HTML))
	h.Write(u.Option)
	h.Write([]byte(u.Label))
	h.Write([]byte(u.Message))
	u.Hash = strconv.FormatUint(h.Sum64(), 36)
	b, err := json.Marshal(u)
	if err != nil {
		return PanelResult{}, fmt.Errorf("panel %q: encode update: %w", u.Panel, err)
	}
	return PanelResult{Hash: u.Hash, Update: b, HTML: firstPaint}, nil
}

// errorResult is a panel's error state.
func errorResult(panel string) PanelResult {
	r, _ := encode(update{Panel: panel, Kind: kindError, Message: unavailable}, errorHTML)
	return r
}

// renderAll computes every visible panel concurrently for the first paint.
// Failures are per panel.
func (d *Dashboard) renderAll(ctx context.Context, panels []*panel, v view) map[string]PanelResult {
	out := make(map[string]PanelResult, len(panels))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range panels {
		wg.Go(func() {
			res, err := d.render(ctx, p, v.panelQuery(p))
			if err != nil {
				res = errorResult(p.ID)
			}
			mu.Lock()
			out[p.ID] = res
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

var errorHTML = template.HTML(`<div class="dk-error" role="alert">` + template.HTMLEscapeString(unavailable) + `</div>`)

// update is the JSON a live update carries to the runtime.
type update struct {
	Panel   string          `json:"panel"`
	Kind    components.Kind `json:"kind"`
	HTML    string          `json:"html,omitempty"`
	Option  json.RawMessage `json:"option,omitempty"`
	Label   string          `json:"label,omitempty"`
	Message string          `json:"message,omitempty"`
	// Hash identifies the content, so the runtime skips an update that
	// changes nothing (and a chart does not re-animate).
	Hash string `json:"hash"`
}

// kindError marks an update that replaces the panel with its error state.
const kindError components.Kind = "error"

func (d *Dashboard) servePanel(w http.ResponseWriter, r *http.Request) {
	p := d.panels[r.PathValue("id")]
	if p == nil {
		d.fail(w, r, http.StatusNotFound, "This dashboard has no such panel.")
		return
	}
	if !d.allowed(r, p.Permission) {
		d.fail(w, r, http.StatusForbidden, "You may not see this panel.")
		return
	}
	v, ok := d.viewOf(w, r)
	if !ok {
		return
	}
	res, err := d.render(r.Context(), p, v.panelQuery(p))
	status := http.StatusOK
	if err != nil {
		if errors.Is(r.Context().Err(), context.Canceled) {
			return // the client has gone
		}
		res, status = errorResult(p.ID), http.StatusServiceUnavailable
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(res.Update)))
	w.WriteHeader(status)
	_, _ = w.Write(res.Update)
}

// viewOf validates the request's filters, answering 400 (bad filters) or 403
// (a view other than the default for a user without ViewPermission) itself
// when they fail.
func (d *Dashboard) viewOf(w http.ResponseWriter, r *http.Request) (view, bool) {
	v, err := d.parseView(r.URL.Query())
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, publicMessage(err))
		return view{}, false
	}
	if !d.allowed(r, d.opts.ViewPermission) && !d.isDefault(v) {
		d.fail(w, r, http.StatusForbidden, "You may open this dashboard's default view only.")
		return view{}, false
	}
	return v, true
}
