package auth_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/auth"
)

func page(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "text/html")
	res, err := c.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// A person signs in with a typo, sees the dashboard named and the user name
// kept, signs in, sees who they are with a way out, and signs out.
func TestLoginPageAndHeaderJourney(t *testing.T) {
	a := newAuth(t, auth.Options{Title: "Secure <Ops>"})
	srv := service(t, a)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	code, form := page(t, c, srv.URL+"/login?return=%2F%3Fsite%3Dporto")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, form, "<title>Sign in · Secure &lt;Ops&gt;</title>")
	require.Contains(t, form, `<p class="sub">to Secure &lt;Ops&gt;</p>`)

	res, err := c.PostForm(srv.URL+"/login", url.Values{"user": {"manager"}, "password": {"typo"}, "return": {"/?site=porto"}})
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	require.Contains(t, string(b), `value="manager"`, "the user name stays after a wrong password")
	require.NotContains(t, string(b), "typo", "the password never comes back")
	require.Contains(t, string(b), `name="return" value="/?site=porto"`, "and so does the view to return to")

	mc := login(t, srv, "manager")
	code, dash := page(t, mc, srv.URL+"/?site=porto")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, dash, `Signed in as <strong class="dk-user-name">Max</strong> <span class="dk-user-role">(manager)</span>`)

	vc := login(t, srv, "viewer")
	_, viewer := page(t, vc, srv.URL+"/?site=porto")
	require.Contains(t, viewer, "(viewer)")
	require.NotContains(t, viewer, `data-filter="site"`, "a viewer reads the shared view without the controls")
}

func streamEvents(t *testing.T, c *http.Client, u string) (<-chan string, *http.Response) {
	t.Helper()
	res, err := c.Get(u)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode)
	t.Cleanup(func() { res.Body.Close() })
	events := make(chan string, 64)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
	}()
	return events, res
}

func waitEnd(t *testing.T, events <-chan string, within time.Duration) []string {
	t.Helper()
	var names []string
	deadline := time.After(within)
	for {
		select {
		case name, ok := <-events:
			if !ok {
				return names
			}
			names = append(names, name)
		case <-deadline:
			t.Fatalf("the stream was still open after %v (events: %v)", within, names)
		}
	}
}

// Logging out in another tab ends an open stream of the same session at
// its next heartbeat; a short-lived token's stream ends at its expiry.
func TestStreamsEndWithTheToken(t *testing.T) {
	t.Run("logout", func(t *testing.T) {
		a := newAuth(t, auth.Options{})
		srv := serviceWith(t, a, 200*time.Millisecond)
		c := login(t, srv, "viewer")
		events, _ := streamEvents(t, c, srv.URL+"/events")
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/logout", nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := c.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		names := waitEnd(t, events, 3*time.Second)
		require.Equal(t, "session", names[len(names)-1])
	})
	t.Run("expiry", func(t *testing.T) {
		tok, err := auth.NewTokens(auth.TokenOptions{Secret: secret, Issuer: "dashkit", Audience: "dashboards", Lifetime: 2 * time.Second})
		require.NoError(t, err)
		a, err := auth.New(auth.Options{Tokens: tok, Check: check})
		require.NoError(t, err)
		srv := serviceWith(t, a, time.Hour) // no heartbeat: the expiry alone ends it
		c := login(t, srv, "viewer")
		start := time.Now()
		events, _ := streamEvents(t, c, srv.URL+"/events")
		names := waitEnd(t, events, 5*time.Second)
		require.Equal(t, "session", names[len(names)-1])
		require.Less(t, time.Since(start), 4*time.Second)
	})
}

func TestIdentifyAndCheckSessionWithoutClaims(t *testing.T) {
	a := newAuth(t, auth.Options{})
	r, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "/", nil)
	_, _, ok := a.Identify(r)
	require.False(t, ok)
	end, valid := a.CheckSession(r.Context(), r)
	require.True(t, valid, "no claims: the middleware decided")
	require.True(t, end.IsZero())
}
