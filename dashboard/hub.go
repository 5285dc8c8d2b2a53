package dashboard

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// hub fans panel updates out to event streams. Subscriptions are keyed by
// view (a panel and the values of the filters it depends on); each key with
// at least one subscriber has one topic, which computes the view once per
// refresh interval and pushes the result to every subscriber. A thousand
// viewers of one view cost one computation, not a thousand.
type hub struct {
	d      *Dashboard
	ctx    context.Context // cancelled by close
	cancel context.CancelFunc

	mu      sync.Mutex // guards topics, their subscribers and last events, and closed
	topics  map[string]*topic
	closed  bool
	streams sync.WaitGroup // open event streams
	running sync.WaitGroup // topic goroutines
	seq     atomic.Int64   // event IDs, increasing across topics

	capMu   sync.Mutex     // guards open and perUser
	total   int            // open streams
	perUser map[string]int // open streams by user (or address)
}

// admit counts a stream of user ("" for nobody known) against the caps;
// false when either is reached. release undoes it.
func (h *hub) admit(user string) bool {
	h.capMu.Lock()
	defer h.capMu.Unlock()
	if h.total >= h.d.opts.MaxStreams || (user != "" && h.perUser[user] >= h.d.opts.MaxStreamsPerUser) {
		return false
	}
	h.total++
	if user != "" {
		h.perUser[user]++
	}
	return true
}

func (h *hub) release(user string) {
	h.capMu.Lock()
	defer h.capMu.Unlock()
	h.total--
	if user == "" {
		return
	}
	if h.perUser[user]--; h.perUser[user] <= 0 {
		delete(h.perUser, user)
	}
}

// streamUser is who a stream counts against: the user's ID; "" for a
// request without one (many anonymous viewers may share one address behind
// a NAT, so only MaxStreams and RateLimit bound them).
func (d *Dashboard) streamUser(r *http.Request) string {
	if d.opts.Users != nil {
		if id, ok := d.opts.Users.UserID(r); ok {
			return id
		}
	}
	return ""
}

type topic struct {
	key   string
	panel *panel
	view  viewOfPanel
	subs  map[*client]struct{}
	last  *event
	done  chan struct{} // closed when the last subscriber leaves
}

// event is one update, encoded once as an SSE frame for every subscriber.
type event struct {
	id    int64
	hash  string
	frame []byte
}

// client is one event stream. Its buffer is bounded: a viewer that falls
// that far behind is dropped (its browser reconnects and resumes), so it
// never holds up the others.
type client struct {
	ch   chan *event
	gone chan struct{}
	once sync.Once
}

func (c *client) drop() bool {
	dropped := false
	c.once.Do(func() { close(c.gone); dropped = true })
	return dropped
}

func newHub(d *Dashboard) *hub {
	ctx, cancel := context.WithCancel(context.Background())
	return &hub{d: d, ctx: ctx, cancel: cancel, topics: make(map[string]*topic), perUser: make(map[string]int)}
}

// open registers a stream; false once the hub is closed.
func (h *hub) open() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.streams.Add(1)
	return true
}

// subscribe adds c to the view's topic, starting the topic if it is new,
// and sends c the topic's latest event when it is newer than last.
func (h *hub) subscribe(c *client, p *panel, pv viewOfPanel, last int64) string {
	key := p.ID + "?" + pv.query
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[key]
	if t == nil {
		t = &topic{key: key, panel: p, view: pv, subs: make(map[*client]struct{}), done: make(chan struct{})}
		h.topics[key] = t
		h.running.Go(func() { h.run(t) })
	}
	t.subs[c] = struct{}{}
	if t.last != nil && t.last.id > last {
		h.send(c, t.last)
	}
	return key
}

// unsubscribe removes c from the topics; a topic left without subscribers
// stops.
func (h *hub) unsubscribe(c *client, keys []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, key := range keys {
		t := h.topics[key]
		if t == nil {
			continue
		}
		delete(t.subs, c)
		if len(t.subs) == 0 {
			delete(h.topics, key)
			close(t.done)
		}
	}
}

// send queues ev for c without blocking; a full buffer drops c. Callers
// hold h.mu.
func (h *hub) send(c *client, ev *event) {
	select {
	case c.ch <- ev:
	default:
		if c.drop() {
			h.d.m.dropped.Inc()
		}
	}
}

// run computes the topic's view now, then at the start of every refresh
// interval, until the topic stops or the hub closes.
func (h *hub) run(t *topic) {
	refresh := t.panel.Refresh
	timer := time.NewTimer(0)
	defer timer.Stop()
	var lastHash string
	for {
		select {
		case <-timer.C:
		case <-t.done:
			return
		case <-h.ctx.Done():
			return
		}
		if ev := h.compute(t, lastHash); ev != nil {
			lastHash = ev.hash
			h.broadcast(t, ev)
		}
		now := time.Now()
		next := time.Unix(0, (now.UnixNano()/int64(refresh)+1)*int64(refresh))
		timer.Reset(next.Sub(now))
	}
}

// compute renders the topic's view for the current interval (through the
// cache, so the page and other replicas share it) and encodes it as an
// event; nil when nothing changed since lastHash.
func (h *hub) compute(t *topic, lastHash string) *event {
	res, err := h.d.render(h.ctx, t.panel, t.view)
	if err != nil {
		if h.ctx.Err() != nil {
			return nil
		}
		res = errorResult(t.panel.ID)
	}
	if res.Hash == lastHash {
		return nil
	}
	id := h.seq.Add(1)
	var b bytes.Buffer
	b.Grow(len(res.Update) + 40)
	b.WriteString("id: ")
	b.WriteString(strconv.FormatInt(id, 10))
	b.WriteString("\nevent: update\ndata: ")
	b.Write(res.Update) // JSON from encoding/json holds no raw newline
	b.WriteString("\n\n")
	return &event{id: id, hash: res.Hash, frame: b.Bytes()}
}

