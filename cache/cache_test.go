package cache_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/internal/promutil"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// loader counts its calls and returns "value-<key>-<call>".
type loader struct {
	calls atomic.Int64
	delay time.Duration
	gate  chan struct{} // when not nil, loads wait for it to close
	err   error
}

func (l *loader) load(ctx context.Context, k string) (string, error) {
	n := l.calls.Add(1)
	if l.gate != nil {
		select {
		case <-l.gate:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	time.Sleep(l.delay)
	if l.err != nil {
		return "", l.err
	}
	return fmt.Sprintf("value-%s-%d", k, n), nil
}

func newCache[K comparable, V any](t *testing.T, load cache.LoadFunc[K, V], opts cache.Options[K, V]) *cache.Cache[K, V] {
	t.Helper()
	if opts.Namespace == "" {
		opts.Namespace = "test"
	}
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

func TestColdStampedeLoadsOnce(t *testing.T) {
	l := &loader{delay: 50 * time.Millisecond}
	reg := prometheus.NewRegistry()
	c := newCache(t, l.load, cache.Options[string, string]{Registerer: reg})

	const n = 1000
	start := make(chan struct{})
	results := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			results[i], errs[i] = c.Get(t.Context(), "k")
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		require.Equal(t, "value-k-1", results[i])
	}
	require.Equal(t, int64(1), l.calls.Load(), "one load for a thousand cold callers")
	require.Equal(t, 1.0, metric(t, reg, "dashkit_cache_loads_total"))
	require.Equal(t, float64(n), metric(t, reg, "dashkit_cache_hits_total")+metric(t, reg, "dashkit_cache_misses_total"))
}

func TestFirstCallerCancellingDoesNotFailTheOthers(t *testing.T) {
	l := &loader{gate: make(chan struct{})}
	c := newCache(t, l.load, cache.Options[string, string]{})

	first, cancel := context.WithCancel(t.Context())
	firstErr := make(chan error, 1)
	go func() {
		_, err := c.Get(first, "k")
		firstErr <- err
	}()
	require.Eventually(t, func() bool { return l.calls.Load() == 1 }, 5*time.Second, time.Millisecond)

	const n = 999
	var wg sync.WaitGroup
	var ok atomic.Int64
	for range n {
		wg.Go(func() {
			if v, err := c.Get(t.Context(), "k"); err == nil && v == "value-k-1" {
				ok.Add(1)
			}
		})
	}
	cancel()
	require.ErrorIs(t, <-firstErr, context.Canceled, "the first caller stops waiting")
	close(l.gate) // the load was not cancelled with its first caller
	wg.Wait()
	require.Equal(t, int64(n), ok.Load())
	require.Equal(t, int64(1), l.calls.Load())
}

func TestPanickingLoaderIsAnErrorForEveryWaiter(t *testing.T) {
	var calls atomic.Int64
	gate := make(chan struct{})
	var logs bytes.Buffer
	c := newCache(t, func(ctx context.Context, k string) (string, error) {
		if calls.Add(1) == 1 {
			<-gate
			panic("loader exploded")
		}
		return "recovered", nil
	}, cache.Options[string, string]{Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			_, err := c.Get(t.Context(), "k")
			errs <- err
		})
	}
	require.Eventually(t, func() bool { return calls.Load() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond) // let the waiters join the flight
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.ErrorIs(t, err, cache.ErrLoaderPanic)
		require.ErrorContains(t, err, "loader exploded")
	}
	require.Contains(t, logs.String(), "loader exploded")
	v, err := c.Get(t.Context(), "k")
	require.NoError(t, err, "a panic is not cached: the next call loads again")
	require.Equal(t, "recovered", v)
}

func TestErrorsAreNotCachedByDefault(t *testing.T) {
	boom := errors.New("backend down")
	l := &loader{err: boom}
	c := newCache(t, l.load, cache.Options[string, string]{})
	for range 3 {
		_, err := c.Get(t.Context(), "k")
		require.ErrorIs(t, err, boom)
	}
	require.Equal(t, int64(3), l.calls.Load())
}

func TestNegativeCaching(t *testing.T) {
	l := &loader{err: errors.New("backend down")}
	c := newCache(t, l.load, cache.Options[string, string]{NegativeTTL: 200 * time.Millisecond})
	for range 3 {
		_, err := c.Get(t.Context(), "k")
		require.EqualError(t, err, "backend down")
	}
	require.Equal(t, int64(1), l.calls.Load(), "the error is cached")
	require.Eventually(t, func() bool {
		_, _ = c.Get(t.Context(), "k")
		return l.calls.Load() == 2
	}, 3*time.Second, 20*time.Millisecond, "for NegativeTTL only")
}

func TestZeroValuesAreCached(t *testing.T) {
	var calls atomic.Int64
	c := newCache(t, func(context.Context, int) (float64, error) {
		calls.Add(1)
		return 0, nil
	}, cache.Options[int, float64]{})
	for range 3 {
		v, err := c.Get(t.Context(), 7)
		require.NoError(t, err)
		require.Zero(t, v)
	}
	require.Equal(t, int64(1), calls.Load())
}

func TestTTL(t *testing.T) {
	l := &loader{}
	c := newCache(t, l.load, cache.Options[string, string]{TTL: 200 * time.Millisecond})
	v, err := c.Get(t.Context(), "k")
	require.NoError(t, err)
	require.Equal(t, "value-k-1", v)
	v, _ = c.Get(t.Context(), "k")
	require.Equal(t, "value-k-1", v)
	require.Eventually(t, func() bool {
		v, _ := c.Get(t.Context(), "k")
		return v == "value-k-2"
	}, 3*time.Second, 20*time.Millisecond)
}

func TestRefreshAheadServesStaleWhileOneRefreshRuns(t *testing.T) {
	l := &loader{}
	reg := prometheus.NewRegistry()
	c := newCache(t, l.load, cache.Options[string, string]{TTL: time.Minute, RefreshAfter: 50 * time.Millisecond, Registerer: reg})
	v, err := c.Get(t.Context(), "k")
	require.NoError(t, err)
	require.Equal(t, "value-k-1", v)

	l.gate = make(chan struct{}) // the refresh will wait here
	time.Sleep(60 * time.Millisecond)
	for range 50 {
		v, err := c.Get(t.Context(), "k")
		require.NoError(t, err)
		require.Equal(t, "value-k-1", v, "the stale value is served at once")
	}
	require.Eventually(t, func() bool { return l.calls.Load() == 2 }, 5*time.Second, time.Millisecond)
	require.Equal(t, 1.0, metric(t, reg, "dashkit_cache_refreshes_total"), "fifty stale hits, one refresh")
	close(l.gate)
	require.Eventually(t, func() bool {
		v, err := c.Get(t.Context(), "k")
		return err == nil && v != "value-k-1"
	}, 5*time.Second, 5*time.Millisecond, "the refreshed value replaces the stale one")
}

type point struct {
	Facility string
	Machine  string
	Day      time.Time
	Shift    int
}

func TestStructKeysAreDistinctAndStable(t *testing.T) {
	var calls atomic.Int64
	c := newCache(t, func(_ context.Context, p point) (string, error) {
		calls.Add(1)
		return p.Facility + "/" + p.Machine, nil
	}, cache.Options[point, string]{})
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	keys := []point{
		{"a:b", "c", day, 1},
		{"a", "b:c", day, 1}, // the same characters split differently
		{"a", "b:c", day, 2},
		{"a", "b:c", day.Add(time.Hour), 2},
	}
	for _, k := range keys {
		v, err := c.Get(t.Context(), k)
		require.NoError(t, err)
		require.Equal(t, k.Facility+"/"+k.Machine, v)
	}
	require.Equal(t, int64(len(keys)), calls.Load(), "no two keys collide")
	// The same instant in another location is the same key.
	_, err := c.Get(t.Context(), point{"a", "b:c", day.In(time.FixedZone("X", 3600)), 2})
	require.NoError(t, err)
	require.Equal(t, int64(len(keys)), calls.Load())
}

func TestKeyTypesWithoutStableEncodingNeedAKeyFunc(t *testing.T) {
	type withPtr struct{ P *int }
	_, err := cache.New(func(context.Context, withPtr) (int, error) { return 0, nil }, cache.Options[withPtr, int]{Namespace: "x"})
	require.ErrorIs(t, err, cache.ErrInvalidOptions)
	require.ErrorContains(t, err, "set Options.Key")

	c := newCache(t, func(_ context.Context, k withPtr) (int, error) { return *k.P, nil },
		cache.Options[withPtr, int]{Key: func(k withPtr) string { return fmt.Sprint(*k.P) }})
	one := 1
	v, err := c.Get(t.Context(), withPtr{&one})
	require.NoError(t, err)
	require.Equal(t, 1, v)
}

func TestInvalidate(t *testing.T) {
	l := &loader{}
	c := newCache(t, l.load, cache.Options[string, string]{})
	_, _ = c.Get(t.Context(), "a")
	_, _ = c.Get(t.Context(), "b")
	require.NoError(t, c.Invalidate(t.Context(), "a"))
	v, _ := c.Get(t.Context(), "a")
	require.Equal(t, "value-a-3", v)
	v, _ = c.Get(t.Context(), "b")
	require.Equal(t, "value-b-2", v, "other keys stay")
	require.NoError(t, c.InvalidateAll(t.Context()))
	v, _ = c.Get(t.Context(), "b")
	require.Equal(t, "value-b-4", v)
}

func TestVersionSeparatesDeploys(t *testing.T) {
	store := newMemory[string](t)
	l1, l2 := &loader{}, &loader{}
	v1 := newCache(t, l1.load, cache.Options[string, string]{Store: store, Version: "v1"})
	v2 := newCache(t, l2.load, cache.Options[string, string]{Store: store, Version: "v2"})
	a, _ := v1.Get(t.Context(), "k")
	b, _ := v2.Get(t.Context(), "k")
	require.Equal(t, "value-k-1", a)
	require.Equal(t, "value-k-1", b)
	require.Equal(t, int64(1), l2.calls.Load(), "v2 does not read v1's entry")
}

// failingStore fails every call while down is set.
type failingStore struct {
	cache.Store[string]
	down atomic.Bool
}

func (f *failingStore) Get(ctx context.Context, key string) (cache.Entry[string], error) {
	if f.down.Load() {
		return cache.Entry[string]{}, errors.New("connection refused")
	}
	return f.Store.Get(ctx, key)
}

func (f *failingStore) Set(ctx context.Context, key string, e cache.Entry[string], ttl time.Duration) error {
	if f.down.Load() {
		return errors.New("connection refused")
	}
	return f.Store.Set(ctx, key, e, ttl)
}

func TestFailingStoreDegradesAndLogsOncePerInterval(t *testing.T) {
	fs := &failingStore{Store: newMemory[string](t)}
	fs.down.Store(true)
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	l := &loader{}
	c := newCache(t, l.load, cache.Options[string, string]{
		Store: fs, Registerer: reg, LogInterval: time.Hour,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	})
	for i := range 100 {
		v, err := c.Get(t.Context(), "k")
		require.NoError(t, err, "a failing store is never the caller's error")
		require.Equal(t, fmt.Sprintf("value-k-%d", i+1), v)
	}
	require.Equal(t, 200.0, metric(t, reg, "dashkit_cache_store_errors_total"), "a get and a set per call")
	require.Equal(t, 1, strings.Count(logs.String(), "store failing"), "logged once per interval")

	fs.down.Store(false)
	_, _ = c.Get(t.Context(), "k")
	_, _ = c.Get(t.Context(), "k")
	require.Equal(t, int64(101), l.calls.Load(), "hits resume when the store is back")
}

func TestMetricsAreLabelledAndRegisteredOnce(t *testing.T) {
	reg := prometheus.NewRegistry()
	l := &loader{}
	_ = newCache(t, l.load, cache.Options[string, string]{Namespace: "prices", Registerer: reg})
	_, err := cache.New(l.load, cache.Options[string, string]{Namespace: "prices", Registerer: reg})
	require.ErrorIs(t, err, cache.ErrInvalidOptions, "a namespace registers its metrics once")
	other := newCache(t, l.load, cache.Options[string, string]{Namespace: "positions", Registerer: reg})
	_, _ = other.Get(t.Context(), "k")

	mfs, err := reg.Gather()
	require.NoError(t, err)
	found := false
	for _, mf := range mfs {
		if mf.GetName() == "dashkit_cache_loads_total" {
			for _, m := range mf.GetMetric() {
				for _, lp := range m.GetLabel() {
					if lp.GetName() == "namespace" && lp.GetValue() == "positions" {
						found = m.GetCounter().GetValue() == 1
					}
				}
			}
		}
	}
	require.True(t, found)
}

func TestClose(t *testing.T) {
	reg := prometheus.NewRegistry()
	l := &loader{}
	c, err := cache.New(l.load, cache.Options[string, string]{Namespace: "x", Registerer: reg})
	require.NoError(t, err)
	_, err = c.Get(t.Context(), "k")
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "Close is idempotent")
	_, err = c.Get(t.Context(), "k")
	require.ErrorIs(t, err, cache.ErrClosed)
	// Its metrics are gone, so a new cache may take the namespace.
	c2, err := cache.New(l.load, cache.Options[string, string]{Namespace: "x", Registerer: reg})
	require.NoError(t, err)
	require.NoError(t, c2.Close())
}

