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
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dashkit/dashkit/cache"
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
// a hash of its content, and what the first paint needs besides. A chart's
// option is held once, inside Update: the first paint's container takes it
// from there (OptionSpan), so a result is no bigger than its update. A
// Redis [Options.CacheStore] shares it between replicas.
type PanelResult struct {
	Hash   string          `json:"hash"`
	Kind   components.Kind `json:"kind"`
	Update json.RawMessage `json:"update"`
	// HTML is the first paint of an HTML component or an error; empty for
	// a chart.
	HTML template.HTML `json:"html,omitempty"`
	// Label is a chart's accessible description; OptionSpan the bounds of
	// its option inside Update.
	Label      string `json:"label,omitempty"`
	OptionSpan [2]int `json:"optionSpan,omitzero"`
	// Records are the CSV export of the view, for a panel with
	// [Panel.Export] whose component is a [components.Recorder]; ExportErr
	// says why there are none otherwise.
	Records   [][]string `json:"records,omitempty"`
	ExportErr string     `json:"exportErr,omitempty"`
}

// firstPaint is the markup a page shows for the result in panel id.
func (r PanelResult) firstPaint(id string) (template.HTML, error) {
	if r.Kind != components.KindChart {
		return r.HTML, nil
	}
	a, b := r.OptionSpan[0], r.OptionSpan[1]
	if a <= 0 || b <= a || b > len(r.Update) {
		return "", fmt.Errorf("panel %q: result without its option", id)
	}
	return components.ChartContainer(id, r.Label, r.Update[a:b])
}

// errPanicked is what load counts and logs for a data function that
// panicked; the cache logs the panic's value and stack.
var errPanicked = errors.New("data function panicked")

// exportNone is PanelResult.ExportErr for a component with nothing to
// export.
const exportNone = "no records"

// openCaches builds the dashboard's two caches. Computations are keyed by
// view and by refresh interval (see viewKey), so entries need live only
// until the next interval starts: ttl. Rendered results go to the host's
// store (Redis shares them between replicas); the components they are
// rendered from stay in process, so a table sorted or paged another way is
// rendered again without calling its data function.
// panicTTL is how long a data function that panicked is not run again for
// the same filters: its error is served instead, so a broken panel does not
// log a full stack for every request.
const panicTTL = time.Second

// panicked is a data function's panic, remembered until a time.
type panicked struct {
	err   error
	until time.Time
}

func (d *Dashboard) openCaches(opts Options, ttl time.Duration) (err error) {
	d.cache, err = cache.New(nil, cache.Options[viewKey, PanelResult]{
		Namespace:   opts.CacheNamespace,
		TTL:         ttl,
		LoadTimeout: opts.PanelTimeout + time.Second,
		Store:       opts.CacheStore,
		Registerer:  opts.Registerer,
		Logger:      d.log,
	})
	if err != nil {
		return err
	}
	d.data, err = cache.New(nil, cache.Options[viewKey, components.Component]{
		Namespace:   opts.CacheNamespace + ".data",
		TTL:         ttl,
		LoadTimeout: opts.PanelTimeout + time.Second,
		Registerer:  opts.Registerer,
		Logger:      d.log,
	})
	if err != nil {
		_ = d.cache.Close()
	}
	return err
}

// render returns a panel's content for a view in the current interval: the
// one path by which the page, panel requests, event streams and exports get
// a panel's data, through the cache (so one computation per view and
// interval), under the panel timeout, measured, with panics recovered.
func (d *Dashboard) render(ctx context.Context, p *panel, pv viewOfPanel) (PanelResult, error) {
	return d.renderAt(ctx, p, pv, p.epoch(time.Now()))
}

// renderAt is render for the interval epoch. The replica that computes the
// view publishes it on the Broker, whoever asked.
func (d *Dashboard) renderAt(ctx context.Context, p *panel, pv viewOfPanel, epoch int64) (PanelResult, error) {
	k := viewKey{Panel: p.ID, Query: pv.query, Epoch: epoch}
	return d.cache.GetOrLoad(ctx, k, func(ctx context.Context, k viewKey) (PanelResult, error) {
		res, err := d.load(ctx, p, pv, k.Epoch)
		if err == nil {
			d.publish(ctx, p, pv, k.Epoch, res)
		}
		return res, err
	})
}

