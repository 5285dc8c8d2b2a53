package redisstore_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/cache/cachetest"
	"github.com/dashkit/dashkit/cache/redisstore"
	"github.com/dashkit/dashkit/internal/promutil"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func newRedisClient(t *testing.T) *redis.Client {
	t.Helper()
	opts, err := redisstore.ClientOptions(testenv.RedisURL(t))
	require.NoError(t, err)
	client := redis.NewClient(opts)
	t.Cleanup(func() { _ = client.Close() })
	require.NoError(t, client.Ping(t.Context()).Err(), "%s must point at a live Redis", testenv.RedisVar)
	return client
}

func newRedis[V any](t *testing.T, client *redis.Client, opts redisstore.Options) *redisstore.Store[V] {
	t.Helper()
	if opts.Timeout == 0 {
		// The conformance suite checks behaviour, not latency: the
		// client now honours the deadline, and a loaded CI machine can
		// take longer than the default 50 ms.
		opts.Timeout = 2 * time.Second
	}
	s, err := redisstore.New[V](client, opts)
	require.NoError(t, err)
	return s
}

func newMemory[V any](t *testing.T) *cache.MemoryStore[V] {
	t.Helper()
	m, err := cache.NewMemoryStore(cache.MemoryOptions[V]{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close() })
	return m
}

func newCache[K comparable, V any](t *testing.T, load cache.LoadFunc[K, V], opts cache.Options[K, V]) *cache.Cache[K, V] {
	t.Helper()
	c, err := cache.New(load, opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Close()) })
	return c
}

// metric sums a metric's samples in reg.
func metric(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	n, err := promutil.Sum(reg, name)
	require.NoError(t, err)
	return n
}

func TestConformance(t *testing.T) {
	client := newRedisClient(t)
	for _, tc := range []struct {
		name  string
		codec redisstore.Codec
	}{
		{"json", redisstore.JSON()},
		{"gob", redisstore.Gob()},
		{"msgpack", redisstore.Msgpack()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cachetest.Run(t, cachetest.Options{ExactDeletePrefix: true}, func(t *testing.T) cache.Store[cachetest.Value] {
				return newRedis[cachetest.Value](t, client, redisstore.Options{Codec: tc.codec})
			})
		})
	}
}

func TestChainConformance(t *testing.T) {
	client := newRedisClient(t)
	cachetest.Run(t, cachetest.Options{ExactDeletePrefix: true}, func(t *testing.T) cache.Store[cachetest.Value] {
		c, err := cache.NewChain(newMemory[cachetest.Value](t), newRedis[cachetest.Value](t, client, redisstore.Options{}), cache.ChainOptions{})
		require.NoError(t, err)
		return c
	})
}

// TestUndecodableEntryIsAMiss: a value another writer (or an older deploy)
// left under a key is a miss, and the load overwrites it.
func TestUndecodableEntryIsAMiss(t *testing.T) {
	client := newRedisClient(t)
	store := newRedis[float64](t, client, redisstore.Options{})
	l := func(context.Context, string) (float64, error) { return 4.2, nil }
	c := newCache(t, l, cache.Options[string, float64]{Namespace: "undecodable", Store: store})
	key := "undecodable:v1:k"
	require.NoError(t, client.Set(t.Context(), key, "{not json", time.Minute).Err())
	t.Cleanup(func() { client.Del(context.Background(), key) })

	_, err := store.Get(t.Context(), key)
	require.ErrorIs(t, err, cache.ErrNotFound)
	v, err := c.Get(t.Context(), "k")
	require.NoError(t, err)
	require.Equal(t, 4.2, v)
	raw, err := client.Get(t.Context(), key).Result()
	require.NoError(t, err)
	require.Contains(t, raw, `"v":4.2`)
}

func TestInvalidOptions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		client redis.UniversalClient
		opts   redisstore.Options
	}{
		{"nil client", nil, redisstore.Options{}},
		{"negative timeout", redis.NewClient(&redis.Options{ContextTimeoutEnabled: true}), redisstore.Options{Timeout: -1}},
		{"negative retry", redis.NewClient(&redis.Options{ContextTimeoutEnabled: true}), redisstore.Options{RetryAfter: -1}},
		{"client ignores deadlines", redis.NewClient(&redis.Options{}), redisstore.Options{}},
		{"cluster client ignores deadlines", redis.NewClusterClient(&redis.ClusterOptions{}), redisstore.Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.client != nil {
				defer tc.client.Close()
			}
			_, err := redisstore.New[int](tc.client, tc.opts)
			require.ErrorIs(t, err, cache.ErrInvalidOptions)
		})
	}
}

// The codecs are functions returning fresh values: nothing a program can
// reassign for every other user of the package.
func TestCodecsRoundTrip(t *testing.T) {
	type v struct {
		A string
		B []float64
	}
	for _, tc := range []struct {
		name  string
		codec redisstore.Codec
	}{
		{"json", redisstore.JSON()},
		{"gob", redisstore.Gob()},
		{"msgpack", redisstore.Msgpack()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.codec.Marshal(v{"x", []float64{1, 2.5}})
			require.NoError(t, err)
			var got v
			require.NoError(t, tc.codec.Unmarshal(b, &got))
			require.Equal(t, v{"x", []float64{1, 2.5}}, got)
		})
	}
}

const benchKey = "Energy"

// BenchmarkHit is a Cache hit through the Redis store: about one loopback
// round trip plus JSON decoding. Compare with redis-benchmark.
func BenchmarkHit(b *testing.B) {
	opts, err := redisstore.ClientOptions(testenv.RedisURL(b))
	if err != nil {
		b.Fatal(err)
	}
	client := redis.NewClient(opts)
	defer client.Close()
	store, err := redisstore.New[float64](client, redisstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	c, err := cache.New(func(context.Context, string) (float64, error) { return 42, nil }, cache.Options[string, float64]{Namespace: "bench", Store: store})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if _, err := c.Get(ctx, benchKey); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = c.InvalidateAll(ctx) }()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get(ctx, benchKey); err != nil {
			b.Fatal(err)
		}
	}
}

// Hardening #15: go-redis's own lines (dial errors) reach slog, not
// standard error, once a program sets redisstore.Logger.
func TestLoggerSendsGoRedisLinesToSlog(t *testing.T) {
	var buf strings.Builder
	l := redisstore.Logger{L: slog.New(slog.NewTextHandler(&buf, nil))}
	l.Printf(t.Context(), "dial tcp %s: connection refused", "127.0.0.1:1")
	require.Contains(t, buf.String(), "level=WARN")
	require.Contains(t, buf.String(), "redis: dial tcp 127.0.0.1:1: connection refused")
}
