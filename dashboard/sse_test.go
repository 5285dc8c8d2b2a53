package dashboard_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/internal/promutil"
)

// epochCounter counts a data function's calls per refresh interval.
type epochCounter struct {
	refresh time.Duration
	mu      sync.Mutex
	calls   map[int64]int
	params  []dashboard.Params
}

func newEpochCounter(refresh time.Duration) *epochCounter {
	return &epochCounter{refresh: refresh, calls: make(map[int64]int)}
}

func (e *epochCounter) data(ctx context.Context, p dashboard.Params) (components.Component, error) {
	epoch := time.Now().UnixNano() / int64(e.refresh)
	e.mu.Lock()
	e.calls[epoch]++
	e.params = append(e.params, p)
	n := e.calls[epoch]
	e.mu.Unlock()
	return components.MetricCard{Title: "epoch", Value: float64(epoch % 1000), Subtitle: fmt.Sprint(n)}, nil
}

func (e *epochCounter) snapshot() map[int64]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[int64]int, len(e.calls))
	for k, v := range e.calls {
		out[k] = v
	}
	return out
}

// stream is an SSE client that records the updates it reads.
type stream struct {
	updates chan map[string]any
	resp    *http.Response
}

func openStream(t testing.TB, client *http.Client, url string, header http.Header) *stream {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	s := &stream{updates: make(chan map[string]any, 64), resp: resp}
	go func() {
		defer close(s.updates)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 8<<20)
		for sc.Scan() {
			line := sc.Text()
			if data, ok := strings.CutPrefix(line, "data: "); ok {
				var u map[string]any
				if json.Unmarshal([]byte(data), &u) == nil {
					select {
					case s.updates <- u:
					default: // the test reads only what it needs
					}
				}
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return s
}

func (s *stream) next(t testing.TB, within time.Duration) map[string]any {
	t.Helper()
	select {
	case u, ok := <-s.updates:
		require.True(t, ok, "the stream ended")
		return u
	case <-time.After(within):
		t.Fatalf("no update within %v", within)
		return nil
	}
}

func serve(t testing.TB, d *dashboard.Dashboard) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(d)
	// Close the dashboard first: it ends the streams the server would
	// otherwise wait for.
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})
	return srv
}

// TestThousandViewersOneComputation: 1,000 event streams on one view cost
// exactly one computation per refresh interval.
func TestThousandViewersOneComputation(t *testing.T) {
	const refresh = 250 * time.Millisecond
	counter := newEpochCounter(refresh)
	d, err := dashboard.New("t", dashboard.Options{Assets: fakeECharts, Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "shared", Title: "Shared", Refresh: refresh, Data: counter.data},
	}}}})
	require.NoError(t, err)
	srv := serve(t, d)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: 1000}}
	t.Cleanup(client.CloseIdleConnections)

	const viewers = 1000
	streams := make([]*stream, viewers)
	var wg sync.WaitGroup
	for i := range viewers {
		wg.Go(func() { streams[i] = openStream(t, client, srv.URL+"/events", nil) })
	}
	wg.Wait()
	// Every viewer receives the updates of the next two intervals.
	for range 2 {
		for _, s := range streams {
			s.next(t, 5*time.Second)
		}
	}
	calls := counter.snapshot()
	require.GreaterOrEqual(t, len(calls), 2)
	for epoch, n := range calls {
		require.Equal(t, 1, n, "interval %d was computed %d times for %d viewers", epoch, n, viewers)
	}
}

// TestStalledViewerDoesNotDelayOthers: a viewer that stops reading is dropped
// when its buffer fills; the others get every interval's update on time.
func TestStalledViewerDoesNotDelayOthers(t *testing.T) {
	const refresh = 100 * time.Millisecond
	big := strings.Repeat("x", 256<<10) // fills socket buffers fast
	var n atomic.Int64
	reg := prometheus.NewRegistry()
	d, err := dashboard.New("t", dashboard.Options{
		// A write timeout far above the test's bound: if the stalled
		// viewer held up the others, an update would wait for it.
		Assets: fakeECharts, ClientBuffer: 2, WriteTimeout: 30 * time.Second, Registerer: reg,
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{{ID: "big", Title: "Big", Refresh: refresh,
			Data: func(context.Context, dashboard.Params) (components.Component, error) {
				return components.MetricCard{Title: fmt.Sprint(n.Add(1)), Subtitle: big}, nil
			}}}}},
	})
	require.NoError(t, err)
	srv := serve(t, d)

	// The stalled viewer: a raw connection that sends its request and
	// never reads.
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = io.WriteString(conn, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)

	healthy := openStream(t, srv.Client(), srv.URL+"/events", nil)
	start := time.Now()
	seen := map[string]bool{}
	for len(seen) < 15 {
		u := healthy.next(t, 2*time.Second)
		seen[u["hash"].(string)] = true
	}
	// 15 distinct intervals at 100 ms: about 1.5 s on a quiet machine,
	// 11.5 s seen under a CI load of 20; one update held up by the stalled
	// viewer would take the 30 s write timeout.
	require.Less(t, time.Since(start), 25*time.Second)
	require.Eventually(t, func() bool { return gauge(t, reg, "dashkit_sse_dropped_clients_total") >= 1 }, 5*time.Second, 20*time.Millisecond,
		"the stalled viewer is dropped")
}