// load computes one view's result: the component of the panel's filters
// (from the data cache, so the data function runs once per filter view and
// interval whatever sort or page a table is shown with), then the
// component's protocols, rendering and encoding.
func (d *Dashboard) load(ctx context.Context, p *panel, pv viewOfPanel, epoch int64) (PanelResult, error) {
	dk := viewKey{Panel: p.ID, Query: pv.filters, Epoch: epoch}
	pk := viewKey{Panel: p.ID, Query: pv.filters}
	if v, ok := d.panics.Load(pk); ok {
		if pe := v.(panicked); time.Now().Before(pe.until) {
			return PanelResult{}, pe.err
		}
		d.panics.Delete(pk)
	}
	c, err := d.data.GetOrLoad(ctx, dk, func(ctx context.Context, _ viewKey) (components.Component, error) {
		return d.callData(ctx, p, pv.params, pv.filters)
	})
	if errors.Is(err, cache.ErrLoaderPanic) {
		d.panics.Store(pk, panicked{err, time.Now().Add(panicTTL)})
	}
	if err != nil {
		return PanelResult{}, err // callData logged it
	}
	res, err := d.present(p, c, pv.params.table)
	if err != nil && !errors.Is(err, ErrBadFilter) {
		d.log.LogAttrs(ctx, slog.LevelError, "dashboard: panel failed",
			slog.String("panel", p.ID), slog.String("query", pv.query), slog.Any("error", err))
	}
	return res, err
}

// callData runs a panel's data function under its timeout. A panicking data
// function is an error, not a crash: the cache recovers it (the one recovery
// on the path, which logs the stack and gives every waiter
// [cache.ErrLoaderPanic]); callData counts and logs it as the panel's
// failure on its way up.
func (d *Dashboard) callData(ctx context.Context, p *panel, params Params, query string) (c components.Component, err error) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.PanelTimeout)
	defer cancel()
	start := time.Now()
	finished := false
	defer func() {
		if !finished {
			err = errPanicked
		}
		d.m.observe(p.ID, time.Since(start), err)
		if err != nil {
			d.log.LogAttrs(ctx, slog.LevelError, "dashboard: panel failed",
				slog.String("panel", p.ID), slog.String("query", query), slog.Duration("elapsed", time.Since(start)), slog.Any("error", err))
		}
	}()
	c, err = p.Data(ctx, params)
	finished = true
	if err == nil && ctx.Err() != nil {
		// A data function that ignores its context and returns late is
		// still late.
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("panel %q: %w", p.ID, err)
	}
	if c == nil {
		return nil, fmt.Errorf("panel %q: data function returned no component and no error", p.ID)
	}
	return c, nil
}

// present turns a panel's component into its result for a table state:
// downsampled, sorted and paged, rendered and encoded, with its export.
func (d *Dashboard) present(p *panel, c components.Component, ts tableState) (res PanelResult, err error) {
	c, err = d.shown(p, c, ts)
	if err != nil {
		return res, err
	}
	u, err := newUpdate(p.ID, c)
	if err != nil {
		return res, err
	}
	res, err = encode(u)
	if err == nil && p.Export {
		res.Records, res.ExportErr = records(c)
	}
	return res, err
}

// shown is the component as the page shows it in panel p: downsampled to
// MaxDataPoints, sorted and paged by the table state, and a card that is
// the panel's whole content without a title that repeats the panel's.
func (d *Dashboard) shown(p *panel, c components.Component, ts tableState) (components.Component, error) {
	if mc, ok := c.(components.MetricCard); ok && sameTitle(mc.Title, p.Title) {
		mc.Title = ""
		c = mc
	}
	if ds, ok := c.(components.Downsampler); ok {
		c = ds.Downsample(d.opts.MaxDataPoints)
	}
	return applyTableState(c, ts)
}

// sameTitle reports whether a card's title says what its panel's already
// does: the same words, whatever the case and spacing.
func sameTitle(card, panel string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(card), " "), strings.Join(strings.Fields(panel), " "))
}

// newUpdate renders c for panel id, without its hash.
func newUpdate(id string, c components.Component) (Update, error) {
	r, err := c.Render(id)
	if err != nil {
		return Update{}, fmt.Errorf("panel %q: %w", id, err)
	}
	if r.Kind == components.KindChart {
		return Update{Panel: id, Kind: r.Kind, Option: r.Option, Label: r.Label}, nil
	}
	return Update{Panel: id, Kind: components.KindHTML, HTML: string(r.HTML)}, nil
}

