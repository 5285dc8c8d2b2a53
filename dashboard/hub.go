package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// hub fans panel updates out to event streams. Subscriptions are keyed by
// view (a panel and the values of the filters it depends on); each key with
// at least one subscriber has one topic, which computes the view once per
// refresh interval and pushes the result to every subscriber. A thousand
// viewers of one view cost one computation, not a thousand.
//
// With a [Broker], the replica that computed a view publishes its update
// on the view's channel, and every replica with viewers of the view
// forwards it: each topic subscribes to its channel while it runs. An
// update is known by its view and its interval (epoch) wherever it was
// computed, so it is delivered once however it arrives — computed here,
// read from the shared cache, or forwarded.
type hub struct {
	d      *Dashboard
	ctx    context.Context // cancelled by close
	cancel context.CancelFunc

	mu      sync.Mutex // guards topics, their subscribers and history, and closed
	topics  map[string]*topic
	closed  bool
	streams sync.WaitGroup // open event streams
	running sync.WaitGroup // topic goroutines

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

// historySize is how many recent updates a topic keeps, so a viewer that
// reconnects (to this replica or another) gets the ones it missed.
const historySize = 8

type topic struct {
	key   string
	panel *panel
	view  viewOfPanel
	subs  map[*client]struct{}
	// history holds the latest updates, oldest first; from is the epoch
	// up to which the topic cannot tell what a viewer missed (the last
	// update dropped from history, or the interval before the first).
	history []*event
	from    int64
	done    chan struct{} // closed when the last subscriber leaves
}

// latest is the topic's newest update, or nil.
func (t *topic) latest() *event {
	if len(t.history) == 0 {
		return nil
	}
	return t.history[len(t.history)-1]
}

// event is one update of one view, encoded once as an SSE frame (without
// its id line, which is the stream's: see streamID) for every subscriber.
type event struct {
	topic *topic
	epoch int64
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
	// topics are the stream's views, in the page's panel order; pos[i] is
	// the epoch of the last update of topics[i] the viewer has. Only the
	// stream's own goroutine touches pos after subscribing.
	topics []*topic
	pos    []int64
	id     []byte // the id line, rebuilt for every frame
}

func (c *client) drop() bool {
	dropped := false
	c.once.Do(func() { close(c.gone); dropped = true })
	return dropped
}

// accept records ev as delivered and returns the stream's id line for it;
// ok is false for an update the viewer already has (delivered twice, or
// older than what it has).
func (c *client) accept(ev *event) (id []byte, ok bool) {
	i := slices.Index(c.topics, ev.topic)
	if i < 0 || ev.epoch <= c.pos[i] {
		return nil, false
	}
	c.pos[i] = ev.epoch
	c.id = append(c.id[:0], "id: "...)
	c.id = appendStreamID(c.id, c.pos)
	c.id = append(c.id, '\n')
	return c.id, true
}

// A stream's event ID is its position: the epoch of the last update of
// each of its views, in decimal, joined by '.', in the page's panel order
// (0 for a view with no update yet). It depends on nothing but the
// updates, so every replica gives the same update the same ID, and a
// browser that reconnects (Last-Event-ID) to any replica gets exactly the
// updates it missed; see [Dashboard] on running several replicas.
func appendStreamID(b []byte, pos []int64) []byte {
	for i, e := range pos {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendInt(b, e, 10)
	}
	return b
}

// parseStreamID reads a position for n views; a malformed one, or one of
// another length (the page's panels changed), is all zeros: the viewer
// gets the current state.
func parseStreamID(s string, n int) []int64 {
	pos := make([]int64, n)
	parts := strings.Split(s, ".")
	if len(parts) != n {
		return pos
	}
	for i, p := range parts {
		e, err := strconv.ParseInt(p, 10, 64)
		if err != nil || e < 0 {
			return make([]int64, n)
		}
		pos[i] = e
	}
	return pos
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

// topicKey names a view's topic, and its channel on a Broker.
func topicKey(p *panel, pv viewOfPanel) string { return p.ID + "?" + pv.query }

// subscribe adds c to the view's topic, starting the topic if it is new,
// and sends c what it missed after pos: the topic's updates since then
// when its history reaches back that far, else the latest (the current
// state).
func (h *hub) subscribe(c *client, p *panel, pv viewOfPanel, pos int64) *topic {
	key := topicKey(p, pv)
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[key]
	if t == nil {
		t = &topic{key: key, panel: p, view: pv, subs: make(map[*client]struct{}), done: make(chan struct{})}
		h.topics[key] = t
		h.running.Go(func() { h.run(t) })
	}
	t.subs[c] = struct{}{}
	if pos >= t.from {
		for _, ev := range t.history {
			if ev.epoch > pos {
				h.send(c, ev)
			}
		}
	} else if ev := t.latest(); ev != nil {
		h.send(c, ev)
	}
	return t
}

// unsubscribe removes c from the topics; a topic left without subscribers
// stops.
func (h *hub) unsubscribe(c *client, topics []*topic) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range topics {
		delete(t.subs, c)
		if len(t.subs) == 0 && h.topics[t.key] == t {
			delete(h.topics, t.key)
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
// interval, until the topic stops or the hub closes. With a Broker it
// listens on the view's channel meanwhile, for updates other replicas
// computed.
func (h *hub) run(t *topic) {
	if b := h.d.opts.Broker; b != nil {
		unsubscribe, err := b.Subscribe(h.d.channel(t.key), func(msg []byte) { h.forward(t, msg) })
		if err != nil {
			h.d.log.Warn("dashboard: broker subscribe failed; this replica computes the view itself", "view", t.key, "error", err)
		} else {
			defer unsubscribe()
		}
	}
	refresh := t.panel.Refresh
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
		case <-t.done:
			return
		case <-h.ctx.Done():
			return
		}
		if ev := h.compute(t); ev != nil {
			h.offer(t, ev)
		}
		now := time.Now()
		next := time.Unix(0, (now.UnixNano()/int64(refresh)+1)*int64(refresh))
		timer.Reset(next.Sub(now))
	}
}

// compute renders the topic's view for the current interval (through the
// cache, so the page and other replicas share it) and encodes it as an
// event; nil when it has already been delivered.
func (h *hub) compute(t *topic) *event {
	epoch := t.panel.epoch(time.Now())
	h.mu.Lock()
	if l := t.latest(); l != nil && l.epoch >= epoch {
		h.mu.Unlock()
		return nil // forwarded from the replica that computed it
	}
	h.mu.Unlock()
	res, err := h.d.renderAt(h.ctx, t.panel, t.view, epoch)
	if err != nil {
		if h.ctx.Err() != nil {
			return nil
		}
		res = errorResult(t.panel.ID)
	}
	return newEvent(t, epoch, res.Hash, res.Update)
}

// newEvent encodes an update as an SSE frame (appendEvent): an update
// computed here is compact JSON, but one forwarded from a Broker may hold
// line ends, which must not cut the frame.
func newEvent(t *topic, epoch int64, hash string, update []byte) *event {
	frame := mustEvent(make([]byte, 0, len(update)+24), "update", update)
	return &event{topic: t, epoch: epoch, hash: hash, frame: frame}
}

// offer delivers ev to the topic's subscribers unless the topic has it or
// a later update already, or ev changes nothing.
func (h *hub) offer(t *topic, ev *event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	last := t.latest()
	if last != nil && (ev.epoch <= last.epoch || ev.hash == last.hash) {
		return
	}
	if last == nil {
		t.from = ev.epoch - 1
	}
	if len(t.history) == historySize {
		t.from = t.history[0].epoch
		t.history = slices.Delete(t.history, 0, 1)
	}
	t.history = append(t.history, ev)
	for c := range t.subs {
		h.send(c, ev)
	}
	h.d.m.pushes.Add(float64(len(t.subs)))
}

// message is an update on a Broker's channel.
type message struct {
	Epoch  int64           `json:"e"`
	Hash   string          `json:"h"`
	Update json.RawMessage `json:"u"`
}

// publish sends the update this replica computed for a view to the other
// replicas' viewers of it. A failure (Redis down) is logged and costs
// nothing else: each replica then computes for its own viewers.
func (d *Dashboard) publish(ctx context.Context, p *panel, pv viewOfPanel, epoch int64, res PanelResult) {
	b := d.opts.Broker
	if b == nil {
		return
	}
	msg, err := json.Marshal(message{Epoch: epoch, Hash: res.Hash, Update: res.Update})
	if err == nil {
		err = b.Publish(context.WithoutCancel(ctx), d.channel(topicKey(p, pv)), msg)
	}
	if err != nil {
		d.m.publishErrors.Inc()
		d.log.LogAttrs(ctx, slog.LevelDebug, "dashboard: publish failed", slog.String("panel", p.ID), slog.Any("error", err))
	}
}

// forward delivers an update another replica published for t's view.
func (h *hub) forward(t *topic, msg []byte) {
	var m message
	if err := json.Unmarshal(msg, &m); err != nil || !json.Valid(m.Update) {
		h.d.log.Warn("dashboard: broker message dropped", "view", t.key, "error", err)
		return
	}
	h.d.m.forwarded.Inc()
	h.offer(t, newEvent(t, m.Epoch, m.Hash, m.Update))
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

	visible := d.visible(r)
	c := &client{ch: make(chan *event, d.opts.ClientBuffer), gone: make(chan struct{}), topics: make([]*topic, len(visible))}
	c.pos = parseStreamID(lastEventID(r), len(visible))
	for i, p := range visible {
		c.topics[i] = h.subscribe(c, p, v.of(p), c.pos[i])
	}
	defer h.unsubscribe(c, c.topics)
	d.m.subscribers.Inc()
	defer d.m.subscribers.Dec()

	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no") // no proxy buffering
	w.WriteHeader(http.StatusOK)
	sw := newStreamWriter(d, c, w)
	defer sw.release()
	if sw.frame([]byte("retry: 2000\n\n")) {
		d.pump(r, c, sw, expired)
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

// streamWriter writes SSE frames to one stream and flushes them,
// reporting whether the stream is still good.
type streamWriter struct {
	d  *Dashboard
	c  *client
	w  http.ResponseWriter
	rc *http.ResponseController
	// release stops moving the deadline when the dashboard closes; call
	// it before the handler returns.
	release func()
}

// closeGrace is how long a stream's last write may take once the
// dashboard closes: time enough for a viewer that reads to get the end of
// its stream, not for one that stopped reading to hold Close.
const closeGrace = 100 * time.Millisecond

// newStreamWriter writes to w for c. When the dashboard closes, the
// stream's write deadline moves to within closeGrace, so a write blocked
// on a viewer that stopped reading fails then instead of at WriteTimeout,
// and Close is not held by it.
func newStreamWriter(d *Dashboard, c *client, w http.ResponseWriter) *streamWriter {
	s := &streamWriter{d: d, c: c, w: w, rc: http.NewResponseController(w)}
	var mu sync.Mutex
	released := false
	stop := context.AfterFunc(d.hub.ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if !released { // never after the handler: the connection may serve another request
			_ = s.rc.SetWriteDeadline(time.Now().Add(s.grace()))
		}
	})
	s.release = func() {
		stop()
		mu.Lock()
		released = true
		mu.Unlock()
	}
	return s
}

func (s *streamWriter) grace() time.Duration { return min(closeGrace, s.d.opts.WriteTimeout) }

// frame writes one frame (its parts in order) and flushes it.
func (s *streamWriter) frame(parts ...[]byte) bool {
	if !s.begin() {
		return false
	}
	return s.put(parts...) && s.flush()
}

// events writes ev and the updates queued behind it when it was taken (the
// panels of a page that update at one interval's start arrive together),
// each with its id line, and flushes them once: one write to the
// connection for the lot instead of one for each.
func (s *streamWriter) events(ev *event) bool {
	if !s.begin() {
		return false
	}
	for more := len(s.c.ch); ; more-- {
		if id, ok := s.c.accept(ev); ok && !s.put(id, ev.frame) {
			return false
		}
		if more <= 0 {
			break
		}
		ev = <-s.c.ch // queued: only this stream's goroutine receives
	}
	return s.flush()
}

// begin sets the deadline of the writes up to the next flush. Each batch
// has its own: the server's WriteTimeout must not cut a healthy stream,
// and a stalled viewer must not hold a goroutine forever.
func (s *streamWriter) begin() bool {
	err := s.rc.SetWriteDeadline(time.Now().Add(s.d.opts.WriteTimeout))
	if err != nil && !errors.Is(err, http.ErrNotSupported) {
		return false
	}
	if s.d.hub.ctx.Err() != nil {
		// Closing, perhaps since just before the deadline above replaced
		// the grace: put the grace back, and write no more.
		_ = s.rc.SetWriteDeadline(time.Now().Add(s.grace()))
		return false
	}
	return true
}

func (s *streamWriter) put(parts ...[]byte) bool {
	for _, b := range parts {
		if _, err := s.w.Write(b); err != nil {
			return s.failed(err)
		}
	}
	return true
}

func (s *streamWriter) flush() bool {
	if err := s.rc.Flush(); err != nil {
		return s.failed(err)
	}
	return true
}

// failed ends the stream after a write error: a viewer too slow to take a
// write is dropped too, and counted once, whether its buffer filled first
// or not; one cut off by Close is not dropped.
func (s *streamWriter) failed(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) && s.d.hub.ctx.Err() == nil && s.c.drop() {
		s.d.m.dropped.Inc()
	}
	return false
}

// pump writes c's events and heartbeats until the stream ends: the viewer
// leaves or falls behind, the session ends or is revoked, or the dashboard
// closes.
func (d *Dashboard) pump(r *http.Request, c *client, sw *streamWriter, expired <-chan time.Time) {
	beat := time.NewTicker(d.opts.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case ev := <-c.ch:
			if !sw.events(ev) {
				return
			}
		case <-beat.C:
			if s := d.opts.Sessions; s != nil {
				if _, ok := s.CheckSession(r.Context(), r); !ok {
					sw.frame(sessionEnded)
					return
				}
			}
			if !sw.frame([]byte(": ping\n\n")) {
				return
			}
		case <-expired:
			sw.frame(sessionEnded)
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
var sessionEnded = mustEvent(nil, "session", []byte(`{"state":"ended"}`))

// lastEventID is the Last-Event-ID a reconnecting browser sends, or the _last
// parameter the page's first connection carries (see parseStreamID).
func lastEventID(r *http.Request) string {
	if s := r.Header.Get("Last-Event-ID"); s != "" {
		return s
	}
	return r.URL.Query().Get("_last")
}

// visible are the panels the request's user may see, in the page's order.
func (d *Dashboard) visible(r *http.Request) []*panel {
	var out []*panel
	for _, row := range d.rows {
		for _, p := range row {
			if d.allowed(r, p.Permission) {
				out = append(out, p)
			}
		}
	}
	return out
}

// channel is a view's channel on the Broker.
func (d *Dashboard) channel(key string) string { return d.opts.CacheNamespace + ":updates:" + key }
