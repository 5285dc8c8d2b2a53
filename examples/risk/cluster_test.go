package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// The deployment the README describes, for real: three replicas of this
// example as separate processes, one SECRET_KEY, CACHE_TYPE=redis on a
// private redis-server, behind HAProxy (round-robin, no stickiness). The
// test checks what "Running several replicas" promises:
//
//	(a) one computation of a view per interval across the replicas;
//	(b) a replica killed mid-stream: its viewers reconnect through HAProxy
//	    to another and get every later update exactly once;
//	(c) Redis killed: every viewer keeps getting updates; Redis back:
//	    one computation per interval again within two intervals;
//	(d) a token revoked through one replica is refused by the others.
func TestClusterBehindHAProxy(t *testing.T) {
	testenv.RedisURL(t) // an integration test: it runs where Redis does (it starts its own)
	haproxyBin := lookPath(t, "haproxy", "/usr/sbin/haproxy")
	redisBin := lookPath(t, "redis-server", "/usr/bin/redis-server")
	dir := t.TempDir()

	bin := filepath.Join(dir, "risk")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run(), "build the risk example")

	redisPort := freePort(t)
	rds := startProc(t, dir, "redis", redisBin, []string{"--port", redisPort, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir}, nil)
	waitRedis(t, redisPort)

	// One secret for the three replicas, made for this run: a secret
	// printed in the source is refused in production (and must not be
	// taught by a test).
	secret := rand.Text() + rand.Text()
	// Each replica's market is the example's own (seeded the same) and
	// ticks at the start of every refresh interval after its start: the
	// replicas start early in one interval, so their markets agree on
	// every later interval's day, whichever replica computes it.
	next := (time.Now().UnixNano()/int64(refresh) + 1) * int64(refresh)
	time.Sleep(time.Until(time.Unix(0, next).Add(100 * time.Millisecond)))
	var replicas []*replica
	for i := range 3 {
		port := freePort(t)
		env := []string{
			"ADDR=127.0.0.1:" + port, "SECRET_KEY=" + secret, "DASHKIT_ENV=development",
			"CACHE_TYPE=redis", "REDIS_URL=redis://127.0.0.1:" + redisPort + "/0",
			"HEARTBEAT_INTERVAL=2s", "HOME=" + dir, "XDG_CACHE_HOME=" + dir,
		}
		p := startProc(t, dir, fmt.Sprintf("replica%d", i+1), bin, []string{"-assets", "", "-instruments", "2000"}, env)
		replicas = append(replicas, &replica{name: fmt.Sprintf("r%d", i+1), base: "http://127.0.0.1:" + port, proc: p})
	}
	for _, r := range replicas {
		waitOK(t, r.base+"/readyz", 60*time.Second)
	}

	lbPort := freePort(t)
	cfg := haproxyConfig(lbPort, replicas)
	cfgPath := filepath.Join(dir, "haproxy.cfg")
	require.NoError(t, os.WriteFile(cfgPath, []byte(cfg), 0o600))
	startProc(t, dir, "haproxy", haproxyBin, []string{"-f", cfgPath, "-db"}, nil)
	lb := "http://127.0.0.1:" + lbPort
	waitOK(t, lb+"/healthz", 10*time.Second)

	// (d) a logout through one replica holds on the others.
	t.Run("revocation", func(t *testing.T) {
		c := login(t, replicas[0].base)
		for _, r := range replicas {
			require.Equal(t, http.StatusNoContent, status(t, c, r.base+"/session"), "the token works on %s", r.name)
		}
		// The browser drops the cookie on logout; one who kept a copy
		// replays it on the other replicas.
		kept := sessionCookie(t, c, replicas[0].base)
		res, err := c.PostForm(replicas[0].base+"/logout", nil)
		require.NoError(t, err)
		res.Body.Close()
		for _, r := range replicas[1:] {
			req, err := http.NewRequest(http.MethodGet, r.base+"/session", nil)
			require.NoError(t, err)
			req.AddCookie(kept)
			res, err := http.DefaultTransport.RoundTrip(req)
			require.NoError(t, err)
			res.Body.Close()
			require.NotEqual(t, http.StatusNoContent, res.StatusCode, "%s refuses a token revoked on %s", r.name, replicas[0].name)
		}
	})

	// Viewers through HAProxy, until every replica has two.
	viewerClient := login(t, lb)
	var viewers []*viewer
	per := map[string]int{}
	for len(viewers) < 15 && (per["r1"] < 2 || per["r2"] < 2 || per["r3"] < 2) {
		v := watch(t, viewerClient, lb)
		viewers = append(viewers, v)
		per[v.replica()]++
	}
	require.True(t, per["r1"] >= 2 && per["r2"] >= 2 && per["r3"] >= 2, "HAProxy spreads viewers over the replicas: %v", per)

	// (a) one computation per interval across the replicas.
	t.Run("compute once", func(t *testing.T) {
		time.Sleep(31 * time.Second)
		total := 0.0
		for _, r := range replicas {
			total += computeCount(t, r.base)
		}
		t.Logf("var computed %v times in 31 s across 3 replicas", total)
		require.LessOrEqual(t, total, 8.0, "7 intervals of 5 s plus the first paint, between all replicas")
		// Every viewer, whichever replica serves it, gets every update
		// of every interval once: the timeline, which shows the newest
		// day, changes at every interval, so it has one update for each;
		// a card may show the same figures two intervals running, and
		// then the dashboard sends nothing, on every replica alike.
		from, to := int64(0), int64(math.MaxInt64)
		for _, v := range viewers {
			es := v.epochs("timeline")
			require.NotEmpty(t, es, "viewer on %s", v.replica())
			from, to = max(from, es[0]), min(to, es[len(es)-1])
		}
		require.GreaterOrEqual(t, to-from, int64(5), "six intervals seen by every viewer")
		want := viewers[0].updatesIn(from, to)
		for _, v := range viewers {
			es := v.epochs("timeline")
			var in []int64
			for _, e := range es {
				if e >= from && e <= to {
					in = append(in, e)
				}
			}
			for i := range in {
				require.Equal(t, from+int64(i), in[i], "viewer on %s: the timeline's update of every interval, once and in order: %v", v.replica(), es)
			}
			require.Len(t, in, int(to-from+1), "viewer on %s: %v", v.replica(), es)
			require.Equal(t, want, v.updatesIn(from, to), "viewer on %s got what the viewer on %s got, of every panel", v.replica(), viewers[0].replica())
			require.Zero(t, v.duplicates(), "no update twice")
		}
	})

	// (b) a replica killed mid-stream.
	t.Run("replica killed", func(t *testing.T) {
		victim := replicas[0]
		var moved, control []*viewer
		for _, v := range viewers {
			if v.replica() == victim.name {
				moved = append(moved, v)
			} else {
				control = append(control, v)
			}
		}
		before := map[*viewer]string{}
		for _, v := range moved {
			before[v] = v.lastID()
		}
		victim.proc.kill()
		time.Sleep(11 * time.Second) // two intervals
		for _, v := range moved {
			require.NotEqual(t, victim.name, v.replica(), "the viewer reconnected to another replica")
			require.Greater(t, v.connections(), 1)
		}
		// Every update a viewer that stayed put got after the moved
		// viewer's position, the moved viewer got too, once.
		for _, v := range moved {
			got := v.updatesAfter(before[v])
			want := control[0].updatesAfter(before[v])
			require.NotEmpty(t, want)
			for u := range want {
				if u.epoch <= control[0].newestEpoch(u.panel)-1 { // settled on both
					require.Contains(t, got, u, "viewer moved from %s missed %v", victim.name, u)
				}
			}
			require.Zero(t, v.duplicates(), "no update twice")
		}
	})

	// (c) Redis killed, then back.
	t.Run("redis outage", func(t *testing.T) {
		alive := replicas[1:]
		counts := map[*viewer]int{}
		for _, v := range viewers {
			counts[v] = v.count("timeline")
		}
		rds.kill()
		time.Sleep(7 * time.Second) // at least one interval
		for _, v := range viewers {
			require.Greater(t, v.count("timeline"), counts[v], "viewer on %s keeps getting updates without Redis", v.replica())
		}
		for _, r := range alive {
			require.Equal(t, 0.0, metricValue(t, r.base, "dashkit_cache_shared", ""), "%s says it computes locally", r.name)
		}
		startProc(t, dir, "redis", redisBin, []string{"--port", redisPort, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir}, nil)
		waitRedis(t, redisPort)
		time.Sleep(10 * time.Second) // two intervals
		start := 0.0
		for _, r := range alive {
			require.Equal(t, 1.0, metricValue(t, r.base, "dashkit_cache_shared", ""), "%s shares again", r.name)
			start += computeCount(t, r.base)
		}
		time.Sleep(10 * time.Second)
		end := 0.0
		for _, r := range alive {
			end += computeCount(t, r.base)
		}
		require.LessOrEqual(t, end-start, 3.0, "one computation per interval again (two intervals, one boundary of slack)")
	})
	for _, v := range viewers {
		require.Zero(t, v.duplicates(), "no update twice")
	}
}

