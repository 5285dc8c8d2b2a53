package browsertest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLocal(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8050/":        true,
		"http://127.0.0.2/x":            true,
		"http://localhost/x":            true,
		"http://[::1]:9000/":            true,
		"ws://127.0.0.1/events":         true,
		"data:image/png;base64,AAAA":    true,
		"blob:http://127.0.0.1/abc":     true,
		"about:blank":                   true,
		"https://cdn.jsdelivr.net/x.js": false,
		"http://10.0.0.1/":              false,
		"http://192.168.1.1/":           false,
		"http://localhost.example.com/": false,
		"ftp://127.0.0.1/":              false,
		"http://127.0.0.1.nip.io/":      false,
		"://bad":                        false,
	} {
		require.Equal(t, want, local(u), u)
	}
}

// TestProblemsAreCaught proves the harness notices what it promises to: a
// console error, an uncaught exception and an HTTP error. The page provokes
// each on purpose, and the test then forgives exactly those.
func TestProblemsAreCaught(t *testing.T) {
	b := New(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><link rel="icon" href="data:,"><p id="done">page</p>
<script>
console.error("deliberate console error");
fetch("missing.json");
setTimeout(() => { throw new Error("deliberate exception"); }, 0);
</script>`))
	}))
	t.Cleanup(srv.Close)

	p := b.Open(t, srv.URL+"/")
	p.WaitFor(`document.getElementById("done") !== null`)
	require.Eventually(t, func() bool { return len(p.Problems()) >= 3 }, Timeout, 50e6)

	probs := p.Problems()
	requireOne(t, probs, "console.error: \"deliberate console error\"")
	requireOne(t, probs, "deliberate exception")
	requireOne(t, probs, "HTTP 404 for "+srv.URL+"/missing.json")

	for _, s := range []string{"deliberate console error", "deliberate exception", "missing.json", "404"} {
		p.Ignore(s)
	}
	require.Empty(t, p.Problems(), "only the provoked problems were recorded")
	require.Contains(t, p.Requests(), srv.URL+"/missing.json")
}

func requireOne(t *testing.T, probs []string, substr string) {
	t.Helper()
	for _, p := range probs {
		if strings.Contains(p, substr) {
			return
		}
	}
	t.Fatalf("no problem mentions %q in:\n%v", substr, probs)
}

// TestCSPViolationIsCaught: a resource the page's policy forbids is a
// problem, so dashboards' browser tests catch policy regressions.
func TestCSPViolationIsCaught(t *testing.T) {
	b := New(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'")
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><p id="done">page</p><img src="forbidden.png"><script>window.ran = true</script>`))
	}))
	t.Cleanup(srv.Close)

	p := b.Open(t, srv.URL+"/")
	p.WaitFor(`document.getElementById("done") !== null`)
	require.Eventually(t, func() bool { return len(p.Problems()) >= 3 }, Timeout, 50e6)
	probs := strings.Join(p.Problems(), "\n")
	require.Contains(t, probs, "Executing inline script violates the following Content Security Policy")
	require.Contains(t, probs, "Loading the image '"+srv.URL+"/forbidden.png' violates")
	require.Contains(t, probs, "request failed (Image "+srv.URL+"/forbidden.png)")
	p.Ignore("forbidden.png")
	p.Ignore("Executing inline script violates")
	require.False(t, Eval[bool](p, `window.ran === true`))
	require.Empty(t, p.Problems())
}

// TestDenyRemoteRefusesRequests: with DenyRemote a request to a remote host
// fails in the browser (and is reported), while loopback still answers.
func TestDenyRemoteRefusesRequests(t *testing.T) {
	b := New(t, DenyRemote())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><link rel="icon" href="data:,"><p id="p">page</p>`))
	}))
	t.Cleanup(srv.Close)
	p := b.Open(t, srv.URL+"/")
	p.Ignore("192.0.2.1")
	p.WaitFor(`document.getElementById('p')`)
	got := Eval[string](p, `fetch('http://192.0.2.1/x').then(() => 'answered', e => 'refused')`)
	require.Equal(t, "refused", got)
	require.Contains(t, p.Requests(), "http://192.0.2.1/x", "the remote request is still seen")
}
