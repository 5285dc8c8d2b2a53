package main

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/config"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// TestStartsWithRedisUnreachable is examples/risk's row for this example
// (testenv.RequireStartsWithRedisDown): it starts, serves panels computed
// locally and honours a logout while Redis is refused or black-holed.
func TestStartsWithRedisUnreachable(t *testing.T) {
	testenv.RequireStartsWithRedisDown(t, func(t *testing.T, redisURL, addr string) {
		cfg := devConfig(t)
		cfg.Cache, cfg.RedisURL, cfg.Addr = config.CacheRedis, redisURL, addr
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		opts := options{sqlite: filepath.Join(t.TempDir(), "plant.db"), history: 6, demoUsers: true}
		go func() { errc <- run(ctx, cfg, opts, quiet) }()
		t.Cleanup(func() {
			cancel()
			require.NoError(t, <-errc)
		})
	}, func(t *testing.T, base string) *http.Client { return loginAs(t, base, "viewer") }, "/panels/pareto")
}
