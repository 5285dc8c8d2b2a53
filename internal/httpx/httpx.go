package httpx

import (
	"encoding/json"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ClientAddr returns the address of the client that sent r, as a key for
// rate limits and logs.
//
// Without trusted proxies it is the connection's peer (r.RemoteAddr without
// its port), and X-Forwarded-For is ignored: any client can write it. When
// the peer is in trusted, the address is taken from X-Forwarded-For (every
// such header, in order), walking from the right: each proxy appends the
// address it saw, so the rightmost hop that is not itself a trusted proxy
// is the first address no one but a trusted proxy could have written.
// Everything to its left is the client's own claim. When every hop is
// trusted, the leftmost one is returned.
func ClientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer := host(r.RemoteAddr)
	if len(trusted) == 0 || !isTrusted(peer, trusted) {
		return peer
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		for hop := range strings.SplitSeq(h, ",") {
			if hop = strings.TrimSpace(hop); hop != "" {
				hops = append(hops, hop)
			}
		}
	}
	if len(hops) == 0 {
		return peer
	}
	for i := len(hops) - 1; i >= 0; i-- {
		if !isTrusted(hops[i], trusted) {
			return hops[i]
		}
	}
	return hops[0]
}

// host strips a port from addr when it has one.
func host(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// isTrusted reports whether addr (an IP, possibly with a port) is in one of
// the prefixes. An address that does not parse is not trusted.
func isTrusted(addr string, trusted []netip.Prefix) bool {
	ip, err := netip.ParseAddr(host(addr))
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Limiter keeps a token bucket (golang.org/x/time/rate) per key, such as a
// client address or a user name. Its zero value is not usable; build it
// with [NewLimiter]. It is safe for concurrent use and starts no goroutine:
// buckets that have filled up again are forgotten as keys arrive, at most
// once a minute, which loses nothing (a new bucket starts full) and keeps
// the map bounded by the keys seen in about a minute.
type Limiter struct {
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	swept   time.Time
}

// sweepEvery is how often a Limiter looks for full buckets to forget.
const sweepEvery = time.Minute

// NewLimiter allows each key limit events per second with bursts of burst.
func NewLimiter(limit rate.Limit, burst int) *Limiter {
	return &Limiter{limit: limit, burst: burst, buckets: make(map[string]*rate.Limiter)}
}

// Allow takes a token from key's bucket, reporting whether there was one.
func (l *Limiter) Allow(key string) bool {
	now := time.Now()
	return l.bucket(key, now).AllowN(now, 1)
}

// Reserve takes a token from key's bucket at now, possibly in the future;
// the caller checks the reservation's delay and may cancel it, which gives
// the token back. It lets a caller pay two buckets or neither, and refund a
// request that should not count.
func (l *Limiter) Reserve(key string, now time.Time) *rate.Reservation {
	return l.bucket(key, now).ReserveN(now, 1)
}

func (l *Limiter) bucket(key string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > sweepEvery {
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[key]
	if b == nil {
		b = rate.NewLimiter(l.limit, l.burst)
		l.buckets[key] = b
	}
	return b
}

// Len returns how many buckets the limiter holds.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// WriteJSON answers v as JSON with status, never cached. A value that does
// not encode answers 500 instead, before anything is written.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
