package journeys_test

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

func TestMain(m *testing.M) {
	flag.Parse()
	// The journeys spend their time waiting on servers and the browser,
	// not on the CPU: run many at once, as tabs of one browser.
	if f := flag.Lookup("test.parallel"); f != nil && f.Value.String() == f.DefValue {
		_ = f.Value.Set("8")
	}
	os.Exit(m.Run())
}

// The widths every journey runs at: a desk and a phone.
var widths = []struct {
	name string
	w, h int
}{{"desk", 1440, 900}, {"phone", 390, 844}}

// example is how a person reaches one example app.
type example struct {
	name  string // the directory under examples/
	base  string // the dashboard's path
	roles []string
	// args start the process; -assets and ADDR or -addr are added.
	args    []string
	addrArg bool   // -addr flag instead of ADDR
	auth    string // an Authorization header the host wants (Basic)
	// refresh is the dashboards' refresh interval: journeys wait two.
	refresh time.Duration
	// filter and crossCharts: the filter a chart click sets, and the
	// element IDs of the charts that set filters.
	filter      string
	crossCharts []string
	// shared is a filtered link's query and a JavaScript expression that
	// is true when the page shows that view.
	shared, sharedShown string
}

// mayFilter reports whether the demo role is offered filter changes.
func (e *example) mayFilter(role string) bool {
	return role == "" || role == "manager" || role == "admin"
}

var examples = []*example{
	{
		name: "risk", base: "/", roles: []string{"viewer", "analyst", "manager", "admin"},
		args: []string{"-instruments", "5000"}, refresh: 5 * time.Second,
		filter: "sector", crossCharts: []string{"heatmap"},
		shared: "?sector=Energy", sharedShown: `document.querySelector('#panel-top caption').textContent.startsWith('Energy')`,
	},
	{
		name: "manufacturing", base: "/", roles: []string{"viewer", "analyst", "manager", "admin"},
		refresh: 10 * time.Second, filter: "facility", crossCharts: []string{"comparison"},
		shared: "?facility=Porto", sharedShown: `document.querySelector('#panel-machines caption').textContent.startsWith('Porto')`,
	},
	{
		name: "crossfilter", base: "/", roles: []string{""}, addrArg: true,
		refresh: 5 * time.Second, // one minute in the example; journeys wait 10 s
		filter:  "region", crossCharts: []string{"by-region", "by-product", "trend"},
		shared: "?region=East", sharedShown: `document.getElementById('by-product').getAttribute('aria-label').includes('in East regions')`,
	},
	{
		name: "embed", base: "/dashboards/ops/", roles: []string{""}, addrArg: true,
		auth:    "Basic " + base64.StdEncoding.EncodeToString([]byte("ops:ops-demo")),
		refresh: 10 * time.Second,
	},
}

// moduleRoot is the repository's root, where the examples build from.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	require.NoError(t, err)
	return filepath.Dir(strings.TrimSpace(string(out)))
}

var built struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

// binary builds every example once and returns the path of name's program.
// The programs are built without the race detector even when the tests have
// it: its 5–10× slowdown would make panel timeouts, not people, the subject
// of the journeys (the examples' own tests run their handlers under it).
func binary(t *testing.T, name string) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "dashkit-journeys-")
		if built.err != nil {
			return
		}
		args := []string{"build", "-o", built.dir + string(filepath.Separator)}
		for _, e := range examples {
			args = append(args, "./examples/"+e.name)
		}
		cmd := exec.Command("go", args...)
		cmd.Dir = moduleRoot(t)
		built.out, built.err = cmd.CombinedOutput()
	})
	require.NoError(t, built.err, "build the examples: %s", built.out)
	return filepath.Join(built.dir, name)
}

