package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/dashkit/dashkit/components"
)

// DataFunc computes a panel's content. It runs with a context that ends when
// the request ends or the panel's timeout passes, whichever is first.
type DataFunc func(ctx context.Context, p Params) (components.Component, error)

// Params carries the view a panel is computed for. Filter values, validated
// against each filter's allow-list, arrive here when filters are declared;
// a panel never sees a raw query string.
type Params struct{}

// Panel is one cell of the layout.
type Panel struct {
	// ID names the panel in URLs and element IDs: a lower-case letter, then
	// lower-case letters, digits, '-' or '_' (see [components.ValidID]).
	ID string
	// Title is shown above the panel's content.
	Title string
	// Width is the number of the row's 12 columns the panel spans; zero
	// shares what the row's other panels leave equally.
	Width int
	// Refresh is how often the page updates the panel; zero uses
	// [Options.RefreshInterval].
	Refresh time.Duration
	// Data computes the panel's content. Required.
	Data DataFunc
}

// Row is a horizontal band of panels. Widths add up to at most 12 columns;
// on narrow screens panels stack.
type Row struct {
	Panels []Panel
}

// Options configure a [Dashboard]. The zero value is a working default.
type Options struct {
	// Rows lay the panels out, top to bottom.
	Rows []Row

	// Assets holds echarts.min.js, served at ./assets/echarts.min.js, as
	// installed by `make assets` in web/node_modules/echarts/dist. Nil loads
	// ECharts from a CDN, pinned by a Subresource-Integrity hash.
	Assets fs.FS

	// RefreshInterval is how often panels without their own Refresh
	// update; zero means 30 seconds.
	RefreshInterval time.Duration

	// PanelTimeout bounds one computation of a panel; zero means 10
	// seconds. A panel that times out shows an error state; the others are
	// unaffected.
	PanelTimeout time.Duration

	// Theme is ThemeLight (the zero value) or ThemeDark.
	Theme Theme

	// FrameAncestors lists the origins that may embed the page in a frame
	// (the CSP frame-ancestors directive); empty allows only the page's own
	// origin.
	FrameAncestors []string

	// Logger receives one record per failure, with its cause; nil
	// discards. Users are shown a generic message, never the error.
	Logger *slog.Logger
}

// Theme is a page's colour theme; charts follow it.
type Theme string

// The themes.
const (
	ThemeLight Theme = "light"
	ThemeDark  Theme = "dark"
)

// The defaults for zero-valued options.
const (
	DefaultRefreshInterval = 30 * time.Second
	DefaultPanelTimeout    = 10 * time.Second
)

// ErrInvalidOptions is wrapped by every error [New] returns.
var ErrInvalidOptions = errors.New("dashboard: invalid options")

// Dashboard is an [http.Handler] serving a page of panels, their data and the
// assets the page needs. Every URL it emits is relative, so it can be mounted
// under any prefix with [http.StripPrefix].
type Dashboard struct {
	title   string
	rows    [][]*panel
	panels  map[string]*panel
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	echarts script
}

type panel struct {
	Panel
	width int
}

// New builds a dashboard. It returns an error wrapping [ErrInvalidOptions]
// that names the panel at fault for a missing title or data function, a bad
// or duplicate ID, a width outside 1..12 or a row wider than 12 columns, and
// for Assets that hold no echarts.min.js.
func New(title string, opts Options) (*Dashboard, error) {
	if title == "" {
		return nil, fmt.Errorf("%w: empty title", ErrInvalidOptions)
	}
	if opts.RefreshInterval < 0 || opts.PanelTimeout < 0 {
		return nil, fmt.Errorf("%w: negative RefreshInterval or PanelTimeout", ErrInvalidOptions)
	}
	switch opts.Theme {
	case "":
		opts.Theme = ThemeLight
	case ThemeLight, ThemeDark:
	default:
		return nil, fmt.Errorf("%w: unknown theme %q", ErrInvalidOptions, opts.Theme)
	}
	if opts.RefreshInterval == 0 {
		opts.RefreshInterval = DefaultRefreshInterval
	}
	if opts.PanelTimeout == 0 {
		opts.PanelTimeout = DefaultPanelTimeout
	}
	d := &Dashboard{
		title:  title,
		panels: make(map[string]*panel),
		opts:   opts,
		log:    opts.Logger,
	}
	if d.log == nil {
		d.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	for i, row := range opts.Rows {
		ps, err := d.layoutRow(i, row)
		if err != nil {
			return nil, err
		}
		d.rows = append(d.rows, ps)
	}
	s, err := echartsScript(opts.Assets)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	d.echarts = s
	d.routes()
	return d, nil
}

func (d *Dashboard) layoutRow(i int, row Row) ([]*panel, error) {
	used, flexible := 0, 0
	out := make([]*panel, 0, len(row.Panels))
	for _, p := range row.Panels {
		switch {
		case !components.ValidID(p.ID):
			return nil, fmt.Errorf("%w: row %d: panel ID %q: want a lower-case letter, then lower-case letters, digits, '-' or '_'", ErrInvalidOptions, i, p.ID)
		case d.panels[p.ID] != nil:
			return nil, fmt.Errorf("%w: row %d: duplicate panel ID %q", ErrInvalidOptions, i, p.ID)
		case p.Data == nil:
			return nil, fmt.Errorf("%w: panel %q: no Data function", ErrInvalidOptions, p.ID)
		case p.Title == "":
			return nil, fmt.Errorf("%w: panel %q: empty title", ErrInvalidOptions, p.ID)
		case p.Width < 0 || p.Width > 12:
			return nil, fmt.Errorf("%w: panel %q: width %d outside 0..12", ErrInvalidOptions, p.ID, p.Width)
		case p.Refresh < 0:
			return nil, fmt.Errorf("%w: panel %q: negative refresh %v", ErrInvalidOptions, p.ID, p.Refresh)
		}
		if p.Refresh == 0 {
			p.Refresh = d.opts.RefreshInterval
		}
		used += p.Width
		if p.Width == 0 {
			flexible++
		}
		pp := &panel{Panel: p, width: p.Width}
		d.panels[p.ID] = pp
		out = append(out, pp)
	}
	if used > 12 || (flexible > 0 && used+flexible > 12) {
		return nil, fmt.Errorf("%w: row %d is wider than 12 columns", ErrInvalidOptions, i)
	}
	if flexible > 0 {
		share := (12 - used) / flexible
		for _, p := range out {
			if p.width == 0 {
				p.width = share
			}
		}
	}
	return out, nil
}

// ServeHTTP implements [http.Handler].
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	d.mux.ServeHTTP(w, r)
}

func (d *Dashboard) routes() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", d.servePage)
	mux.HandleFunc("GET /panels/{id}", d.servePanel)
	mux.Handle("GET /static/{name}", serveFiles(staticFS(), "no-cache"))
	if d.opts.Assets != nil {
		mux.Handle("GET /assets/{name...}", serveFiles(d.opts.Assets, "public, max-age=86400"))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, "ok\n")
	})
	d.mux = mux
}
