package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// deliveries counts, per panel, what reaches the browser: GET /panels/{id}
// answers and update frames on event streams; and the streams opened.
type deliveries struct {
	mu      sync.Mutex
	fetched map[string]int
	pushed  map[string]int
	streams int
}

func (c *deliveries) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fetched, c.pushed, c.streams = map[string]int{}, map[string]int{}, 0
}

func (c *deliveries) get() (fetched, pushed map[string]int, streams int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fetched, pushed = map[string]int{}, map[string]int{}
	for k, v := range c.fetched {
		fetched[k] = v
	}
	for k, v := range c.pushed {
		pushed[k] = v
	}
	return fetched, pushed, c.streams
}

// wrap counts the requests and the update frames that h answers with.
func (c *deliveries) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/panels/"):
			c.mu.Lock()
			c.fetched[strings.TrimPrefix(r.URL.Path, "/panels/")]++
			c.mu.Unlock()
		case r.URL.Path == "/events":
			c.mu.Lock()
			c.streams++
			c.mu.Unlock()
			w = &frameCounter{ResponseWriter: w, c: c}
		}
		h.ServeHTTP(w, r)
	})
}

// frameCounter reads the update frames a stream writes (one frame per
// write) and counts them by panel.
type frameCounter struct {
	http.ResponseWriter
	c *deliveries
}

func (f *frameCounter) Write(b []byte) (int, error) {
	if _, data, ok := bytes.Cut(b, []byte("event: update\ndata: ")); ok {
		data, _, _ = bytes.Cut(data, []byte("\n"))
		var u struct {
			Panel string `json:"panel"`
		}
		if json.Unmarshal(data, &u) == nil {
			f.c.mu.Lock()
			f.c.pushed[u.Panel]++
			f.c.mu.Unlock()
		}
	}
	return f.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController flush and set deadlines.
func (f *frameCounter) Unwrap() http.ResponseWriter { return f.ResponseWriter }

// TestBrowserFilterChangeTakesOnePath changes the sector filter on a live
// page and counts what reaches the browser: the dependent panel's new state
// arrives once, over the stream that follows the new view, and is not also
// fetched; the panel that ignores the filter gets at most its latest state
// again (dropped by its hash); and one new stream replaces the old. A
// runtime that fetches the dependent panels and reconnects the stream
// delivers the new state twice.
func TestBrowserFilterChangeTakesOnePath(t *testing.T) {
	b := browsertest.New(t)
	var opts []components.Option
	for _, s := range sectors {
		opts = append(opts, components.Option{Value: s})
	}
	d, err := dashboard.New("One path", dashboard.Options{
		Assets:          os.DirFS(testenv.EChartsDir(t)),
		RefreshInterval: time.Hour, // only the filter change updates panels here
		Filters:         []dashboard.Filter{{Name: "sector", Label: "Sector", Options: opts}},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "detail", Title: "Sector detail", Width: 6, Filters: []string{"sector"},
				Data: func(_ context.Context, p dashboard.Params) (components.Component, error) {
					return components.MetricCard{Title: "Sector " + p.Value("sector"), Value: float64(len(p.Value("sector")))}, nil
				}},
			{ID: "total", Title: "Total", Width: 6,
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					return components.MetricCard{Title: "Total", Value: 42}, nil
				}},
		}}},
	})
	require.NoError(t, err)
	var count deliveries
	count.reset()
	mux := http.NewServeMux()
	mux.Handle("/ops/", http.StripPrefix("/ops", count.wrap(d)))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})

	p := b.Open(t, srv.URL+"/ops/")
	p.WaitFor(`document.documentElement.dataset.dkStatus === 'live'`)
	p.Do(chromedp.Sleep(500 * time.Millisecond)) // the first stream's first states
	count.reset()
	totalHash := browsertest.Eval[string](p, `document.getElementById('panel-total').dataset.hash`)

	p.Do(chromedp.SetValue(chromedp.CSS(`#filter-sector-input`), "Utilities"))
	p.WaitFor(`document.querySelector('#panel-detail .dk-card-title').textContent === 'Sector Utilities' && document.documentElement.dataset.dkStatus === 'live'`)
	p.Do(chromedp.Sleep(time.Second)) // room for a second delivery
	fetched, pushed, streams := count.get()

	require.Equal(t, 1, fetched["detail"]+pushed["detail"], "the dependent panel's new state arrives once (fetched %d, pushed %d)", fetched["detail"], pushed["detail"])
	require.Empty(t, fetched, "the stream brings the new view: no panel is fetched")
	require.LessOrEqual(t, pushed["total"], 1, "the other panel gets its latest state once at most")
	require.Equal(t, totalHash, browsertest.Eval[string](p, `document.getElementById('panel-total').dataset.hash`), "and it is not redrawn")
	require.Equal(t, 1, streams, "one stream replaces the old one")
	require.Contains(t, browsertest.Eval[string](p, `location.search`), "sector=Utilities")
}