// server is one example running as its own process.
type server struct {
	t    *testing.T
	ex   *example
	addr string
	args []string
	env  []string
	cmd  *exec.Cmd
	logs *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// launch starts ex as a process in development mode with a heartbeat of
// two seconds, its own cache directory (where the development secret is
// kept) and extra environment, and waits until it serves /healthz.
func launch(t *testing.T, ex *example, extra ...string) *server {
	t.Helper()
	dir := t.TempDir()
	s := &server{t: t, ex: ex, addr: freeAddr(t), logs: &lockedBuffer{}}
	s.env = append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"DASHKIT_ENV=development", "HEARTBEAT_INTERVAL=2s",
	}, extra...)
	s.args = append([]string{"-assets", testenv.EChartsDir(t)}, ex.args...)
	if ex.name == "manufacturing" {
		s.args = append(s.args, "-db", filepath.Join(dir, "plant.db"))
	}
	if ex.addrArg {
		s.args = append(s.args, "-addr", s.addr)
	} else {
		s.env = append(s.env, "ADDR="+s.addr)
	}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *server) start() {
	t := s.t
	t.Helper()
	s.cmd = exec.Command(binary(t, s.ex.name), s.args...)
	s.cmd.Env = s.env
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	require.NoError(t, s.cmd.Start())
	deadline := time.Now().Add(90 * time.Second)
	for {
		res, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not serve /healthz within 90 s; its log:\n%s", s.ex.name, s.logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends the process as an operator does (SIGTERM), and fails the test
// if it does not exit cleanly within 15 seconds.
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			s.t.Errorf("%s exited with %v; its log:\n%s", s.ex.name, err, s.logs.String())
		}
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
		s.t.Errorf("%s did not shut down within 15 s", s.ex.name)
	}
	s.cmd = nil
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

// The states a page can be in, as JavaScript expressions.
const (
	live = `document.documentElement.dataset.dkStatus === 'live'`
	// drawn: every chart has an instance and painted pixels.
	drawn = `(() => [...document.querySelectorAll('.dk-chart')].every(el => {
		if (!window.echarts || !echarts.getInstanceByDom(el)) return false;
		const cv = el.querySelector('canvas');
		return !!cv && cv.width > 0;
	}))()`
	healthy = `document.querySelectorAll('.dk-error').length === 0`
	onLogin = `location.pathname === '/login' && !!document.querySelector('form input[name=user]')`
)

func signIn(p *browsertest.Page, role string) {
	p.WaitFor(onLogin)
	p.Do(
		chromedp.SetValue(chromedp.CSS("#user"), role),
		chromedp.SetValue(chromedp.CSS("#password"), role+"-demo"),
		chromedp.Submit(chromedp.CSS("form")),
	)
}

// settled waits for a page that is live, drawn and without a panel in
// error. A busy machine (the CI runs other packages beside the journeys)
// gets a minute.
func settled(t *testing.T, p *browsertest.Page) {
	t.Helper()
	p.WaitForWithin(live+` && `+drawn+` && `+healthy, time.Minute)
}

// targets are the centres of one chart's data elements (bars, cells,
// points) in viewport coordinates; at most 60 per series, evenly spread.
const targets = `((id) => {
	const el = document.getElementById(id);
	if (!el) return [];
	const c = echarts.getInstanceByDom(el);
	if (!c) return [];
	const r = el.getBoundingClientRect();
	const out = [];
	c.getModel().eachSeries(s => {
		const data = s.getData();
		const n = data.count(), step = Math.max(1, Math.ceil(n / 60));
		for (let k = 0; k < n; k += step) {
			const g = data.getItemGraphicEl(k);
			if (!g || !g.getBoundingRect || g.invisible) continue;
			const b = g.getBoundingRect().clone();
			const m = g.getComputedTransform ? g.getComputedTransform() : g.transform;
			if (m) b.applyTransform(m);
			const x = r.left + b.x + b.width / 2, y = r.top + b.y + b.height / 2;
			if (Math.abs(b.width) < 2 && Math.abs(b.height) < 2) continue;
			if (x < 1 || y < 1 || x > innerWidth - 1 || y > innerHeight - 1) continue;
			out.push([x, y]);
		}
	});
	return out;
})`

