package redisstore_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/cache/redisstore"
)

// uniqueNamespace keeps runs of a test from sharing keys in the shared Redis.
func uniqueNamespace(name string) string {
	return fmt.Sprintf("%s-%d", name, time.Now().UnixNano())
}

// TestLeaseComputesOnceAcrossReplicas: three caches, as three replicas
// would hold, miss the same key at the same instant; one loads it, and the
// others get its value from Redis.
func TestLeaseComputesOnceAcrossReplicas(t *testing.T) {
	client := newRedisClient(t)
	ns := uniqueNamespace("lease")
	var calls atomic.Int64
	load := func(_ context.Context, k string) (string, error) {
		n := calls.Add(1)
		time.Sleep(100 * time.Millisecond)
		return fmt.Sprintf("%s-%d", k, n), nil
	}
	var caches []*cache.Cache[string, string]
	regs := make([]*prometheus.Registry, 3)
	for i := range 3 {
		regs[i] = prometheus.NewRegistry()
		caches = append(caches, newCache(t, load, cache.Options[string, string]{Namespace: ns, Store: newRedis[string](t, client, redisOpts()), Registerer: regs[i]}))
	}
	for round := range 3 {
		key := fmt.Sprintf("k%d", round)
		got := make([]string, len(caches))
		var wg sync.WaitGroup
		for i, c := range caches {
			wg.Go(func() {
				v, err := c.Get(t.Context(), key)
				require.NoError(t, err)
				got[i] = v
			})
		}
		wg.Wait()
		require.Equal(t, int64(round+1), calls.Load(), "one load per key across replicas")
		require.Equal(t, []string{got[0], got[0], got[0]}, got)
	}
	for i, c := range caches {
		require.True(t, c.Shared(), "replica %d", i)
		require.Equal(t, 1.0, metric(t, regs[i], "dashkit_cache_shared"))
	}
	// A replica whose second look at the store finds the value takes no
	// lease, so only the held leases are exact: one per key.
	held := 0.0
	for _, reg := range regs {
		held += metricLabel(t, reg, "dashkit_cache_leases_total", "held")
	}
	require.Equal(t, 3.0, held)
}

// TestLeaseHolderFailure: a replica holding a lease that never stores a
// value (it died) delays the others by at most LeaseWait, or until the
// lease expires; then they compute.
func TestLeaseHolderFailure(t *testing.T) {
	client := newRedisClient(t)
	for _, tc := range []struct {
		name      string
		leaseTTL  time.Duration
		leaseWait time.Duration
	}{
		{"lease expires", 300 * time.Millisecond, time.Minute},
		{"wait bound", time.Minute, 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns := uniqueNamespace("dead")
			key := ns + ":v1:k"
			require.NoError(t, client.Set(t.Context(), key+"#lease", "dead-replica", tc.leaseTTL).Err())
			t.Cleanup(func() { client.Del(context.Background(), key, key+"#lease") })
			c := newCache(t, func(context.Context, string) (string, error) { return "mine", nil },
				cache.Options[string, string]{Namespace: ns, Store: newRedis[string](t, client, redisOpts()), LeaseWait: tc.leaseWait})
			start := time.Now()
			v, err := c.Get(t.Context(), "k")
			require.NoError(t, err)
			require.Equal(t, "mine", v)
			require.Less(t, time.Since(start), 2*time.Second)
			require.GreaterOrEqual(t, time.Since(start), 250*time.Millisecond)
		})
	}
}

// TestLeaseReleaseChecksToken: a holder whose lease expired and was taken
// by another does not end the other's lease.
func TestLeaseReleaseChecksToken(t *testing.T) {
	client := newRedisClient(t)
	s := newRedis[string](t, client, redisOpts())
	key := uniqueNamespace("token")
	t.Cleanup(func() { client.Del(context.Background(), key+"#lease") })
	release1, held, err := s.Lease(t.Context(), key, 100*time.Millisecond)
	require.NoError(t, err)
	require.True(t, held)
	_, held, err = s.Lease(t.Context(), key, time.Minute)
	require.NoError(t, err)
	require.False(t, held, "one holder at a time")
	time.Sleep(150 * time.Millisecond)
	release2, held, err := s.Lease(t.Context(), key, time.Minute)
	require.NoError(t, err)
	require.True(t, held, "an expired lease can be taken")
	release1()
	_, held, err = s.Lease(t.Context(), key, time.Minute)
	require.NoError(t, err)
	require.False(t, held, "the first holder's late release left the second's lease alone")
	release2()
	release3, held, err := s.Lease(t.Context(), key, time.Minute)
	require.NoError(t, err)
	require.True(t, held, "released")
	release3()
}

// redisOpts are the stores' options in the lease tests: a timeout that a
// loaded CI machine meets.
func redisOpts() redisstore.Options { return redisstore.Options{Timeout: time.Second} }

// metricLabel is the sample of a counter vector whose outcome label is value.
func metricLabel(t *testing.T, reg *prometheus.Registry, name, value string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
