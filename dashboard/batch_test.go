package dashboard_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// slowFlusher is a stream's connection that takes a while to write: it
// counts the flushes and the update frames written.
type slowFlusher struct {
	header  http.Header
	delay   time.Duration
	body    bytes.Buffer
	flushes int
}

func (w *slowFlusher) Header() http.Header { return w.header }
func (w *slowFlusher) WriteHeader(int)     {}
func (w *slowFlusher) Write(b []byte) (int, error) {
	time.Sleep(w.delay)
	return w.body.Write(b)
}
func (w *slowFlusher) Flush() { w.flushes++ }

// TestStreamFlushesQueuedUpdatesTogether: the panels of a page update at
// the same instant; a stream that finds several updates waiting writes them
// all and flushes once (one write to the connection, not one per panel),
// each frame still with its own id line.
func TestStreamFlushesQueuedUpdatesTogether(t *testing.T) {
	const refresh = 150 * time.Millisecond
	var panels []dashboard.Panel
	for _, id := range []string{"a", "b", "c", "d"} {
		panels = append(panels, dashboard.Panel{ID: id, Title: id, Refresh: refresh, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			return components.MetricCard{Title: id, Value: float64(time.Now().UnixNano() / int64(refresh) % 1000)}, nil
		}})
	}
	d, err := dashboard.New("t", dashboard.Options{Assets: fakeECharts, Heartbeat: time.Hour, Rows: []dashboard.Row{{Panels: panels}}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	ctx, cancel := context.WithTimeout(context.Background(), 6*refresh)
	defer cancel()
	w := &slowFlusher{header: http.Header{}, delay: 20 * time.Millisecond}
	d.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/events", nil).WithContext(ctx))

	frames := bytes.Count(w.body.Bytes(), []byte("event: update\n"))
	ids := bytes.Count(w.body.Bytes(), []byte("\nid: "))
	t.Logf("%d update frames in %d flushes", frames, w.flushes-1)
	require.GreaterOrEqual(t, frames, 12, "four panels, first paint and a few intervals")
	require.Equal(t, frames, ids, "every update has its id line")
	require.Less(t, w.flushes-1, frames*3/4, "updates that wait together are flushed together (the first flush is the retry line)")
}