// clickEverything moves to and clicks every data element of every chart,
// as a curious person does, and reports which charts showed a pointer or
// a crosshair (an invitation to click or to drag a selection) on the way,
// and every view the clicks led to.
func clickEverything(t *testing.T, p *browsertest.Page) (clicks int, pointers map[string]bool, views []string) {
	t.Helper()
	pointers = map[string]bool{}
	ids := browsertest.Eval[[]string](p, `[...document.querySelectorAll('.dk-chart')].map(el => el.id)`)
	for _, id := range ids {
		// A chart that a click replaced (its panel re-rendered) is
		// looked up again by its ID; one that vanished fails the
		// health checks that follow.
		browsertest.Eval[bool](p, fmt.Sprintf(`(() => { const el = document.getElementById(%q); if (el) el.scrollIntoView({block: 'center'}); return true; })()`, id))
		// The scroll settles, and so does any animation an earlier click
		// started (ECharts animates updates for up to a second): a bar
		// that is still shrinking would not be under the pointer.
		p.Do(chromedp.Sleep(1100 * time.Millisecond))
		xy := browsertest.Eval[[][]float64](p, fmt.Sprintf(`%s(%q)`, targets, id))
		t.Logf("chart %s: %d elements to click", id, len(xy))
		cursor := fmt.Sprintf(`(() => {
			const el = document.getElementById(%q);
			const root = el && el.firstElementChild;
			return root ? getComputedStyle(root).cursor : '';
		})()`, id)
		for _, pt := range xy {
			// Hover, then read the cursor; a live update redrawing the
			// chart in between resets it, so a second small move asks
			// again.
			for _, dx := range []float64{0, 0.5} {
				p.Do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, pt[0]+dx, pt[1]))
				if c := browsertest.Eval[string](p, cursor); c == "pointer" || c == "crosshair" {
					pointers[id] = true
					break
				}
			}
			p.Do(chromedp.MouseClickXY(pt[0], pt[1]))
			clicks++
			views = append(views, browsertest.Eval[string](p, `location.search`))
		}
	}
	return clicks, pointers, views
}

// badURLs opens two bad addresses: each shows an HTML page with a way back,
// which leads to the default view.
func badURLs(t *testing.T, p *browsertest.Page, s *server) {
	t.Helper()
	bad := []string{s.url(s.ex.base + "nonexistent"), s.url(s.ex.base + "?nonsense=1")}
	if s.ex.filter != "" {
		bad[1] = s.url(s.ex.base + "?" + s.ex.filter + "=Nonsense")
	}
	for _, u := range bad {
		p.Ignore(u) // the 404 and 400 are the point
		p.Do(chromedp.Navigate(u))
		p.WaitFor(`!!document.querySelector('a.dk-error-back')`)
		require.Equal(t, "text/html", browsertest.Eval[string](p, `document.contentType`))
		text := browsertest.Eval[string](p, `document.body.innerText`)
		require.NotContains(t, text, "dashboard:", "no Go error text on %s", u)
		require.NotContains(t, text, `{"error"`)
		p.Do(chromedp.Click(chromedp.CSS("a.dk-error-back")))
		settled(t, p)
		require.Equal(t, s.ex.base, browsertest.Eval[string](p, `location.pathname`))
		require.Empty(t, browsertest.Eval[string](p, `location.search`), "back to the default view")
	}
}

// TestJourneys plays every example × every demo role × desk and phone width.
func TestJourneys(t *testing.T) {
	b := browsertest.New(t)
	testenv.EChartsDir(t)
	// One process per example, shared by all its journeys and stopped
	// once they are done.
	running := map[string]*server{}
	for _, ex := range examples {
		running[ex.name] = launch(t, ex)
	}
	// Selections (selection_test.go), on the same servers.
	for _, w := range widths {
		t.Run("select/crossfilter/"+w.name, func(t *testing.T) {
			t.Parallel()
			crossfilterSelection(t, b, running["crossfilter"], w.w, w.h)
		})
	}
	t.Run("select/risk/manager/desk", func(t *testing.T) {
		t.Parallel()
		riskSelection(t, b, running["risk"], widths[0].w, widths[0].h)
	})
	t.Run("select/manufacturing/manager/phone", func(t *testing.T) {
		t.Parallel()
		manufacturingSelection(t, b, running["manufacturing"], widths[1].w, widths[1].h)
	})
	for _, ex := range examples {
		for _, role := range ex.roles {
			for _, w := range widths {
				name := strings.ReplaceAll(strings.Trim(ex.name+"/"+role+"/"+w.name, "/"), "//", "/")
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					person(t, b, running[ex.name], role, w.w, w.h)
				})
			}
		}
	}
}

