package dashboardtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// PanelID is the panel ID [Call] renders a data function's component for.
const PanelID = "panel"

// Result is one computation of a panel: what its data function returned and
// what the page receives.
type Result struct {
	// Component is the data function's component, as it returned it
	// (before a dashboard downsamples, sorts or pages it).
	Component components.Component
	// Update is the update the page's event stream carries for it.
	Update dashboard.Update
}

// Option decodes a chart update's ECharts option into v, such as a
// map[string]any; it fails for an update that is not a chart.
func (r Result) Option(v any) error {
	if r.Update.Kind != components.KindChart {
		return fmt.Errorf("dashboardtest: panel %q: a %q update has no option", r.Update.Panel, r.Update.Kind)
	}
	return json.Unmarshal(r.Update.Option, v)
}

// Call runs fn with the Params that query (a URL query such as
// "region=north&day_from=2026-03-01") makes through [dashboard.NewParams],
// and renders the component it returns as the panel [PanelID]. An error from
// fn, a nil component, or a component that fails to render is returned.
func Call(ctx context.Context, fn dashboard.DataFunc, query string) (Result, error) {
	q, err := url.ParseQuery(query)
	if err != nil {
		return Result{}, fmt.Errorf("dashboardtest: query %q: %w", query, err)
	}
	p, err := dashboard.NewParams(q)
	if err != nil {
		return Result{}, err
	}
	c, err := fn(ctx, p)
	if err != nil {
		return Result{}, err
	}
	if c == nil {
		return Result{}, errors.New("dashboardtest: the data function returned no component and no error")
	}
	u, err := dashboard.NewUpdate(PanelID, c)
	return Result{Component: c, Update: u}, err
}

// Render computes the panel with ID id of d for query, through
// [dashboard.Dashboard.Compute]: the query is checked against d's filters,
// and the update is the one the page would get (downsampled, sorted and
// paged as the query says).
func Render(ctx context.Context, d *dashboard.Dashboard, id, query string) (Result, error) {
	q, err := url.ParseQuery(query)
	if err != nil {
		return Result{}, fmt.Errorf("dashboardtest: query %q: %w", query, err)
	}
	c, u, err := d.Compute(ctx, id, q)
	return Result{Component: c, Update: u}, err
}

// Event is one update event of a stream.
type Event struct {
	// ID is the stream's position after the event, which a reconnecting
	// browser sends back as Last-Event-ID; it is the same on every replica
	// for the same update.
	ID     string
	Update dashboard.Update
}

// Events serves the event stream GET /events?query on h (a dashboard, or a
// host's handler that mounts one at its root) to an in-memory client for
// window, then ends it, and returns the update events it delivered in
// order. Run it inside [testing/synctest.Test] to drive the stream for many
// refresh intervals with a fake clock. A stream refused (a bad query, a
// forbidden view) is an error carrying the status and the body.
func Events(ctx context.Context, h http.Handler, query string, window time.Duration) ([]Event, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	target := "/events"
	if query != "" {
		target += "?" + query
	}
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	w := &streamWriter{header: make(http.Header)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(w, r)
	}()
	timer := time.NewTimer(window)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-done:
	case <-ctx.Done():
	}
	cancel()
	<-done
	status, body := w.result()
	if status != http.StatusOK {
		return nil, fmt.Errorf("dashboardtest: GET %s: %d %s", target, status, strings.TrimSpace(string(body)))
	}
	return parseEvents(body)
}

// streamWriter is an http.ResponseWriter that keeps what it is sent and can
// be flushed, as an event stream needs.
type streamWriter struct {
	header http.Header
	mu     sync.Mutex
	status int
	buf    bytes.Buffer
}

func (w *streamWriter) Header() http.Header { return w.header }

func (w *streamWriter) WriteHeader(status int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.status == 0 {
		w.status = status
	}
}

func (w *streamWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.buf.Write(b)
}

func (w *streamWriter) Flush() {}

func (w *streamWriter) result() (int, []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status, bytes.Clone(w.buf.Bytes())
}

// parseEvents reads the update events of an SSE body.
func parseEvents(body []byte) ([]Event, error) {
	var out []Event
	for frame := range strings.SplitSeq(string(body), "\n\n") {
		var id, kind, data string
		for line := range strings.SplitSeq(frame, "\n") {
			field, value, _ := strings.Cut(line, ": ")
			switch field {
			case "id":
				id = value
			case "event":
				kind = value
			case "data":
				data = value
			}
		}
		if kind != "update" {
			continue
		}
		if id == "" {
			return out, fmt.Errorf("dashboardtest: update event without an id")
		}
		var u dashboard.Update
		if err := json.Unmarshal([]byte(data), &u); err != nil {
			return out, fmt.Errorf("dashboardtest: event %q: %w", id, err)
		}
		out = append(out, Event{ID: id, Update: u})
	}
	return out, nil
}
