package redisstore_test

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/cache/redisstore"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// TestRedisOutageDegradesAndRecovers kills a Redis mid-test: calls keep
// returning computed values, and hits resume once it is back.
func TestRedisOutageDegradesAndRecovers(t *testing.T) {
	srv := testenv.PrivateRedis(t)
	client := redis.NewClient(&redis.Options{Addr: srv.Addr(), MaxRetries: -1, DialTimeout: 50 * time.Millisecond, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = client.Close() })
	store := newRedis[string](t, client, redisstore.Options{Timeout: 50 * time.Millisecond, RetryAfter: 100 * time.Millisecond})
	reg := prometheus.NewRegistry()
	var calls atomic.Int64
	load := func(_ context.Context, k string) (string, error) {
		return fmt.Sprintf("value-%s-%d", k, calls.Add(1)), nil
	}
	c := newCache(t, load, cache.Options[string, string]{Namespace: "outage", Store: store, Registerer: reg})
	hits := func() float64 { return metric(t, reg, "dashkit_cache_hits_total") }

	v, err := c.Get(t.Context(), "k")
	require.NoError(t, err)
	require.Equal(t, "value-k-1", v)
	v, err = c.Get(t.Context(), "k")
	require.NoError(t, err)
	require.Equal(t, "value-k-1", v)
	require.Equal(t, 1.0, hits())

	srv.Kill()
	for i := range 20 {
		v, err := c.Get(t.Context(), "k")
		require.NoError(t, err, "Redis down is not the caller's error")
		require.Equal(t, "value-k-"+strconv.Itoa(i+2), v, "the value is computed")
	}
	require.Equal(t, 1.0, hits())
	require.Positive(t, metric(t, reg, "dashkit_cache_store_errors_total"))

	srv.Start() // back, empty, on the same port
	require.Eventually(t, func() bool {
		_, err := c.Get(t.Context(), "k")
		return err == nil && hits() > 1
	}, 10*time.Second, 50*time.Millisecond, "hits resume by themselves")
}
