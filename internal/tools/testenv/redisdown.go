package testenv

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// ClosedPort is a loopback address nothing listens on.
func ClosedPort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// RequireStartsWithRedisDown is the row "Redis unreachable at start" for
// an example, with Redis refused (a closed port) and black-holed (accepts,
// never answers). start runs the example with CACHE_TYPE=redis at
// redisURL, listening on addr, until the test ends; login signs a viewer
// in at base. The example must be ready within 5 s, /readyz must answer
// 200 naming the cache degraded, the cache must compute locally
// (dashkit_cache_shared 0), the viewer must get panelPath, and a logout
// during the outage must hold at once (RequireLogoutRevokes).
func RequireStartsWithRedisDown(t *testing.T, start func(t *testing.T, redisURL, addr string), login func(t *testing.T, base string) *http.Client, panelPath string) {
	for _, tc := range []struct {
		name string
		addr func(testing.TB) string
	}{{"refused", ClosedPort}, {"black-holed", BlackHole}} {
		t.Run(tc.name, func(t *testing.T) {
			addr := ClosedPort(t)
			began := time.Now()
			start(t, "redis://"+tc.addr(t)+"/0", addr)
			base := "http://" + addr

			var ready struct {
				Ready    bool     `json:"ready"`
				Degraded []string `json:"degraded"`
			}
			for {
				res, err := http.Get(base + "/readyz")
				if err == nil {
					ok := res.StatusCode == http.StatusOK && json.NewDecoder(res.Body).Decode(&ready) == nil
					_ = res.Body.Close()
					if ok {
						break
					}
				}
				if time.Since(began) > 10*time.Second {
					t.Fatalf("/readyz did not answer 200 in 10 s (last error %v)", err)
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Logf("ready %v after the start", time.Since(began).Round(time.Millisecond))
			if d := time.Since(began); d >= 5*time.Second {
				t.Fatalf("ready after %v: the start waited for Redis", d)
			}
			if !ready.Ready || !slices.Equal(ready.Degraded, []string{"redis"}) {
				t.Fatalf("/readyz: %+v, want ready and the cache named degraded", ready)
			}
			if m := fetch(t, http.DefaultClient, base+"/metrics"); !strings.Contains(m, "\ndashkit_cache_shared{namespace=\"dashboard\"} 0\n") {
				t.Fatalf("the cache does not say it computes locally (dashkit_cache_shared 0)")
			}
			c := login(t, base)
			fetch(t, c, base+panelPath) // served, computed locally
			// The denylist answers from this replica's revocations
			// meanwhile: a logout during the outage holds at once.
			RequireLogoutRevokes(t, c, base, panelPath)
		})
	}
}

// fetch GETs url with c, requires 200 and returns the body.
func fetch(t testing.TB, c *http.Client, url string) string {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	b, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v: %s", url, res.StatusCode, err, b)
	}
	return string(b)
}