// haproxyConfig is the worked example of README's "Running several
// replicas": round-robin with no stickiness, health checks on /readyz,
// failed connections retried on another replica, and timeouts well above
// the heartbeat so idle event streams stay open. HAProxy does not buffer
// responses, so events pass as they are written.
func haproxyConfig(port string, replicas []*replica) string {
	var b strings.Builder
	fmt.Fprintf(&b, `global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client  60s   # above HEARTBEAT_INTERVAL: idle streams stay open
    timeout server  60s
    timeout tunnel  1h
    retries 3
    option redispatch
    retry-on conn-failure empty-response

frontend dashboards
    bind 127.0.0.1:%s
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
    http-response set-header X-Replica %%[srv_name]
`, port)
	for _, r := range replicas {
		fmt.Fprintf(&b, "    server %s %s check\n", r.name, strings.TrimPrefix(r.base, "http://"))
	}
	return b.String()
}

type replica struct {
	name, base string
	proc       *proc
}

// proc is a process the test started and stops by its PID.
type proc struct {
	cmd  *exec.Cmd
	once sync.Once
}

func startProc(t *testing.T, dir, name, bin string, args, env []string) *proc {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	log, err := os.Create(filepath.Join(dir, name+".log"))
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = log, log
	require.NoError(t, cmd.Start(), "start %s", name)
	p := &proc{cmd: cmd}
	t.Cleanup(func() {
		p.kill()
		log.Close()
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("%s log (tail):\n%s", name, tail(string(b), 3000))
		}
	})
	return p
}

