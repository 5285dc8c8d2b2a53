package auth_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

var demoUsers = map[string]auth.User{
	"viewer":  {ID: "u-viewer", Name: "Vic", Roles: []auth.Role{auth.Viewer}},
	"analyst": {ID: "u-analyst", Name: "Ana", Roles: []auth.Role{auth.Analyst}},
	"manager": {ID: "u-manager", Name: "Max", Roles: []auth.Role{auth.Manager}},
	"admin":   {ID: "u-admin", Name: "Ada", Roles: []auth.Role{auth.Admin}},
}

func check(_ context.Context, user, password string) (auth.User, error) {
	u, ok := demoUsers[user]
	if !ok || password != user+"-pass" {
		return auth.User{}, auth.ErrBadCredentials
	}
	return u, nil
}

func newAuth(t *testing.T, opts auth.Options) *auth.Auth {
	t.Helper()
	tok, err := auth.NewTokens(auth.TokenOptions{Secret: secret, Issuer: "dashkit", Audience: "dashboards"})
	require.NoError(t, err)
	opts.Tokens = tok
	if opts.Check == nil {
		opts.Check = check
	}
	a, err := auth.New(opts)
	require.NoError(t, err)
	return a
}

// service is a dashboard behind auth, with login and logout, as a host
// mounts it.
func service(t *testing.T, a *auth.Auth) *httptest.Server {
	t.Helper()
	return serviceWith(t, a, 0)
}

// serviceWith is service with the dashboard's heartbeat.
func serviceWith(t *testing.T, a *auth.Auth, heartbeat time.Duration) *httptest.Server {
	t.Helper()
	d, err := dashboard.New("Secure", dashboard.Options{
		Heartbeat:        heartbeat,
		LogoutURL:        "/logout",
		Assets:           fstest.MapFS{"echarts.min.js": {Data: []byte("/**/")}},
		Authorizer:       a,
		FilterPermission: auth.ModifyFilters,
		ExportPermission: auth.ExportData,
		Filters:          []dashboard.Filter{{Name: "site", Options: []components.Option{{Value: "lyon"}, {Value: "porto"}}}},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "kpi", Title: "KPI", Permission: auth.ReadDashboards, Filters: []string{"site"}, Export: true,
				Data: func(context.Context, dashboard.Params) (components.Component, error) {
					return components.Table{Columns: []components.Column{{Title: "x", Numbers: []float64{1}}}}, nil
				}},
		}}},
	})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/login", a.LoginHandler())
	mux.Handle("/logout", a.LogoutHandler())
	mux.Handle("/", a.Require(d))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		_ = d.Close(context.Background())
		srv.Close()
	})
	return srv
}

func login(t *testing.T, srv *httptest.Server, user string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/login", strings.NewReader(url.Values{"user": {user}, "password": {user + "-pass"}, "return": {"/"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	return c
}

func status(t *testing.T, c *http.Client, method, url string, accept string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	res, err := c.Do(req.WithContext(ctx))
	require.NoError(t, err)
	res.Body.Close() // an event stream is cut here; its status is known
	return res.StatusCode
}

// TestRoleRouteMatrix: who may do what, on every endpoint of a real
// dashboard — enforced by the server, not only by what the page shows.
func TestRoleRouteMatrix(t *testing.T) {
	a := newAuth(t, auth.Options{})
	srv := service(t, a)
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	routes := []struct {
		name, path, accept string
	}{
		{"page", "/", "text/html"},
		{"panel data", "/panels/kpi", "application/json"},
		{"events", "/events", "text/event-stream"},
		{"shared view", "/panels/kpi?site=porto", "application/json"},
		{"export", "/export/kpi.csv", "text/csv"},
	}
	// Opening a view by its link is reading (the dashboard's
	// ViewPermission is unset); ModifyFilters decides who is offered the
	// controls, which TestLoginPageAndHeaderJourney checks on the page.
	want := map[string][]int{ // page, panel, events, shared view, export
		"anonymous": {303, 401, 401, 401, 401},
		"viewer":    {200, 200, 200, 200, 403},
		"analyst":   {200, 200, 200, 200, 200},
		"manager":   {200, 200, 200, 200, 200},
		"admin":     {200, 200, 200, 200, 200},
	}
	for who, codes := range want {
		c := anon
		if who != "anonymous" {
			c = login(t, srv, who)
		}
		for i, r := range routes {
			require.Equal(t, codes[i], status(t, c, http.MethodGet, srv.URL+r.path, r.accept), "%s → %s", who, r.name)
		}
	}
}