// gauge reads a metric's value from reg.
func gauge(t testing.TB, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	n, err := promutil.Sum(reg, name)
	require.NoError(t, err)
	return n
}

// TestFailingPanelOverEvents: a failing panel streams its error state, the
// healthy one its content.
func TestFailingPanelOverEvents(t *testing.T) {
	d, err := dashboard.New("t", dashboard.Options{Assets: fakeECharts, Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "ok", Title: "OK", Refresh: time.Second, Data: card("fine", 1)},
		{ID: "bad", Title: "Bad", Refresh: time.Second, Data: func(context.Context, dashboard.Params) (components.Component, error) {
			return nil, fmt.Errorf("database is down")
		}},
	}}}})
	require.NoError(t, err)
	srv := serve(t, d)
	s := openStream(t, srv.Client(), srv.URL+"/events", nil)
	got := map[string]map[string]any{}
	for len(got) < 2 {
		u := s.next(t, 5*time.Second)
		got[u["panel"].(string)] = u
	}
	require.Equal(t, "html", got["ok"]["kind"])
	require.Equal(t, "error", got["bad"]["kind"])
	require.NotContains(t, got["bad"]["message"], "database", "the cause stays in the log")
}

func filterDashboard(t *testing.T, sectorData, pageData dashboard.DataFunc) *dashboard.Dashboard {
	t.Helper()
	d, err := dashboard.New("t", dashboard.Options{
		Assets: fakeECharts,
		Filters: []dashboard.Filter{
			{Name: "sector", Label: "Sector", Options: []components.Option{{Value: "all"}, {Value: "energy"}, {Value: "tech"}}},
			{Name: "tags", Options: []components.Option{{Value: "a"}, {Value: "b"}, {Value: "c"}}, Multiple: true},
			{Name: "period", DateRange: true, Min: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Max: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
		},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "by-sector", Title: "By sector", Refresh: 250 * time.Millisecond, Filters: []string{"sector", "tags", "period"}, Data: sectorData},
			{ID: "global", Title: "Global", Refresh: 250 * time.Millisecond, Data: pageData},
		}}},
	})
	require.NoError(t, err)
	return d
}

func TestUnknownFilterValuesAre400AndNeverReachData(t *testing.T) {
	var calls atomic.Int64
	data := func(_ context.Context, p dashboard.Params) (components.Component, error) {
		calls.Add(1)
		return components.MetricCard{Title: p.Value("sector")}, nil
	}
	d := filterDashboard(t, data, data)
	srv := serve(t, d)
	for _, q := range []string{
		"sector=mining", "sector=energy&sector=tech", "tags=z", "nope=1", "period_from=2026-13-01",
		"period_from=2025-06-01", "period_from=2026-05-02&period_to=2026-05-01", "sector=%3Cscript%3E", "period=x",
	} {
		for _, path := range []string{"/", "/panels/by-sector", "/events", "/export/by-sector.csv"} {
			res, err := srv.Client().Get(srv.URL + path + "?" + q)
			require.NoError(t, err)
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			require.Equal(t, http.StatusBadRequest, res.StatusCode, "%s?%s: %s", path, q, body)
			require.NotContains(t, string(body), "<script>")
		}
	}
	require.Zero(t, calls.Load(), "no data function saw a bad value")

	res, err := srv.Client().Get(srv.URL + "/panels/by-sector?sector=energy&tags=c&tags=a&period_from=2026-03-01")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
}