func (p *proc) kill() {
	p.once.Do(func() {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	})
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func lookPath(t *testing.T, name, fallback string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	_, err := os.Stat(fallback)
	require.NoError(t, err, "%s must be installed where %s is set (.ci/run installs it)", name, testenv.RedisVar)
	return fallback
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func waitRedis(t *testing.T, port string) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port})
	defer c.Close()
	require.Eventually(t, func() bool { return c.Ping(context.Background()).Err() == nil }, 10*time.Second, 20*time.Millisecond)
}

func waitOK(t *testing.T, u string, within time.Duration) {
	t.Helper()
	require.Eventually(t, func() bool {
		res, err := http.Get(u)
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, within, 50*time.Millisecond, "%s answers 200", u)
}

func login(t *testing.T, base string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/login", url.Values{"user": {"viewer"}, "password": {"viewer-demo"}, "return": {"/"}})
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	return c
}

// sessionCookie is the session cookie c holds for base.
func sessionCookie(t *testing.T, c *http.Client, base string) *http.Cookie {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "dashkit_session" {
			return ck
		}
	}
	t.Fatal("no session cookie")
	return nil
}

func status(t *testing.T, c *http.Client, u string) int {
	t.Helper()
	res, err := c.Get(u)
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode
}

// metricValue sums the samples of name whose labels contain match.
func metricValue(t *testing.T, base, name, match string) float64 {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	defer res.Body.Close()
	sum := 0.0
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		if !strings.Contains(line, match) {
			continue
		}
		f, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		require.NoError(t, err)
		sum += f
	}
	return sum
}

func computeCount(t *testing.T, base string) float64 {
	return metricValue(t, base, "dashkit_panel_compute_seconds_count", `panel="var"`)
}

// update is one panel's update for one interval.
type update struct {
	panel string
	epoch int64
}

// viewer is a browser's event stream through the load balancer: it
// reconnects as EventSource does, with Last-Event-ID.
type viewer struct {
	mu      sync.Mutex
	id      string
	on      string // the replica serving the stream
	conns   int
	got     []update
	ids     []string // the stream ID after each update
	seen    map[update]int
	index   map[string]int // panel → its place in the ID
	dupes   int
	started chan struct{}
}