func TestLoginRedirectsOnlyToLocalPaths(t *testing.T) {
	a := newAuth(t, auth.Options{LoginBurst: 100})
	srv := service(t, a)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(srv.URL + "/events?x=1")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode, "no Accept: text/html, so no redirect")

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/?site=porto", nil)
	req.Header.Set("Accept", "text/html")
	res, err = c.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, "/login?return=%2F%3Fsite%3Dporto", res.Header.Get("Location"))

	for ret, want := range map[string]string{
		"/ops/?site=porto":      "/ops/?site=porto",
		"https://evil.example/": "/",
		"//evil.example/":       "/",
		"/\\evil.example":       "/",
		"javascript:alert(1)":   "/",
		"":                      "/",
	} {
		t.Run("return "+ret, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/login", strings.NewReader(url.Values{"user": {"viewer"}, "password": {"viewer-pass"}, "return": {ret}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := c.Do(req)
			require.NoError(t, err)
			res.Body.Close()
			require.Equal(t, want, res.Header.Get("Location"))
		})
	}
}

func TestSixthWrongPasswordIs429AndUnknownUsersLookTheSame(t *testing.T) {
	a := newAuth(t, auth.Options{})
	try := func(user, password, addr string) (int, string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"user": {user}, "password": {password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.RemoteAddr = addr
		a.LoginHandler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	codeWrong, bodyWrong := try("admin", "nope", "10.0.0.1:1")
	codeUnknown, bodyUnknown := try("mallory", "nope", "10.0.0.2:1")
	require.Equal(t, http.StatusUnauthorized, codeWrong)
	require.Equal(t, codeWrong, codeUnknown)
	require.Equal(t, bodyWrong, bodyUnknown, "an unknown user gets the same answer as a wrong password")

	// The same user from one address: the sixth attempt within the window
	// is refused even with the right password.
	for range 4 {
		code, _ := try("admin", "nope", "10.0.0.1:2")
		require.Equal(t, http.StatusUnauthorized, code)
	}
	code, _ := try("admin", "admin-pass", "10.0.0.1:3")
	require.Equal(t, http.StatusTooManyRequests, code, "sixth attempt for admin from 10.0.0.1")
	// The same user from another address, and another user from the
	// first, are unaffected.
	code, _ = try("admin", "admin-pass", "10.9.9.9:1")
	require.Equal(t, http.StatusOK, code)
	code, _ = try("viewer", "viewer-pass", "10.0.0.1:4")
	require.Equal(t, http.StatusOK, code)

	// A team behind one address signing in all morning: successful
	// sign-ins do not count, failures still do.
	for i := range 30 {
		user := []string{"viewer", "analyst", "manager"}[i%3]
		code, _ := try(user, user+"-pass", "10.7.7.7:1")
		require.Equal(t, http.StatusOK, code, "sign-in %d from one address", i+1)
	}
	for range 5 {
		code, _ := try("manager", "typo", "10.7.7.7:1")
		require.Equal(t, http.StatusUnauthorized, code)
	}
	code, _ = try("manager", "manager-pass", "10.7.7.7:1")
	require.Equal(t, http.StatusTooManyRequests, code, "five failures exhaust manager's attempts from the address")
	code, _ = try("analyst", "analyst-pass", "10.7.7.7:1")
	require.Equal(t, http.StatusOK, code, "but not the address's, nor the other users'")
}

func TestTokenReplayedAfterLogoutIs401(t *testing.T) {
	a := newAuth(t, auth.Options{})
	srv := service(t, a)
	c := login(t, srv, "viewer")
	u, _ := url.Parse(srv.URL)
	token := c.Jar.Cookies(u)[0].Value
	require.Equal(t, http.StatusOK, status(t, c, http.MethodGet, srv.URL+"/panels/kpi", ""))

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/logout", nil)
	res, err := c.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusNoContent, res.StatusCode)

	replay, _ := http.NewRequest(http.MethodGet, srv.URL+"/panels/kpi", nil)
	replay.Header.Set("Authorization", "Bearer "+token)
	res, err = http.DefaultClient.Do(replay)
	require.NoError(t, err)
	var body map[string]string
	require.NoError(t, json.NewDecoder(res.Body).Decode(&body))
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Equal(t, "authentication required", body["error"])
}

func TestRoleClaimedThroughAHeaderIsIgnored(t *testing.T) {
	a := newAuth(t, auth.Options{})
	srv := service(t, a)
	c := login(t, srv, "viewer")
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/export/kpi.csv", nil)
	req.Header.Set("X-Role", "admin")
	req.Header.Set("X-User-Roles", "admin")
	res, err := c.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusForbidden, res.StatusCode)
	anon, _ := http.NewRequest(http.MethodGet, srv.URL+"/panels/kpi", nil)
	anon.Header.Set("X-Role", "admin")
	res, err = http.DefaultClient.Do(anon)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
}

