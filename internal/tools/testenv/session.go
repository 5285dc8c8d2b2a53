package testenv

import (
	"io"
	"net/http"
	"net/url"
	"testing"
)

// RequireLogoutRevokes logs the client out of the app at base (POST
// /logout) and checks that the session's token, sent again by hand after
// the browser would have dropped it, is refused (401) on path: the
// revocation holds on the server, not only in the cookie jar.
func RequireLogoutRevokes(t testing.TB, c *http.Client, base, path string) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	cookies := c.Jar.Cookies(u)
	if len(cookies) == 0 {
		t.Fatalf("testenv: no session cookie for %s", base)
	}
	res, err := c.Post(base+"/logout", "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatalf("testenv: logout: %v", err)
	}
	_ = res.Body.Close()
	if res.StatusCode >= 400 {
		t.Fatalf("testenv: logout answered %d", res.StatusCode)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+path, nil)
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("testenv: GET %s: %v", path, err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("testenv: GET %s with the logged-out token answered %d, want 401: %s", path, res.StatusCode, body)
	}
}
