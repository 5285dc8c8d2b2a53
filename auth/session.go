package auth

import (
	"context"
	"net/http"
	"time"
)

// Identify returns the display name (the user ID when the token has none)
// and the roles of the request's user, set by [Auth.Require]; ok is false
// without one. It makes an Auth a dashboard.Identifier, so the page's
// header can say who is signed in.
func (a *Auth) Identify(r *http.Request) (name string, roles []string, ok bool) {
	c, ok := FromContext(r.Context())
	if !ok {
		return "", nil, false
	}
	name = c.Name
	if name == "" {
		name = c.Subject
	}
	roles = make([]string, len(c.Roles))
	for i, role := range c.Roles {
		roles[i] = string(role)
	}
	return name, roles, true
}

// CheckSession returns when the request's session ends (its token's
// expiry) and whether it holds now: unexpired and not revoked. A request
// that [Auth.Require] let through without claims has no session to end and
// holds. It makes an Auth a dashboard.SessionChecker, so an open event
// stream ends at its token's expiry and at the first heartbeat after
// logout.
//
// When the [Denylist] cannot be asked (Redis down), the session holds: it
// was valid when the stream opened, and the next check asks again. New
// requests are refused meanwhile, as [Auth.Require] fails closed.
func (a *Auth) CheckSession(ctx context.Context, r *http.Request) (end time.Time, valid bool) {
	c, ok := FromContext(r.Context())
	if !ok {
		return time.Time{}, true
	}
	if c.ExpiresAt != nil {
		end = c.ExpiresAt.Time
		if !a.now().Before(end) {
			return end, false
		}
	}
	revoked, err := a.opts.Denylist.Revoked(ctx, c.ID)
	if err != nil {
		a.log.Warn("auth: denylist unavailable; the session holds until the next check", "error", err)
		return end, true
	}
	return end, !revoked
}

func (a *Auth) now() time.Time {
	if now := a.opts.Tokens.opts.Now; now != nil {
		return now()
	}
	return time.Now()
}

// UserID returns the subject of the request's token, set by
// [Auth.Require]; ok is false without one. It makes an Auth a
// dashboard.UserIDer, so per-user limits (such as the dashboard's stream
// cap) count a user's requests together whatever address they come from.
func (a *Auth) UserID(r *http.Request) (id string, ok bool) {
	c, ok := FromContext(r.Context())
	if !ok || c.Subject == "" {
		return "", false
	}
	return c.Subject, true
}