// NewUpdate is the update a dashboard sends for component c shown in the
// panel with ID id, as the page's event stream and GET /panels/{id} carry it
// (see [Update] for its JSON): c rendered, with its content hash. It does not
// downsample; a dashboard first caps a chart's points at
// [Options.MaxDataPoints]. The error is c's rendering error.
func NewUpdate(id string, c components.Component) (Update, error) {
	if c == nil {
		return Update{}, fmt.Errorf("panel %q: no component", id)
	}
	u, err := newUpdate(id, c)
	if err != nil {
		return Update{}, err
	}
	u.Hash = hashOf(u)
	return u, nil
}

// ErrNoPanel is wrapped by the error [Dashboard.Compute] returns for a panel
// ID the dashboard does not have.
var ErrNoPanel = errors.New("dashboard: no such panel")

// Compute runs the data function of the panel with ID id for the view query
// names, as a request for that view would, and returns the component it
// made and the update the page would receive. The query is validated against
// the dashboard's filters first (an error wrapping [ErrBadFilter], as a 400
// answer would); the panel gets [Params] with only the filters it declared,
// and its table state (<id>.sort, <id>.page) applies to the update.
//
// Compute is for tests and tools (package dashboardtest wraps it): it goes
// past the cache, permissions and metrics' request counts, so every call
// runs the data function, under the panel timeout. A panic in the data
// function is not recovered.
func (d *Dashboard) Compute(ctx context.Context, id string, query url.Values) (components.Component, Update, error) {
	p := d.panels[id]
	if p == nil {
		return nil, Update{}, fmt.Errorf("%w: %q", ErrNoPanel, id)
	}
	v, err := d.parseView(query)
	if err != nil {
		return nil, Update{}, err
	}
	pv := v.of(p)
	c, err := d.callData(ctx, p, pv.params, pv.filters)
	if err != nil {
		return nil, Update{}, err
	}
	shown, err := d.shown(p, c, pv.params.table)
	if err != nil {
		return c, Update{}, err
	}
	u, err := NewUpdate(p.ID, shown)
	return c, u, err
}

// records is what an export of c holds, decided with the computation so an
// export serves the view on screen from the cache: c's records, or why there
// are none.
func records(c components.Component) ([][]string, string) {
	rec, ok := c.(components.Recorder)
	if !ok {
		return nil, exportNone
	}
	out, err := rec.Records()
	switch {
	case errors.Is(err, components.ErrNoRecords):
		return nil, exportNone
	case err != nil:
		return nil, err.Error()
	}
	return out, ""
}

// applyTableState sorts and pages a table by the view's state. A sort key
// the table has no column for, or table state for a component that is not
// a table, is a bad request (400): it is refused after the computation it
// shares with every other view, so it costs no data call.
func applyTableState(c components.Component, ts tableState) (components.Component, error) {
	if ts == (tableState{}) {
		return c, nil
	}
	if tv, ok := c.(components.TableViewer); ok {
		out, err := tv.WithView(ts.sort, ts.desc, ts.page)
		switch {
		case errors.Is(err, components.ErrNoColumn):
			return nil, fmt.Errorf("%w: the table has no column %q to sort by", ErrBadFilter, clip(ts.sort))
		case errors.Is(err, components.ErrNoPage):
			return nil, fmt.Errorf("%w: the table has no page %d", ErrBadFilter, ts.page)
		}
		return out, err
	}
	return nil, fmt.Errorf("%w: this panel is not a table; it cannot be sorted or paged", ErrBadFilter)
}

// encode finishes a result: the content hash, then the update's JSON. A
// chart's option is written as it is (components encode it compactly with
// encoding/json, <, > and & escaped) between the encoded fields around it,
// so its place in the update is known.
func encode(u Update) (PanelResult, error) {
	u.Hash = hashOf(u)
	res := PanelResult{Hash: u.Hash, Kind: u.Kind}
	if u.Kind != components.KindChart {
		b, err := json.Marshal(u)
		if err != nil {
			return PanelResult{}, fmt.Errorf("panel %q: encode update: %w", u.Panel, err)
		}
		res.Update, res.HTML = b, template.HTML(u.HTML)
		if u.Kind == KindError {
			res.HTML = errorHTML
		}
		return res, nil
	}
	if !json.Valid(u.Option) {
		return PanelResult{}, fmt.Errorf("panel %q: encode update: invalid option", u.Panel)
	}
	head, err := json.Marshal(struct {
		Panel string          `json:"panel"`
		Kind  components.Kind `json:"kind"`
		Label string          `json:"label,omitempty"`
		Hash  string          `json:"hash"`
	}{u.Panel, u.Kind, u.Label, u.Hash})
	if err != nil {
		return PanelResult{}, fmt.Errorf("panel %q: encode update: %w", u.Panel, err)
	}
	b := make([]byte, 0, len(head)+len(u.Option)+len(`,"option":`))
	b = append(b, head[:len(head)-1]...) // without its closing brace
	b = append(b, `,"option":`...)
	start := len(b)
	b = append(b, u.Option...)
	end := len(b)
	b = append(b, '}')
	res.Update, res.Label, res.OptionSpan = b, u.Label, [2]int{start, end}
	return res, nil
}

