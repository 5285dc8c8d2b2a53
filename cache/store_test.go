package cache_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/cache/cachetest"
)

func newMemory[V any](t *testing.T) *cache.MemoryStore[V] {
	t.Helper()
	m, err := cache.NewMemoryStore(cache.MemoryOptions[V]{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close() })
	return m
}

func TestMemoryStoreConformance(t *testing.T) {
	cachetest.Run(t, cachetest.Options{}, func(t *testing.T) cache.Store[cachetest.Value] {
		return newMemory[cachetest.Value](t)
	})
}

// TestChainConformance runs the suite on a chain of two memory stores;
// package redisstore runs it with Redis as the remote level.
func TestChainConformance(t *testing.T) {
	cachetest.Run(t, cachetest.Options{}, func(t *testing.T) cache.Store[cachetest.Value] {
		c, err := cache.NewChain(newMemory[cachetest.Value](t), newMemory[cachetest.Value](t), cache.ChainOptions{})
		require.NoError(t, err)
		return c
	})
}