func TestNewRejectsBadOptions(t *testing.T) {
	l := &loader{}
	for _, tc := range []struct {
		name string
		opts cache.Options[string, string]
		msg  string
	}{
		{"no namespace", cache.Options[string, string]{}, "namespace"},
		{"colon in namespace", cache.Options[string, string]{Namespace: "a:b"}, "namespace"},
		{"bad version", cache.Options[string, string]{Namespace: "a", Version: "v 1"}, "version"},
		{"negative TTL", cache.Options[string, string]{Namespace: "a", TTL: -1}, "negative TTL"},
		{"refresh after TTL", cache.Options[string, string]{Namespace: "a", TTL: time.Second, RefreshAfter: time.Second}, "RefreshAfter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cache.New(l.load, tc.opts)
			require.ErrorIs(t, err, cache.ErrInvalidOptions)
			require.ErrorContains(t, err, tc.msg)
		})
	}
	_, err := cache.NewMemoryStore(cache.MemoryOptions[int]{MaxCost: -1})
	require.ErrorIs(t, err, cache.ErrInvalidOptions)
	_, err = cache.NewChain[int](nil, nil, cache.ChainOptions{})
	require.ErrorIs(t, err, cache.ErrInvalidOptions)
}

// A cache built without a load function serves callers that bring their
// own: GetOrLoad runs the first caller's load once for every concurrent
// caller of the key, and Get says what is missing instead of panicking.
func TestGetOrLoadRunsTheCallersLoadOnce(t *testing.T) {
	c, err := cache.New[string, int](nil, cache.Options[string, int]{Namespace: "per-call"})
	require.NoError(t, err)
	defer c.Close()

	_, err = c.Get(t.Context(), "k")
	require.ErrorIs(t, err, cache.ErrNoLoad)
	_, err = c.GetOrLoad(t.Context(), "k", nil)
	require.ErrorIs(t, err, cache.ErrNoLoad)

	var calls atomic.Int64
	release := make(chan struct{})
	load := func(ctx context.Context, k string) (int, error) {
		calls.Add(1)
		<-release
		return len(k) * 7, nil
	}
	var wg sync.WaitGroup
	got := make([]int, 100)
	for i := range got {
		wg.Go(func() {
			v, err := c.GetOrLoad(t.Context(), "seven", load)
			assert.NoError(t, err)
			got[i] = v
		})
	}
	time.Sleep(50 * time.Millisecond) // let the callers join the flight
	close(release)
	wg.Wait()
	require.Equal(t, int64(1), calls.Load())
	for _, v := range got {
		require.Equal(t, 35, v)
	}
	// The value is cached: a later caller's load does not run.
	v, err := c.GetOrLoad(t.Context(), "seven", func(context.Context, string) (int, error) {
		t.Error("load ran on a hit")
		return 0, nil
	})
	require.NoError(t, err)
	require.Equal(t, 35, v)
}
