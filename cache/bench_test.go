package cache_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/ristretto/v2"

	"github.com/dashkit/dashkit/cache"
)

// The hit benchmarks run side by side so BENCHMARKS.md can give ratios: a
// Cache hit (key building included) against the underlying Ristretto
// cache's own Get with a prebuilt key (without a TTL, its fastest; and with
// one, when Ristretto reads the clock on every Get), and against a Go map and
// a sync.Map.

const benchKey = "portfolio:EQ-US:2026-11-25"

func BenchmarkHit(b *testing.B) {
	ctx := context.Background()

	b.Run("cache", func(b *testing.B) {
		c, err := cache.New(func(context.Context, string) (float64, error) { return 42, nil }, cache.Options[string, float64]{Namespace: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Get(ctx, benchKey); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Get(ctx, benchKey); err != nil {
				b.Fatal(err)
			}
		}
	})

	for _, tc := range []struct {
		name string
		ttl  time.Duration
	}{{"ristretto-get", 0}, {"ristretto-get-ttl", time.Minute}} {
		b.Run(tc.name, func(b *testing.B) {
			client, err := ristretto.NewCache(&ristretto.Config[string, *float64]{NumCounters: 1e6, MaxCost: 1e5, BufferItems: 64, IgnoreInternalCost: true})
			if err != nil {
				b.Fatal(err)
			}
			defer client.Close()
			key := "bench:v1:" + benchKey
			v := 42.0
			client.SetWithTTL(key, &v, 1, tc.ttl)
			client.Wait()
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := client.Get(key); !ok {
					b.Fatal("miss")
				}
			}
		})
	}

	b.Run("go-map", func(b *testing.B) {
		m := map[string]float64{"bench:v1:" + benchKey: 42}
		key := "bench:v1:" + benchKey
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := m[key]; !ok {
				b.Fatal("miss")
			}
		}
	})

	b.Run("sync-map", func(b *testing.B) {
		var m sync.Map
		key := "bench:v1:" + benchKey
		m.Store(key, 42.0)
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := m.Load(key); !ok {
				b.Fatal("miss")
			}
		}
	})
}

// BenchmarkHitParallel is the cache hit on both cores at once.
func BenchmarkHitParallel(b *testing.B) {
	c, err := cache.New(func(context.Context, string) (float64, error) { return 42, nil }, cache.Options[string, float64]{Namespace: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if _, err := c.Get(ctx, benchKey); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Get(ctx, benchKey); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
