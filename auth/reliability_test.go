package auth_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/auth"
)

// clock is a fake clock the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newAuthTokens is a token service for options built by hand.
func newAuthTokens(t *testing.T) *auth.Tokens {
	t.Helper()
	tok, err := auth.NewTokens(auth.TokenOptions{Secret: secret, Issuer: "dashkit", Audience: "dashboards"})
	require.NoError(t, err)
	return tok
}

// attempt posts a sign-in from addr and returns the status and the
// Retry-After header.
func attempt(a *auth.Auth, user, password, addr string) (int, string) {
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"user": {user}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	a.LoginHandler().ServeHTTP(rec, req)
	return rec.Code, rec.Header().Get("Retry-After")
}

// TestReliabilityRows replays the acceptance rows of hardening #15 that
// package auth answers, one subtest per row, named after it (the
// dashboard's rows are dashboard.TestReliabilityRows; the same lockout
// rows over Redis are redislimiter.TestLockoutRowsAcrossReplicas).
func TestReliabilityRows(t *testing.T) {
	t.Run("a 10 MB login body → 413, not 400", func(t *testing.T) {
		a := newAuth(t, auth.Options{})
		body := "user=admin&password=" + strings.Repeat("a", 10<<20)
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		a.LoginHandler().ServeHTTP(rec, req)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		require.Empty(t, rec.Result().Cookies())
	})

	t.Run("lockout: an attacker from another address cannot lock a user out", func(t *testing.T) {
		a := newAuth(t, auth.Options{})
		codes := map[int]int{}
		for range 50 {
			code, _ := attempt(a, "admin", "guess", "203.0.113.66:4000")
			codes[code]++
		}
		require.Equal(t, 5, codes[http.StatusUnauthorized], "the attacker gets five guesses")
		require.Equal(t, 45, codes[http.StatusTooManyRequests])
		code, _ := attempt(a, "admin", "admin-pass", "198.51.100.7:5000")
		require.Equal(t, http.StatusOK, code, "the user, from their own address, still signs in")
		code, _ = attempt(a, "ADMIN", "admin-pass", "203.0.113.66:4001")
		require.Equal(t, http.StatusTooManyRequests, code, "from the attacker's address the user name is locked, in any case")
	})

	t.Run("lockout: Retry-After is the real wait", func(t *testing.T) {
		c := &clock{now: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}
		tok, err := auth.NewTokens(auth.TokenOptions{Secret: secret, Issuer: "dashkit", Audience: "dashboards", Now: c.Now})
		require.NoError(t, err)
		a, err := auth.New(auth.Options{Tokens: tok, Check: check})
		require.NoError(t, err)
		const from = "203.0.113.9:1"

		// Per user from one address: five failures, then a wait of one
		// refill (12 s with the defaults).
		for range 5 {
			code, _ := attempt(a, "admin", "guess", from)
			require.Equal(t, http.StatusUnauthorized, code)
		}
		code, after := attempt(a, "admin", "admin-pass", from)
		require.Equal(t, http.StatusTooManyRequests, code)
		require.Equal(t, "12", after)
		c.Advance(11 * time.Second)
		code, after = attempt(a, "admin", "admin-pass", from)
		require.Equal(t, http.StatusTooManyRequests, code, "one second early")
		require.Equal(t, "1", after)
		c.Advance(time.Second)
		code, _ = attempt(a, "admin", "admin-pass", from)
		require.Equal(t, http.StatusOK, code, "exactly Retry-After later")

		// Per address: twenty failures over twenty user names, then a
		// wait of one refill of the looser limit (3 s).
		const spray = "203.0.113.10:1"
		for i := range 20 {
			code, _ := attempt(a, fmt.Sprintf("user%d", i), "guess", spray)
			require.Equal(t, http.StatusUnauthorized, code)
		}
		code, after = attempt(a, "viewer", "viewer-pass", spray)
		require.Equal(t, http.StatusTooManyRequests, code)
		require.Equal(t, "3", after)
		c.Advance(3 * time.Second)
		code, _ = attempt(a, "viewer", "viewer-pass", spray)
		require.Equal(t, http.StatusOK, code, "exactly Retry-After later")
	})
	t.Run("cookie flags: __Host- in production, a plain name on http in development", func(t *testing.T) {
		for _, tc := range []struct {
			secure      bool
			name, plain string
		}{
			{true, "__Host-dashkit_session", "dashkit_session"},
			{false, "dashkit_session", "__Host-dashkit_session"},
		} {
			a := newAuth(t, auth.Options{Secure: tc.secure})
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("user=admin&password=admin-pass"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			a.LoginHandler().ServeHTTP(rec, req)
			cookies := rec.Result().Cookies()
			require.Len(t, cookies, 1)
			c := cookies[0]
			require.Equal(t, tc.name, c.Name)
			require.Equal(t, tc.secure, c.Secure, "Secure in production, which __Host- needs")
			require.Equal(t, "/", c.Path, "__Host- needs Path=/")
			require.Empty(t, c.Domain, "__Host- needs a host-only cookie")
			require.True(t, c.HttpOnly)
			require.Equal(t, http.SameSiteLaxMode, c.SameSite)

			// The middleware reads the cookie under that name, and only
			// that one: in production a plain-named cookie (which a
			// subdomain or a plain-http page could set) is not a session.
			protected := a.Require(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
			get := func(name string) int {
				req := httptest.NewRequest(http.MethodGet, "/panels/x", nil)
				req.AddCookie(&http.Cookie{Name: name, Value: c.Value})
				rec := httptest.NewRecorder()
				protected.ServeHTTP(rec, req)
				return rec.Code
			}
			require.Equal(t, http.StatusNoContent, get(tc.name))
			require.Equal(t, http.StatusUnauthorized, get(tc.plain))

			// Logout clears the same cookie (same name, path and flags)
			// and revokes its token.
			req = httptest.NewRequest(http.MethodPost, "/logout", nil)
			req.AddCookie(&http.Cookie{Name: tc.name, Value: c.Value})
			rec = httptest.NewRecorder()
			a.LogoutHandler().ServeHTTP(rec, req)
			require.Equal(t, http.StatusNoContent, rec.Code)
			cleared := rec.Result().Cookies()
			require.Len(t, cleared, 1)
			require.Equal(t, tc.name, cleared[0].Name)
			require.Negative(t, cleared[0].MaxAge)
			require.Equal(t, "/", cleared[0].Path)
			require.Equal(t, tc.secure, cleared[0].Secure)
			require.Equal(t, http.StatusUnauthorized, get(tc.name), "revoked: the logout read the cookie too")
		}
		_, err := auth.New(auth.Options{Tokens: newAuthTokens(t), CookieName: "__Host-s"})
		require.ErrorIs(t, err, auth.ErrConfig, "a __Host- name without Secure would be refused by every browser")
	})
}