func TestPanelsSeeOnlyTheirValidatedFilters(t *testing.T) {
	var mu sync.Mutex
	var seen []dashboard.Params
	data := func(_ context.Context, p dashboard.Params) (components.Component, error) {
		mu.Lock()
		seen = append(seen, p)
		mu.Unlock()
		return components.MetricCard{Title: "x"}, nil
	}
	d := filterDashboard(t, data, card("global", 1))
	srv := serve(t, d)
	res, err := srv.Client().Get(srv.URL + "/panels/by-sector?sector=tech&tags=c&tags=a&period_from=2026-03-01&period_to=2026-03-31")
	require.NoError(t, err)
	res.Body.Close()
	require.Len(t, seen, 1)
	p := seen[0]
	require.Equal(t, "tech", p.Value("sector"))
	require.Equal(t, []string{"a", "c"}, p.Values("tags"), "in option order")
	from, to := p.Range("period")
	require.Equal(t, "2026-03-01", from.Format("2006-01-02"))
	require.Equal(t, "2026-03-31", to.Format("2006-01-02"))

	// Defaults: the first option of a single dropdown, none of a multiple.
	seen = nil
	res, err = srv.Client().Get(srv.URL + "/panels/by-sector")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, "all", seen[0].Value("sector"))
	require.Empty(t, seen[0].Values("tags"))
}

// TestOnlyDependentPanelsRecompute: viewers in two views of a filter share
// the computation of the panel that ignores it; the panel that depends on it
// is computed once per view.
func TestOnlyDependentPanelsRecompute(t *testing.T) {
	sector := newEpochCounter(250 * time.Millisecond)
	global := newEpochCounter(250 * time.Millisecond)
	d := filterDashboard(t, sector.data, global.data)
	srv := serve(t, d)
	a := openStream(t, srv.Client(), srv.URL+"/events?sector=energy", nil)
	b := openStream(t, srv.Client(), srv.URL+"/events?sector=tech", nil)
	for _, s := range []*stream{a, b} {
		got := map[string]bool{}
		for len(got) < 2 {
			got[s.next(t, 5*time.Second)["panel"].(string)] = true
		}
	}
	time.Sleep(600 * time.Millisecond) // a few more intervals
	for epoch, n := range global.snapshot() {
		require.Equal(t, 1, n, "the global panel is shared by both views (interval %d)", epoch)
	}
	for epoch, n := range sector.snapshot() {
		require.LessOrEqual(t, n, 2, "the sector panel is computed once per view (interval %d)", epoch)
	}
}

func TestLastEventIDResumes(t *testing.T) {
	d, err := dashboard.New("t", dashboard.Options{Assets: fakeECharts, Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "p", Title: "P", Refresh: time.Hour, Data: card("x", 1)},
	}}}})
	require.NoError(t, err)
	srv := serve(t, d)
	first := openStream(t, srv.Client(), srv.URL+"/events", nil)
	u := first.next(t, 5*time.Second)
	require.Equal(t, "p", u["panel"])

	// A viewer that has seen everything gets nothing until the next change;
	// one that has seen nothing gets the latest state at once.
	resumed := openStream(t, srv.Client(), srv.URL+"/events", http.Header{"Last-Event-ID": {"999999"}})
	select {
	case u := <-resumed.updates:
		t.Fatalf("got %v after resuming from the latest event", u)
	case <-time.After(300 * time.Millisecond):
	}
	fresh := openStream(t, srv.Client(), srv.URL+"/events", http.Header{"Last-Event-ID": {"0"}})
	require.Equal(t, "p", fresh.next(t, 5*time.Second)["panel"])
}

// TestCloseEndsStreams: Close ends every stream promptly, so a host's
// graceful shutdown completes, and leaves no goroutine behind (TestMain).
func TestCloseEndsStreams(t *testing.T) {
	d, err := dashboard.New("t", dashboard.Options{Assets: fakeECharts, Rows: []dashboard.Row{{Panels: []dashboard.Panel{
		{ID: "p", Title: "P", Refresh: time.Second, Data: card("x", 1)},
	}}}})
	require.NoError(t, err)
	srv := httptest.NewServer(d)
	defer srv.Close()
	var streams []*stream
	for range 10 {
		streams = append(streams, openStream(t, srv.Client(), srv.URL+"/events", nil))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, d.Close(ctx))
	for _, s := range streams {
		for range s.updates { // drains until the server ends the stream
		}
	}
	res, err := srv.Client().Get(srv.URL + "/events")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
}