// person is one journey: sign in, click everything, wait, open a shared
// link and bad URLs, sign out in another tab.
func person(t *testing.T, b *browsertest.Browser, s *server, role string, width, height int) {
	ex := s.ex
	t.Cleanup(func() {
		if t.Failed() {
			log := s.logs.String()
			t.Logf("the last of %s's log:\n%s", ex.name, log[max(0, len(log)-4000):])
		}
	})
	opts := []browsertest.TabOption{browsertest.Viewport(width, height)}
	if ex.auth != "" {
		opts = append(opts, browsertest.Header("Authorization", ex.auth))
	}
	p := b.Open(t, s.url(ex.base), opts...)
	if role != "" {
		signIn(p, role)
		p.WaitFor(`!!document.querySelector('.dk-user')`)
		require.Contains(t, browsertest.Eval[string](p, `document.querySelector('.dk-user').textContent`), "("+role+")", "the header says who is signed in")
	}
	settled(t, p)

	// Click every element of every chart.
	clicks, pointers, views := clickEverything(t, p)
	require.Positive(t, clicks, "the page has chart elements to click")
	filtered := slices.ContainsFunc(views, func(v string) bool { return strings.Contains(v, ex.filter+"=") })
	if len(ex.crossCharts) > 0 && ex.mayFilter(role) {
		want := map[string]bool{}
		for _, id := range ex.crossCharts {
			want[id] = true
		}
		require.Equal(t, want, pointers, "only the cross-filtering charts invite a click from %q", role)
		require.True(t, filtered, "a click cross-filtered the view: %q", views)
	} else {
		require.Empty(t, pointers, "no chart invites a click from %q", role)
		require.False(t, slices.ContainsFunc(views, func(v string) bool { return v != "" }), "no click changed the view of %q: %q", role, views)
		require.Empty(t, browsertest.Eval[string](p, `location.search`))
	}

	// Wait two refresh intervals (35 s for the apps with roles, the time in
	// which a click used to take every panel down).
	wait := 2 * ex.refresh
	if role != "" {
		wait = 35 * time.Second
	}
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		p.Do(chromedp.Sleep(time.Second))
		require.True(t, browsertest.Eval[bool](p, healthy), "a panel is in error after the clicks")
	}
	settled(t, p)
	require.True(t, browsertest.Eval[bool](p, `document.querySelector('.dk-notice').hidden`), "no notice after allowed clicks")

	// What the person sees now, charts at rest (the README's screenshots
	// come from here); the admin also looks at it in the dark, and back.
	shot := filepath.Join("testdata", "screenshots", strings.Trim(ex.name+"-"+role, "-")+fmt.Sprintf("-%d", width))
	p.Do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`), chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 1, 1))
	p.Do(chromedp.Sleep(500 * time.Millisecond)) // the tooltip fades
	p.Screenshot(shot + ".png")
	if role == "admin" {
		p.Do(chromedp.Click(chromedp.CSS(".dk-theme-toggle")))
		p.WaitFor(`document.documentElement.dataset.theme === 'dark'`)
		p.Do(chromedp.Sleep(3 * time.Second)) // charts redrawn and animated in
		p.Screenshot(shot + "-dark.png")
		p.Do(chromedp.Click(chromedp.CSS(".dk-theme-toggle")))
		p.WaitFor(`document.documentElement.dataset.theme === 'light'`)
		settled(t, p)
	}

	// Open a link someone shared: every role reads that view.
	if ex.shared != "" {
		p.Do(chromedp.Navigate(s.url(ex.base + ex.shared)))
		settled(t, p)
		p.WaitFor(ex.sharedShown)
		filters := browsertest.Eval[int](p, `document.querySelectorAll('[data-filter]').length`)
		if ex.mayFilter(role) {
			require.Positive(t, filters)
		} else {
			require.Zero(t, filters, "a viewer reads a shared view without controls")
		}
	}

	badURLs(t, p, s)

	if role == "" {
		return
	}
	// Back to the shared view, then sign out in another tab: this one
	// lands on the login page within a heartbeat or two, and signing in
	// again returns to the same view.
	view := ex.base + ex.shared
	p.Do(chromedp.Navigate(s.url(view)))
	settled(t, p)
	other := p.Tab(t, s.url(ex.base), opts...)
	settled(t, other)
	other.Do(chromedp.Click(chromedp.CSS(".dk-logout button")))
	other.WaitFor(onLogin)
	start := time.Now()
	p.WaitFor(onLogin)
	require.Less(t, time.Since(start), 10*time.Second)
	ret, err := url.QueryUnescape(strings.TrimPrefix(browsertest.Eval[string](p, `location.search`), "?return="))
	require.NoError(t, err)
	require.Equal(t, view, ret, "the login page returns to the exact view")
	signIn(p, role)
	settled(t, p)
	require.Equal(t, view, browsertest.Eval[string](p, `location.pathname + location.search`))
}

// TestJourneySessionExpires: with a 20-second session, an open page lands on
// the login page when the session ends, and signing in returns to the view.
func TestJourneySessionExpires(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	testenv.EChartsDir(t)
	s := launch(t, examples[0], "SESSION_LIFETIME=20s")
	p := b.Open(t, s.url("/?sector=Energy"), browsertest.Viewport(1440, 900))
	signedIn := time.Now()
	signIn(p, "analyst")
	settled(t, p)
	for !browsertest.Eval[bool](p, onLogin) {
		require.Less(t, time.Since(signedIn), 40*time.Second, "the page outlived its session")
		if browsertest.Eval[bool](p, `location.pathname === '/'`) {
			require.True(t, browsertest.Eval[bool](p, healthy), "no panel in error while the session lasts")
		}
		time.Sleep(500 * time.Millisecond)
	}
	// The token's expiry is whole seconds: 19 to 20 s after sign-in.
	require.Greater(t, time.Since(signedIn), 18*time.Second, "not signed out early")
	signIn(p, "analyst")
	settled(t, p)
	require.Equal(t, "/?sector=Energy", browsertest.Eval[string](p, `location.pathname + location.search`))
}

// TestJourneyServerRestarts: in development the server restarts under an
// open page; the page reconnects by itself and stays signed in, since the
// development secret is kept in the user's cache directory.
func TestJourneyServerRestarts(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	testenv.EChartsDir(t)
	ex := *examples[0]
	ex.args = []string{"-instruments", "2000"}
	s := launch(t, &ex)
	p := b.Open(t, s.url("/"), browsertest.Viewport(1440, 900))
	// While the server is away, the page's requests fail; that is the
	// point of this journey.
	for _, gone := range []string{"ERR_CONNECTION_REFUSED", "ERR_EMPTY_RESPONSE", "ERR_INCOMPLETE_CHUNKED_ENCODING", "ERR_CONNECTION_RESET", "HTTP 503 for", "status of 503"} {
		p.Ignore(gone)
	}
	signIn(p, "viewer")
	settled(t, p)
	s.stop()
	p.WaitFor(`document.documentElement.dataset.dkStatus !== 'live'`)
	s.start()
	deadline := time.Now().Add(60 * time.Second)
	for !browsertest.Eval[bool](p, live) {
		require.True(t, time.Now().Before(deadline), "the page did not reconnect within 60 s")
		require.False(t, browsertest.Eval[bool](p, onLogin), "a development restart signed the viewer out")
		time.Sleep(250 * time.Millisecond)
	}
	settled(t, p)
	require.Equal(t, "/", browsertest.Eval[string](p, `location.pathname`))
}

// TestJourneyTheme: the page follows a dark system theme; the toggle pins
// the other theme, charts follow, and a reload remembers it.
func TestJourneyTheme(t *testing.T) {
	t.Parallel()
	b := browsertest.New(t)
	testenv.EChartsDir(t)
	s := launch(t, examples[2])
	const darkBody = `getComputedStyle(document.body).backgroundColor === 'rgb(16, 20, 27)'`
	const chartsDark = `[...document.querySelectorAll('.dk-chart')].every(el => echarts.getInstanceByDom(el).getOption().darkMode === true)`
	dark := b.Open(t, s.url("/"), browsertest.Viewport(1440, 900), browsertest.PrefersDark())
	settled(t, dark)
	require.True(t, browsertest.Eval[bool](dark, darkBody), "prefers-color-scheme: dark is followed")
	require.True(t, browsertest.Eval[bool](dark, chartsDark))
	dark.Screenshot("testdata/screenshots/crossfilter-dark-1440.png")

	light := b.Open(t, s.url("/"), browsertest.Viewport(390, 844))
	settled(t, light)
	require.False(t, browsertest.Eval[bool](light, darkBody))
	light.Do(chromedp.Click(chromedp.CSS(".dk-theme-toggle")))
	light.WaitFor(darkBody + ` && ` + chartsDark)
	light.Do(chromedp.Reload())
	settled(t, light)
	require.True(t, browsertest.Eval[bool](light, darkBody), "the choice is remembered")
	require.True(t, browsertest.Eval[bool](light, chartsDark))
	light.Screenshot("testdata/screenshots/crossfilter-dark-390.png")
}
