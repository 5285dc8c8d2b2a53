package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/cache/cachetest"
	"github.com/dashkit/dashkit/internal/testenv"
)

func newMemory[V any](t *testing.T) *cache.MemoryStore[V] {
	t.Helper()
	m, err := cache.NewMemoryStore(cache.MemoryOptions[V]{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close() })
	return m
}

func newRedisClient(t *testing.T) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	require.NoError(t, err)
	client := redis.NewClient(opts)
	t.Cleanup(func() { _ = client.Close() })
	require.NoError(t, client.Ping(t.Context()).Err(), "%s must point at a live Redis", testenv.RedisVar)
	return client
}

func newRedis[V any](t *testing.T, client *redis.Client, opts cache.RedisOptions) *cache.RedisStore[V] {
	t.Helper()
	s, err := cache.NewRedisStore[V](client, opts)
	require.NoError(t, err)
	return s
}

func TestMemoryStoreConformance(t *testing.T) {
	cachetest.Run(t, cachetest.Options{}, func(t *testing.T) cache.Store[cachetest.Value] {
		return newMemory[cachetest.Value](t)
	})
}

func TestRedisStoreConformance(t *testing.T) {
	client := newRedisClient(t)
	for name, codec := range map[string]cache.Codec{"json": cache.JSON, "gob": cache.Gob, "msgpack": cache.Msgpack} {
		t.Run(name, func(t *testing.T) {
			cachetest.Run(t, cachetest.Options{ExactDeletePrefix: true}, func(t *testing.T) cache.Store[cachetest.Value] {
				return newRedis[cachetest.Value](t, client, cache.RedisOptions{Codec: codec})
			})
		})
	}
}

func TestChainConformance(t *testing.T) {
	client := newRedisClient(t)
	cachetest.Run(t, cachetest.Options{ExactDeletePrefix: true}, func(t *testing.T) cache.Store[cachetest.Value] {
		c, err := cache.NewChain(newMemory[cachetest.Value](t), newRedis[cachetest.Value](t, client, cache.RedisOptions{}), cache.ChainOptions{})
		require.NoError(t, err)
		return c
	})
}

// TestRedisUndecodableEntryIsAMiss: a value another writer (or an older
// deploy) left under a key is a miss, and the load overwrites it.
func TestRedisUndecodableEntryIsAMiss(t *testing.T) {
	client := newRedisClient(t)
	store := newRedis[float64](t, client, cache.RedisOptions{})
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
