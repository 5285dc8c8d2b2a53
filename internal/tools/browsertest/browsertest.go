package browsertest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// Timeout bounds each step a test asks of the browser.
const Timeout = 20 * time.Second

// Flags are the Chromium command-line switches every browser gets. Without the
// background-networking ones Chromium tries to reach Google's hosts at start,
// which this machine's closed network refuses.
var Flags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
	"--disable-background-networking", "--disable-component-update",
	"--disable-sync", "--no-first-run", "--no-default-browser-check",
	"--disable-dev-shm-usage", "--disable-extensions",
}

// Browser is one headless Chromium process with its own profile directory.
// Its pages are tabs of that one process.
type Browser struct {
	ctx context.Context // the browser's first tab; Open derives new tabs from it
}

// BrowserOption configures a browser before it starts.
type BrowserOption func() []chromedp.ExecAllocatorOption

// DenyRemote makes the browser itself refuse every request that would leave
// the machine: all traffic but loopback's (which Chromium never proxies) goes
// to a proxy at a closed loopback port, so it fails instead of being merely
// reported. A test that proves a page needs no network uses it.
func DenyRemote() BrowserOption {
	return func() []chromedp.ExecAllocatorOption {
		return []chromedp.ExecAllocatorOption{chromedp.ProxyServer("http://127.0.0.1:9")}
	}
}

// New starts a browser for the test and stops it when the test ends. It skips
// the test when DASHKIT_BROWSER is unset.
func New(t *testing.T, bopts ...BrowserOption) *Browser {
	t.Helper()
	path := testenv.BrowserPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(strings.TrimPrefix(f, "--"), true))
	}
	for _, o := range bopts {
		opts = append(opts, o()...)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first Run starts the browser and must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start browser: %v", err)
	}
	return &Browser{ctx: ctx}
}

// Page is one tab, watched for errors from the moment it opens.
type Page struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	problems []string
	requests []string
	urls     map[network.RequestID]string
	ignored  []string
}

// TabOption sets up a tab before it loads its first page.
type TabOption func() chromedp.Action[chromedp.Void]

// Viewport sizes the tab's window in CSS pixels: 1440 × 900 for a desk,
// 390 × 844 for a phone.
func Viewport(width, height int) TabOption {
	return func() chromedp.Action[chromedp.Void] { return chromedp.EmulateViewport(int64(width), int64(height)) }
}

// Header sends an extra HTTP header with every request of the tab, such as
// a host's Basic credentials.
func Header(name, value string) TabOption {
	return func() chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{name: value}})
			return err
		})
	}
}

// PrefersDark makes the tab's prefers-color-scheme media feature "dark", as
// a browser on a system in dark mode.
func PrefersDark() TabOption {
	return func() chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
			})
			return err
		})
	}
}

// Open opens a new tab at rawURL for the test t (a subtest may use its
// parent's browser) and waits for its load event. Each tab has its own
// browser context, so cookies and storage are not shared between tabs (see
// [Page.Tab] for a second tab of the same person). The tab closes, and its
// problems are reported, when t ends.
func (b *Browser) Open(t *testing.T, rawURL string, opts ...TabOption) *Page {
	t.Helper()
	return open(t, b.ctx, rawURL, []chromedp.ContextOption{chromedp.WithNewBrowserContext()}, opts)
}

// Tab opens another tab in p's browser context — the same person's
// cookies and storage, as a second browser tab — for the test t.
func (p *Page) Tab(t *testing.T, rawURL string, opts ...TabOption) *Page {
	t.Helper()
	return open(t, p.ctx, rawURL, nil, opts)
}

func open(t *testing.T, parent context.Context, rawURL string, ctxOpts []chromedp.ContextOption, opts []TabOption) *Page {
	t.Helper()
	p := &Page{t: t, urls: make(map[network.RequestID]string)}
	ctx, cancel := chromedp.NewContext(parent, append(ctxOpts, chromedp.WithListener(p.listen))...)
	p.ctx = ctx
	t.Cleanup(func() {
		cancel()
		p.check()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: open tab: %v", err)
	}
	for _, o := range opts {
		p.Do(o())
	}
	p.Do(chromedp.Navigate(rawURL))
	return p
}

// Ignore makes problems whose text contains substr not fail the test (for a
// test that provokes an error on purpose). Keep substr narrow.
func (p *Page) Ignore(substr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ignored = append(p.ignored, substr)
}

// Do runs chromedp actions in the tab, failing the test on error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("browsertest: %v\nproblems so far:\n%s", err, strings.Join(p.Problems(), "\n"))
	}
}

// Eval evaluates a JavaScript expression in the tab and decodes its value.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("browsertest: eval %s: %v", expr, err)
	}
	return v
}

// WaitFor waits until the JavaScript expression is truthy, failing the test
// after [Timeout]. A navigation while waiting (a form submitted, a
// redirect) restarts the wait in the new page.
func (p *Page) WaitFor(expr string) {
	p.t.Helper()
	p.WaitForWithin(expr, Timeout)
}

// WaitForWithin is [Page.WaitFor] with its own time limit.
func (p *Page) WaitForWithin(expr string, limit time.Duration) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, limit)
	defer cancel()
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(limit)))
		if err == nil {
			return
		}
		if ctx.Err() == nil && (strings.Contains(err.Error(), "Cannot find context") || strings.Contains(err.Error(), "navigated or closed")) {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		p.t.Fatalf("browsertest: waiting for %s: %v\nproblems so far:\n%s", expr, err, strings.Join(p.Problems(), "\n"))
	}
}

// Screenshot saves a PNG of the whole page to path, creating its directory.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("browsertest: screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatalf("browsertest: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatalf("browsertest: %v", err)
	}
}

// Problems returns what went wrong in the tab so far, ignored ones excluded.
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
next:
	for _, pr := range p.problems {
		for _, ig := range p.ignored {
			if strings.Contains(pr, ig) {
				continue next
			}
		}
		out = append(out, pr)
	}
	return out
}

// Requests returns the URL of every request the tab has sent.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

func (p *Page) check() {
	if probs := p.Problems(); len(probs) > 0 {
		p.t.Errorf("browsertest: the page had %d problem(s):\n%s", len(probs), strings.Join(probs, "\n"))
	}
}

func (p *Page) report(format string, args ...any) {
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
}

// listen runs on chromedp's reader goroutine: it must only record.
func (p *Page) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			p.report("console.%s: %s", ev.Type, remoteArgs(ev.Args))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		p.report("exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg)
	case *log.EventEntryAdded:
		// CSP violations, failed resource loads and the like arrive here.
		if ev.Entry.Level == log.EntryLevelError {
			p.report("log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		p.requests = append(p.requests, u)
		p.urls[ev.RequestID] = u
		if !local(u) {
			p.report("request left the machine: %s", u)
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			p.report("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
		}
		if ev.Type == network.ResourceTypeDocument && !strings.HasPrefix(ev.Response.MimeType, "text/html") {
			// A person should never be shown a raw JSON body or plain
			// machine text as a page.
			p.report("a %s page was shown to the browser: %s", ev.Response.MimeType, ev.Response.URL)
		}
	case *network.EventLoadingFailed:
		// A request the page itself aborts (a stream closed on navigation)
		// is not a failure.
		if !ev.Canceled {
			p.report("request failed (%s %s): %s %s", ev.Type, p.urls[ev.RequestID], ev.ErrorText, ev.BlockedReason)
		}
	}
}

// local reports whether rawURL stays on this machine: loopback hosts, or a
// scheme that makes no network request at all.
func local(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	case "http", "https", "ws", "wss":
	default:
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func remoteArgs(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}