// hashOf is u's content hash.
func hashOf(u Update) string {
	h := fnv.New64a()
	h.Write([]byte(u.Kind))
	h.Write([]byte(u.HTML))
	h.Write(u.Option)
	h.Write([]byte(u.Label))
	h.Write([]byte(u.Message))
	return strconv.FormatUint(h.Sum64(), 36)
}

// errorResult is a panel's error state.
func errorResult(panel string) PanelResult {
	r, _ := encode(Update{Panel: panel, Kind: KindError, Message: unavailable})
	return r
}

// renderAll computes every visible panel concurrently for the first paint.
// Failures are per panel, except a view a panel refuses (a table sorted by a
// column it lacks), which is the request's: the error wraps ErrBadFilter.
func (d *Dashboard) renderAll(ctx context.Context, panels []*panel, v view) (map[string]PanelResult, error) {
	out := make(map[string]PanelResult, len(panels))
	var mu sync.Mutex
	var wg sync.WaitGroup
	var bad error
	for _, p := range panels {
		wg.Go(func() {
			res, err := d.render(ctx, p, v.of(p))
			if err != nil {
				res = errorResult(p.ID)
			}
			mu.Lock()
			out[p.ID] = res
			if errors.Is(err, ErrBadFilter) {
				bad = err
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return out, bad
}

var errorHTML = template.HTML(`<div class="dk-error" role="alert">` + template.HTMLEscapeString(unavailable) + `</div>`)

// Update is one panel's content as the page receives it: the data of an
// "update" event on GET /events (whose id is the event's sequence number,
// for Last-Event-ID), and the body of GET /panels/{id}. Its JSON is one
// object:
//
//	{"panel":"revenue","kind":"chart","label":"Line chart …","hash":"1x2y3z","option":{…ECharts option…}}
//	{"panel":"orders","kind":"html","html":"<div class=\"dk-card\">…</div>","hash":"…"}
//	{"panel":"orders","kind":"error","message":"This panel is unavailable right now.","hash":"…"}
//
// kind is "chart" (option is the ECharts option the runtime passes to
// setOption, label the chart's accessible description), "html" (html is an
// escaped fragment that replaces the panel's body) or "error" (the panel's
// error state; the cause is only in the server's log). hash identifies the
// content: the stream sends a panel's update only when its hash changes.
type Update struct {
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

// KindError is the kind of an [Update] that replaces a panel with its
// error state.
const KindError components.Kind = "error"

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
	res, answered, err := d.renderRequest(w, r, p)
	if answered {
		return
	}
	status := http.StatusOK
	if err != nil {
		res, status = errorResult(p.ID), http.StatusServiceUnavailable
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(res.Update)))
	w.WriteHeader(status)
	_, _ = w.Write(res.Update)
}

// renderRequest renders p in the request's view, through the one load
// path (cache, timeout, metrics, recovery). It answers the request itself,
// and says so, when the view is refused or does not fit the data (400,
// 403) and when the client has gone; any other error is the caller's to
// answer.
func (d *Dashboard) renderRequest(w http.ResponseWriter, r *http.Request, p *panel) (res PanelResult, answered bool, err error) {
	v, ok := d.viewOf(w, r)
	if !ok {
		return PanelResult{}, true, nil
	}
	res, err = d.render(r.Context(), p, v.of(p))
	switch {
	case err == nil:
		return res, false, nil
	case errors.Is(r.Context().Err(), context.Canceled):
		return res, true, err // the client has gone
	case errors.Is(err, ErrBadFilter):
		d.fail(w, r, http.StatusBadRequest, publicMessage(err))
		return res, true, err
	}
	return res, false, err
}

// viewOf validates the request's filters, answering 400 (bad filters) or 403
// (a view other than the default for a user without ViewPermission) itself
// when they fail.
func (d *Dashboard) viewOf(w http.ResponseWriter, r *http.Request) (view, bool) {
	// Not r.URL.Query(), which drops what it cannot parse: a ';' or more
	// than 10,000 parameters would then silently serve the default view.
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, "The address's query is malformed (a ';', a bad escape, or too many parameters).")
		return view{}, false
	}
	v, err := d.parseView(q)
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
