package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// TestStartsWithRedisUnreachable: started with CACHE_TYPE=redis and
// REDIS_URL on a closed port or a black hole (accepts, never answers), the
// example starts within seconds; /readyz answers 200 and names the cache
// as degraded; the cache says it computes locally (dashkit_cache_shared
// 0); sign-in works and a signed-in viewer gets panels, computed locally.
// The examples' Redis denylist has LocalFallback on (see README, "Running
// several replicas"): while Redis cannot be asked it answers from this
// replica's revocations, so a logout during the outage is refused at once.
func TestStartsWithRedisUnreachable(t *testing.T) {
	for _, tc := range []struct {
		name string
		addr func(t *testing.T) string
	}{
		{"refused", func(t *testing.T) string { return closedPort(t) }},
		{"black-holed", func(t *testing.T) string { return testenv.BlackHole(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := devConfig(t)
			cfg.Cache = config.CacheRedis
			cfg.RedisURL = "redis://" + tc.addr(t) + "/0"
			cfg.Addr = closedPort(t)
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			start := time.Now()
			go func() { errc <- run(ctx, cfg, options{instruments: 200, demoUsers: true}, quiet) }()
			t.Cleanup(func() {
				cancel()
				require.NoError(t, <-errc)
			})
			base := "http://" + cfg.Addr

			var ready struct {
				Ready    bool     `json:"ready"`
				Degraded []string `json:"degraded"`
			}
			require.Eventually(t, func() bool {
				res, err := http.Get(base + "/readyz")
				if err != nil {
					return false
				}
				defer res.Body.Close()
				return res.StatusCode == http.StatusOK && json.NewDecoder(res.Body).Decode(&ready) == nil
			}, 10*time.Second, 20*time.Millisecond, "/readyz answers 200")
			t.Logf("ready %v after the start", time.Since(start).Round(time.Millisecond))
			require.Less(t, time.Since(start), 5*time.Second, "the start does not wait for Redis")
			require.True(t, ready.Ready)
			require.Equal(t, []string{"redis"}, ready.Degraded, "/readyz names the degraded cache")
			require.Contains(t, get(t, http.DefaultClient, base+"/metrics", http.StatusOK), "\ndashkit_cache_shared{namespace=\"dashboard\"} 0\n", "the cache computes locally")

			c := loginAs(t, base, "viewer")
			get(t, c, base+"/panels/var", http.StatusOK) // served, computed locally
			// The denylist answers from this replica's revocations
			// meanwhile: a logout during the outage holds at once.
			testenv.RequireLogoutRevokes(t, c, base, "/panels/var")
		})
	}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// get fetches url with c and checks the status; it returns the body.
func get(t *testing.T, c *http.Client, url string, status int) string {
	t.Helper()
	res, err := c.Get(url)
	require.NoError(t, err)
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	require.Equal(t, status, res.StatusCode, "GET %s: %s", url, b)
	return strings.ReplaceAll(string(b), "\r", "")
}
