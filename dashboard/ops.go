package dashboard

import (
	"context"
	"net/http"
	"time"

	"github.com/dashkit/dashkit/internal/httpx"
)

// serveReady is GET /readyz: 200 when every ReadyCheck passes within five
// seconds, else 503 naming the checks that failed (their errors go to the
// log).
func (d *Dashboard) serveReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	var failed, degraded []string
	for _, c := range d.opts.ReadyChecks {
		if err := c.Check(ctx); err != nil {
			d.log.Warn("dashboard: not ready", "check", c.Name, "degraded_only", c.Degraded, "error", err)
			if c.Degraded {
				degraded = append(degraded, c.Name)
			} else {
				failed = append(failed, c.Name)
			}
		}
	}
	status, body := http.StatusOK, map[string]any{"ready": len(failed) == 0}
	if len(failed) > 0 {
		status, body["failed"] = http.StatusServiceUnavailable, failed
	}
	if len(degraded) > 0 {
		body["degraded"] = degraded
	}
	httpx.WriteJSON(w, status, body)
}

// serveSession is GET /session: 204 while the request's session holds and
// its view is one the user may open. The runtime asks it when the event
// stream fails, to tell a lost session (401 from the host's middleware, or
// here), a refused view (400, 403) and a network failure apart.
func (d *Dashboard) serveSession(w http.ResponseWriter, r *http.Request) {
	if s := d.opts.Sessions; s != nil {
		if _, ok := s.CheckSession(r.Context(), r); !ok {
			d.fail(w, r, http.StatusUnauthorized, "Your session has ended.")
			return
		}
	}
	if _, ok := d.viewOf(w, r); !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// middleware wraps every route: security headers, a request body limit, and
// the per-client rate limit.
func (d *Dashboard) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !d.enter() {
			d.fail(w, r, http.StatusServiceUnavailable, "The dashboard is shutting down. Try again in a moment.")
			return
		}
		defer d.reqs.Done()
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if d.opts.HSTS {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, d.opts.MaxBodyBytes)
		}
		if d.limiter != nil && !d.limiter.Allow(httpx.ClientAddr(r, d.opts.TrustedProxies)) {
			h.Set("Retry-After", "1")
			d.fail(w, r, http.StatusTooManyRequests, "Too many requests from your address. Try again in a second.")
			return
		}
		if probe := r.URL.Path == "/healthz" || r.URL.Path == "/readyz"; !probe && !d.allowed(r, d.opts.ReadPermission) {
			d.fail(w, r, http.StatusForbidden, "You may not read this dashboard. Ask an administrator for a role that may.")
			return
		}
		next.ServeHTTP(w, r)
	})
}
