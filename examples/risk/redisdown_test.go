package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// TestStartsWithRedisUnreachable: started with CACHE_TYPE=redis and
// REDIS_URL on a closed port or a black hole, the example starts within
// seconds, /readyz answers 200 naming the cache degraded, the cache
// computes locally, a signed-in viewer gets panels, and a logout during
// the outage holds at once: the examples' Redis denylist has LocalFallback
// on (see README, "Running several replicas").
func TestStartsWithRedisUnreachable(t *testing.T) {
	testenv.RequireStartsWithRedisDown(t, func(t *testing.T, redisURL, addr string) {
		cfg := devConfig(t)
		cfg.Cache, cfg.RedisURL, cfg.Addr = config.CacheRedis, redisURL, addr
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- run(ctx, cfg, options{instruments: 200, demoUsers: true}, quiet) }()
		t.Cleanup(func() {
			cancel()
			require.NoError(t, <-errc)
		})
	}, func(t *testing.T, base string) *http.Client { return loginAs(t, base, "viewer") }, "/panels/var")
}