func watch(t *testing.T, c *http.Client, lb string) *viewer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	v := &viewer{seen: map[update]int{}, index: map[string]int{}, started: make(chan struct{})}
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	go func() {
		defer close(done)
		first := true
		for ctx.Err() == nil {
			v.stream(ctx, c, lb, func() {
				if first {
					first = false
					close(v.started)
				}
			})
			select {
			case <-ctx.Done():
			case <-time.After(300 * time.Millisecond): // the runtime's retry, shortened
			}
		}
	}()
	select {
	case <-v.started:
	case <-time.After(20 * time.Second):
		t.Fatal("no stream through the load balancer")
	}
	return v
}

func (v *viewer) stream(ctx context.Context, c *http.Client, lb string, connected func()) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, lb+"/events", nil)
	v.mu.Lock()
	if v.id != "" {
		req.Header.Set("Last-Event-ID", v.id)
	}
	v.mu.Unlock()
	res, err := c.Do(req)
	if err != nil {
		return
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, res.Body)
		return
	}
	v.mu.Lock()
	v.on = res.Header.Get("X-Replica")
	v.conns++
	v.mu.Unlock()
	connected()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	var id string
	for sc.Scan() {
		line := sc.Text()
		if s, ok := strings.CutPrefix(line, "id: "); ok {
			id = s
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok && id != "" {
			v.record(id, panelOf(data))
			id = ""
		}
	}
}

// panelOf reads the panel an update's JSON names.
func panelOf(data string) string {
	_, rest, _ := strings.Cut(data, `"panel":"`)
	p, _, _ := strings.Cut(rest, `"`)
	return p
}

// record notes the update a frame carries: the one place of the stream ID
// that moved, which must move forward.
func (v *viewer) record(id, panel string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	next := strings.Split(id, ".")
	prev := strings.Split(v.id, ".")
	if v.id == "" {
		prev = strings.Split(strings.Repeat("0.", len(next)-1)+"0", ".") // a new stream's position
	}
	v.id = id
	for i := range next {
		if i < len(prev) && prev[i] == next[i] {
			continue
		}
		e, _ := strconv.ParseInt(next[i], 10, 64)
		v.index[panel] = i
		u := update{panel, e}
		v.seen[u]++
		if v.seen[u] > 1 {
			v.dupes++
		}
		v.got = append(v.got, u)
		v.ids = append(v.ids, id)
		return
	}
	v.dupes++ // a frame that moved nothing repeats an update
}

func (v *viewer) replica() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.on
}

func (v *viewer) connections() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.conns
}

func (v *viewer) lastID() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.id
}

func (v *viewer) duplicates() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.dupes
}

func (v *viewer) count(panel string) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := 0
	for _, u := range v.got {
		if u.panel == panel {
			n++
		}
	}
	return n
}

// epochs are the intervals of panel's updates v got, in the order it got
// them.
func (v *viewer) epochs(panel string) []int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []int64
	for _, u := range v.got {
		if u.panel == panel {
			out = append(out, u.epoch)
		}
	}
	return out
}

// updatesIn are the updates v got of intervals from through to.
func (v *viewer) updatesIn(from, to int64) map[update]bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := map[update]bool{}
	for _, u := range v.got {
		if u.epoch >= from && u.epoch <= to {
			out[u] = true
		}
	}
	return out
}

func (v *viewer) newestEpoch(panel string) int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	var e int64
	for _, u := range v.got {
		if u.panel == panel {
			e = max(e, u.epoch)
		}
	}
	return e
}

// updatesAfter are the updates v got that are newer than the stream
// position id, for the panels that position covers.
func (v *viewer) updatesAfter(id string) map[update]bool {
	pos := strings.Split(id, ".")
	v.mu.Lock()
	defer v.mu.Unlock()
	out := map[update]bool{}
	for _, u := range v.got {
		i, ok := v.index[u.panel]
		if !ok || i >= len(pos) {
			continue
		}
		e, _ := strconv.ParseInt(pos[i], 10, 64)
		if u.epoch > e {
			out[u] = true
		}
	}
	return out
}