// TestCrossOriginStateChangeIsRefused: a cookie-authenticated POST from
// another origin (a CSRF attempt) gets 403.
func TestCrossOriginStateChangeIsRefused(t *testing.T) {
	a := newAuth(t, auth.Options{})
	srv := service(t, a)
	c := login(t, srv, "admin")
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/logout", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := c.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusForbidden, res.StatusCode)

	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/panels/kpi", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err = c.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusForbidden, res.StatusCode, "the middleware refuses it before the route")
}

func TestPolicy(t *testing.T) {
	p := auth.DefaultPolicy()
	require.True(t, p.Can([]auth.Role{auth.Viewer}, auth.ReadDashboards))
	require.False(t, p.Can([]auth.Role{auth.Viewer}, auth.ExportData))
	require.True(t, p.Can([]auth.Role{auth.Analyst}, auth.ExportData))
	require.False(t, p.Can([]auth.Role{auth.Analyst}, auth.ModifyFilters))
	require.True(t, p.Can([]auth.Role{auth.Manager}, auth.ModifyFilters))
	require.True(t, p.Can([]auth.Role{auth.Admin}, "anything_custom"))
	require.False(t, p.Can([]auth.Role{"ghost"}, auth.ReadDashboards))
	custom, err := auth.NewPolicy(map[auth.Role][]auth.Permission{"auditor": {"view_audit"}})
	require.NoError(t, err)
	require.True(t, custom.Can([]auth.Role{"auditor"}, "view_audit"))
	_, err = auth.NewPolicy(map[auth.Role][]auth.Permission{"": {"x"}})
	require.ErrorIs(t, err, auth.ErrConfig)
}

// TestSpoofedForwardedForDoesNotBypassLoginLimits is the attacker's test:
// behind a proxy the host trusts, a client sprays passwords over many user
// names and puts a fresh address in X-Forwarded-For on every attempt. The
// proxy appends the address it really saw, so the address's limit (20
// failures, whatever the user) must follow that hop — the rightmost one
// the host does not trust — and not the leftmost, which the client wrote.
func TestSpoofedForwardedForDoesNotBypassLoginLimits(t *testing.T) {
	a := newAuth(t, auth.Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	codes := map[int]int{}
	for i := range 30 {
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"user": {fmt.Sprintf("user%d", i)}, "password": {"guess"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		req.RemoteAddr = "127.0.0.1:40000" // the proxy
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d, 203.0.113.7", i+1))
		rec := httptest.NewRecorder()
		a.LoginHandler().ServeHTTP(rec, req)
		codes[rec.Code]++
	}
	require.Equal(t, 20, codes[http.StatusUnauthorized], "twenty failures from 203.0.113.7 count")
	require.Equal(t, 10, codes[http.StatusTooManyRequests], "then the address is refused, whatever the client writes in X-Forwarded-For")
}
