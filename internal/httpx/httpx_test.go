package httpx_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/dashkit/dashkit/internal/httpx"
)

var proxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}

func TestClientAddr(t *testing.T) {
	for _, tc := range []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"no proxies: the peer", "203.0.113.7:5000", nil, nil, "203.0.113.7"},
		{"no proxies: the header is ignored", "203.0.113.7:5000", []string{"198.51.100.1"}, nil, "203.0.113.7"},
		{"untrusted peer: the header is ignored", "203.0.113.7:5000", []string{"198.51.100.1"}, proxies, "203.0.113.7"},
		{"trusted peer, one hop", "10.0.0.2:5000", []string{"203.0.113.7"}, proxies, "203.0.113.7"},
		{"spoofed hops on the left are the client's claim", "10.0.0.2:5000", []string{"198.51.100.1, 198.51.100.2, 203.0.113.7"}, proxies, "203.0.113.7"},
		{"trusted hops on the right are skipped", "10.0.0.2:5000", []string{"198.51.100.1, 203.0.113.7, 10.1.2.3"}, proxies, "203.0.113.7"},
		{"several headers read in order", "10.0.0.2:5000", []string{"198.51.100.1", "203.0.113.7, 10.1.2.3"}, proxies, "203.0.113.7"},
		{"all hops trusted: the leftmost", "10.0.0.2:5000", []string{"10.9.9.9, 10.1.2.3"}, proxies, "10.9.9.9"},
		{"trusted peer without the header", "10.0.0.2:5000", nil, proxies, "10.0.0.2"},
		{"IPv6 peer", "[::1]:5000", []string{"2001:db8::7"}, proxies, "2001:db8::7"},
		{"IPv4-mapped peer", "[::ffff:10.0.0.2]:5000", []string{"203.0.113.7"}, proxies, "203.0.113.7"},
		{"garbage is a hop no proxy wrote", "10.0.0.2:5000", []string{"203.0.113.7, not-an-ip"}, proxies, "not-an-ip"},
		{"empty hops are skipped", "10.0.0.2:5000", []string{" , 203.0.113.7 ,, "}, proxies, "203.0.113.7"},
		{"a peer without a port", "203.0.113.7", nil, proxies, "203.0.113.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tc.remote
			for _, h := range tc.xff {
				r.Header.Add("X-Forwarded-For", h)
			}
			require.Equal(t, tc.want, httpx.ClientAddr(r, tc.trusted))
		})
	}
}

// FuzzClientAddr: whatever the header holds, the answer is the peer or one
// of the hops, and never a hop left of an untrusted one.
func FuzzClientAddr(f *testing.F) {
	f.Add("10.0.0.2:1", "198.51.100.1, 203.0.113.7")
	f.Add("203.0.113.7:1", "10.0.0.1")
	f.Add("[::1]:1", ",,, ,")
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		got := httpx.ClientAddr(r, proxies)
		if got == "" && strings.TrimSpace(remote) != "" {
			// An empty peer host is possible (":80"); anything else is a hop.
			return
		}
		require.True(t, got == remote || strings.Contains(remote, got) || strings.Contains(xff, got), "%q from %q, %q", got, remote, xff)
	})
}

func TestLimiter(t *testing.T) {
	l := httpx.NewLimiter(rate.Every(time.Hour), 2)
	require.True(t, l.Allow("a"))
	require.True(t, l.Allow("a"))
	require.False(t, l.Allow("a"), "the burst is spent")
	require.True(t, l.Allow("b"), "another key has its own bucket")

	t.Run("cancelled reservations give the token back", func(t *testing.T) {
		now := time.Now()
		r := l.Reserve("c", now)
		require.True(t, r.OK())
		require.Zero(t, r.DelayFrom(now))
		r.CancelAt(now)
		require.True(t, l.Allow("c"))
		require.True(t, l.Allow("c"))
		require.False(t, l.Allow("c"))
	})

	t.Run("full buckets are forgotten", func(t *testing.T) {
		l := httpx.NewLimiter(rate.Every(time.Second), 1)
		start := time.Now()
		for i := range 100 {
			l.Reserve(string(rune('a'+i)), start)
		}
		require.Equal(t, 100, l.Len())
		// Two minutes on, every bucket has filled up again: the next key
		// sweeps them all.
		l.Reserve("late", start.Add(2*time.Minute))
		require.Equal(t, 1, l.Len())
	})
}

func TestWriteJSON(t *testing.T) {
	rec := httptest.NewRecorder()
	httpx.WriteJSON(rec, http.StatusTeapot, map[string]string{"error": "short and stout"})
	require.Equal(t, http.StatusTeapot, rec.Code)
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
	require.JSONEq(t, `{"error":"short and stout"}`, rec.Body.String())

	rec = httptest.NewRecorder()
	httpx.WriteJSON(rec, http.StatusOK, map[string]any{"bad": func() {}})
	require.Equal(t, http.StatusInternalServerError, rec.Code, "a value that does not encode is our failure")
}

func BenchmarkClientAddr(b *testing.B) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.2:5000"
	r.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.1.2.3")
	b.ReportAllocs()
	for b.Loop() {
		if httpx.ClientAddr(r, proxies) != "203.0.113.7" {
			b.Fatal("wrong address")
		}
	}
}

func BenchmarkLimiterAllow(b *testing.B) {
	l := httpx.NewLimiter(rate.Inf, 1)
	b.ReportAllocs()
	for b.Loop() {
		l.Allow("203.0.113.7")
	}
}