func (h *hub) broadcast(t *topic, ev *event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t.last = ev
	for c := range t.subs {
		h.send(c, ev)
	}
	h.d.m.pushes.Add(float64(len(t.subs)))
}

// close ends every stream and topic and waits for them until ctx ends.
func (h *hub) close(ctx context.Context) error {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.cancel()
	done := make(chan struct{})
	go func() {
		h.streams.Wait()
		h.running.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// serveEvents is GET /events: a Server-Sent Events stream of updates for
// every panel the user may see, in the view the query names.
func (d *Dashboard) serveEvents(w http.ResponseWriter, r *http.Request) {
	v, ok := d.viewOf(w, r)
	if !ok {
		return
	}
	expired, stop, ok := d.sessionEnd(w, r)
	if !ok {
		return
	}
	defer stop()
	h := d.hub
	if !h.open() {
		d.fail(w, r, http.StatusServiceUnavailable, "The dashboard is shutting down. Try again in a moment.")
		return
	}
	defer h.streams.Done()
	user := d.streamUser(r)
	if !h.admit(user) {
		w.Header().Set("Retry-After", "10")
		d.fail(w, r, http.StatusServiceUnavailable, "Too many live views are open. Close a tab, or try again in a moment.")
		return
	}
	defer h.release(user)

	last := lastEventID(r)
	c := &client{ch: make(chan *event, d.opts.ClientBuffer), gone: make(chan struct{})}
	var keys []string
	for _, p := range d.panels {
		if d.allowed(r, p.Permission) {
			keys = append(keys, h.subscribe(c, p, v.of(p), last))
		}
	}
	defer h.unsubscribe(c, keys)
	d.m.subscribers.Inc()
	defer d.m.subscribers.Dec()

	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // no proxy buffering
	w.WriteHeader(http.StatusOK)
	write := d.frameWriter(w, c)
	if write([]byte("retry: 2000\n\n")) {
		d.pump(r, c, write, expired)
	}
}

// sessionEnd is when the request's stream must end: a stream lives no
// longer than the session it was opened in. It ends at the session's
// expiry (the channel), and at the first heartbeat after a revocation (see
// pump). ok is false, the request answered with 401, when the session is
// already over; stop releases the timer.
func (d *Dashboard) sessionEnd(w http.ResponseWriter, r *http.Request) (expired <-chan time.Time, stop func(), ok bool) {
	stop = func() {}
	if d.opts.Sessions == nil {
		return nil, stop, true
	}
	end, ok := d.opts.Sessions.CheckSession(r.Context(), r)
	if !ok {
		d.fail(w, r, http.StatusUnauthorized, "Your session has ended.")
		return nil, stop, false
	}
	if end.IsZero() {
		return nil, stop, true
	}
	t := time.NewTimer(time.Until(end))
	return t.C, func() { t.Stop() }, true
}

// frameWriter returns a function that writes one SSE frame and flushes it,
// reporting whether the stream is still good.
func (d *Dashboard) frameWriter(w http.ResponseWriter, c *client) func([]byte) bool {
	rc := http.NewResponseController(w)
	return func(b []byte) bool {
		// Each write has its own deadline: the server's WriteTimeout must
		// not cut a healthy stream, and a stalled viewer must not hold a
		// goroutine forever.
		if err := rc.SetWriteDeadline(time.Now().Add(d.opts.WriteTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return false
		}
		_, err := w.Write(b)
		if err == nil {
			err = rc.Flush()
		}
		if errors.Is(err, os.ErrDeadlineExceeded) && c.drop() {
			// A viewer too slow to take a write is dropped too, and
			// counted once, whether its buffer filled first or not.
			d.m.dropped.Inc()
		}
		return err == nil
	}
}

// pump writes c's events and heartbeats until the stream ends: the viewer
// leaves or falls behind, the session ends or is revoked, or the dashboard
// closes.
func (d *Dashboard) pump(r *http.Request, c *client, write func([]byte) bool, expired <-chan time.Time) {
	beat := time.NewTicker(d.opts.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case ev := <-c.ch:
			if !write(ev.frame) {
				return
			}
		case <-beat.C:
			if s := d.opts.Sessions; s != nil {
				if _, ok := s.CheckSession(r.Context(), r); !ok {
					write(sessionEnded)
					return
				}
			}
			if !write([]byte(": ping\n\n")) {
				return
			}
		case <-expired:
			write(sessionEnded)
			return
		case <-c.gone:
			return // fell behind: the browser reconnects
		case <-r.Context().Done():
			return
		case <-d.hub.ctx.Done():
			return
		}
	}
}

// sessionEnded is the event that tells the page its session is over: the
// runtime then reloads, and the host's middleware sends it to sign in.
var sessionEnded = []byte("event: session\ndata: {\"state\":\"ended\"}\n\n")

// lastEventID is the Last-Event-ID a reconnecting browser sends, or the _last
// parameter the page's first connection carries; 0 when neither is valid.
func lastEventID(r *http.Request) int64 {
	s := r.Header.Get("Last-Event-ID")
	if s == "" {
		s = r.URL.Query().Get("_last")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
