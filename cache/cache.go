package cache

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"
)

// LoadFunc computes the value for a key; it is what a [Cache] memoizes.
type LoadFunc[K comparable, V any] func(ctx context.Context, k K) (V, error)

// Options configure a [Cache]. Only Namespace is required.
type Options[K comparable, V any] struct {
	// Namespace names the cache in metrics and logs, and prefixes every
	// key in a Store shared with others (Options.Store): letters, digits,
	// '.', '_' or '-'. Required. Two caches in one store need different
	// namespaces.
	Namespace string
	// Version follows the namespace in every key of a shared store; a
	// deploy that changes the value type or its meaning bumps it, and
	// every old entry becomes unreachable at once. Zero means "v1".
	Version string
	// TTL is how long a value is served; zero means one minute.
	TTL time.Duration
	// NegativeTTL, when positive, caches load errors for this long (keep
	// it short), so a failing backend is not hammered. Zero caches no
	// error. A cached error keeps its message, not its type.
	NegativeTTL time.Duration
	// RefreshAfter, when positive and below TTL, turns on refresh-ahead: a
	// hit on a value older than this returns it at once and starts one
	// background reload, so steady traffic never waits for a load.
	RefreshAfter time.Duration
	// LoadTimeout bounds one load. A load runs detached from the caller
	// that started it (its cancellation must not fail the other waiters),
	// so this is its only bound besides Close. Zero means one minute.
	LoadTimeout time.Duration
	// Key encodes a key; nil uses the built-in encoding for strings,
	// numbers, booleans, time.Time and structs and arrays of them.
	Key func(K) string
	// Store keeps the entries; nil means a new [MemoryStore] with default
	// bounds, owned by the Cache and closed by [Cache.Close]. An owned
	// store holds only this cache's entries, so its keys carry no prefix:
	// a hit on a string key then builds no key at all.
	Store Store[V]
	// Registerer receives the cache's metrics, labelled with its
	// namespace; nil registers none.
	Registerer prometheus.Registerer
	// Logger receives store failures, at most one record per LogInterval;
	// nil discards.
	Logger *slog.Logger
	// LogInterval spaces store-failure logs; zero means one minute.
	LogInterval time.Duration
	// LeaseTTL is how long a lease on a key lasts when the Store is a
	// [Leaser] (replicas computing each key once between them); zero
	// means half of LoadTimeout, so a lease holder that hangs is taken
	// over before its load would time out.
	LeaseTTL time.Duration
	// LeaseWait bounds how long a Cache waits for another replica's value
	// before computing it itself; zero means LoadTimeout.
	LeaseWait time.Duration
}

// Cache memoizes a [LoadFunc]: [Cache.Get] has the load function's
// signature and returns its results, loading each key at most once at a time
// and keeping values for a TTL.
type Cache[K comparable, V any] struct {
	load         LoadFunc[K, V]
	key          func(K) string
	prefix       string
	ttl          time.Duration
	negativeTTL  time.Duration
	refreshAfter time.Duration
	loadTimeout  time.Duration
	store        Store[V]
	owned        *MemoryStore[V]
	log          *slog.Logger
	logEvery     int64
	m            *metrics
	namespace    string
	leaser       Leaser
	leaseTTL     time.Duration
	leaseWait    time.Duration
	shared       atomic.Int32 // 1 shared, 0 degraded, -1 not yet known

	group      singleflight.Group
	refreshing sync.Map // key → struct{}: refreshes in flight
	lastLog    atomic.Int64
	suppressed atomic.Int64

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	mu     sync.Mutex // guards closed and wg.Add
	closed atomic.Bool
	wg     sync.WaitGroup
}

// ErrClosed is returned by a Cache's methods after Close.
var ErrClosed = errors.New("cache: closed")

// ErrNoLoad is returned by [Cache.Get] on a Cache built without a load
// function.
var ErrNoLoad = errors.New("cache: no load function: use GetOrLoad")

// New builds a Cache around load. load may be nil when every caller passes
// its own to [Cache.GetOrLoad]; Get then returns [ErrNoLoad]. New returns an error wrapping
// [ErrInvalidOptions] for a bad namespace or version, negative durations, a
// RefreshAfter not below TTL, a key type without a stable encoding (set
// Options.Key), or metrics that are already registered.
func New[K comparable, V any](load LoadFunc[K, V], opts Options[K, V]) (*Cache[K, V], error) {
	if !validName(opts.Namespace) {
		return nil, fmt.Errorf("%w: namespace %q: want 1 to 64 letters, digits, '.', '_' or '-'", ErrInvalidOptions, opts.Namespace)
	}
	if opts.Version == "" {
		opts.Version = "v1"
	}
	if !validName(opts.Version) {
		return nil, fmt.Errorf("%w: version %q: want 1 to 64 letters, digits, '.', '_' or '-'", ErrInvalidOptions, opts.Version)
	}
	for name, d := range map[string]time.Duration{"TTL": opts.TTL, "NegativeTTL": opts.NegativeTTL, "RefreshAfter": opts.RefreshAfter, "LoadTimeout": opts.LoadTimeout, "LogInterval": opts.LogInterval, "LeaseTTL": opts.LeaseTTL, "LeaseWait": opts.LeaseWait} {
		if d < 0 {
			return nil, fmt.Errorf("%w: negative %s %v", ErrInvalidOptions, name, d)
		}
	}
	opts.TTL = cmp.Or(opts.TTL, time.Minute)
	opts.LoadTimeout = cmp.Or(opts.LoadTimeout, time.Minute)
	opts.LogInterval = cmp.Or(opts.LogInterval, time.Minute)
	opts.LeaseTTL = cmp.Or(opts.LeaseTTL, opts.LoadTimeout/2)
	opts.LeaseWait = cmp.Or(opts.LeaseWait, opts.LoadTimeout)
	if opts.RefreshAfter >= opts.TTL {
		return nil, fmt.Errorf("%w: RefreshAfter %v must be below TTL %v", ErrInvalidOptions, opts.RefreshAfter, opts.TTL)
	}
	keyf, err := keyFunc(opts.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: key type: %w", ErrInvalidOptions, err)
	}
	leaser, _ := opts.Store.(Leaser)
	m, err := newMetrics(opts.Registerer, opts.Namespace, leaser != nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	c := &Cache[K, V]{
		load:         load,
		key:          keyf,
		prefix:       opts.Namespace + ":" + opts.Version + ":",
		ttl:          opts.TTL,
		negativeTTL:  opts.NegativeTTL,
		refreshAfter: opts.RefreshAfter,
		loadTimeout:  opts.LoadTimeout,
		store:        opts.Store,
		log:          opts.Logger,
		logEvery:     int64(opts.LogInterval),
		m:            m,
		namespace:    opts.Namespace,
		leaseTTL:     opts.LeaseTTL,
		leaseWait:    opts.LeaseWait,
	}
	c.leaser = leaser
	c.shared.Store(-1)
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.store == nil {
		ms, err := NewMemoryStore(MemoryOptions[V]{})
		if err != nil {
			m.unregister()
			return nil, err
		}
		c.store, c.owned = ms, ms
		c.prefix = ""
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	return c, nil
}

// Get returns the value for k: from the store when it holds a live entry,
// otherwise from the load function, called once however many callers ask
// for k at the same time. A caller whose ctx ends stops waiting; the load
// goes on for the others. Load errors are returned, and cached only when
// NegativeTTL is set. A failing store is counted and logged, never
// returned: the value is computed instead.
func (c *Cache[K, V]) Get(ctx context.Context, k K) (V, error) {
	if c.load == nil {
		var zero V
		return zero, ErrNoLoad
	}
	return c.GetOrLoad(ctx, k, c.load)
}

// GetOrLoad is [Cache.Get] with the load function given by the caller, in
// the style of singleflight's Do: on a miss, load computes k's value, once
// for every caller asking for k at the same time (the first caller's load
// runs; the others wait for it). It lets a caller hand the load what it
// already holds — a validated request, say — instead of rebuilding it from
// the key. Every load given for one key must compute the same value.
func (c *Cache[K, V]) GetOrLoad(ctx context.Context, k K, load LoadFunc[K, V]) (V, error) {
	var zero V
	if load == nil {
		return zero, ErrNoLoad
	}
	if c.closed.Load() {
		return zero, ErrClosed
	}
	key := c.key(k)
	if c.prefix != "" {
		key = c.prefix + key
	}
	e, err := c.store.Get(ctx, key)
	switch {
	case err == nil:
		c.m.hits.Inc()
		if e.Err != "" {
			return zero, errors.New(e.Err)
		}
		if c.refreshAfter > 0 && time.Since(e.Stored) >= c.refreshAfter {
			c.refreshAsync(key, k, load)
		}
		return e.Value, nil
	case !errors.Is(err, ErrNotFound):
		c.storeFailed("get", err)
	}
	c.m.misses.Inc()

	ch := c.group.DoChan(key, func() (any, error) {
		// The flight runs on its own goroutine, which may outlive this
		// caller: Close waits for it before closing the store.
		if !c.track() {
			return nil, ErrClosed
		}
		defer c.wg.Done()
		// Between this caller's miss and its joining the group, an
		// earlier flight for key may have finished and stored its value:
		// look again before loading, so that value is not loaded twice.
		if e, err := c.store.Get(ctx, key); err == nil {
			return e.result()
		}
		if c.leaser != nil {
			return c.leased(ctx, key, k, load)
		}
		return c.loadAndStore(ctx, key, k, load)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return zero, r.Err
		}
		return r.Val.(V), nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// loadAndStore runs inside the singleflight group: one load for all
// waiters, detached from the caller's cancellation but not from its values.
func (c *Cache[K, V]) loadAndStore(parent context.Context, key string, k K, load LoadFunc[K, V]) (V, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), c.loadTimeout)
	defer cancel()
	stop := context.AfterFunc(c.ctx, cancel) // Close ends loads
	defer stop()

	start := time.Now()
	v, err := c.safeLoad(ctx, k, load)
	done := time.Now()
	c.m.loadSeconds.Observe(done.Sub(start).Seconds())
	c.m.loads.Inc()
	storeCtx := context.WithoutCancel(ctx)
	if err != nil {
		c.m.loadErrors.Inc()
		if c.negativeTTL > 0 {
			if serr := c.store.Set(storeCtx, key, Entry[V]{Err: err.Error(), Stored: done}, c.negativeTTL); serr != nil {
				c.storeFailed("set", serr)
			}
		}
		return v, err
	}
	if serr := c.store.Set(storeCtx, key, Entry[V]{Value: v, Stored: done}, c.ttl); serr != nil {
		c.storeFailed("set", serr)
	}
	return v, nil
}

// safeLoad turns a panicking load function into an error: every waiter gets
// it and the process lives.
func (c *Cache[K, V]) safeLoad(ctx context.Context, k K, load LoadFunc[K, V]) (v V, err error) {
	defer func() {
		if p := recover(); p != nil {
			c.log.Error("cache: load function panicked", "namespace", c.namespace, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: %v", ErrLoaderPanic, p)
		}
	}()
	return load(ctx, k)
}

// track counts a goroutine that uses the store, unless the cache is closed.
func (c *Cache[K, V]) track() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return false
	}
	c.wg.Add(1)
	return true
}

// refreshAsync starts one background reload of key unless one is running.
func (c *Cache[K, V]) refreshAsync(key string, k K, load LoadFunc[K, V]) {
	if _, running := c.refreshing.LoadOrStore(key, struct{}{}); running {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		c.refreshing.Delete(key)
		return
	}
	c.m.refreshes.Inc()
	c.wg.Go(func() {
		defer c.refreshing.Delete(key)
		_, _, _ = c.group.Do(key, func() (any, error) { return c.loadAndStore(c.ctx, key, k, load) })
	})
}

// storeFailed counts a store failure and logs it at most once per interval.
func (c *Cache[K, V]) storeFailed(op string, err error) {
	c.m.storeErrors.WithLabelValues(op).Inc()
	now := time.Now().UnixNano()
	last := c.lastLog.Load()
	if now-last < c.logEvery || !c.lastLog.CompareAndSwap(last, now) {
		c.suppressed.Add(1)
		return
	}
	c.log.Warn("cache: store failing; computing values instead",
		"namespace", c.namespace, "op", op, "error", err, "suppressed", c.suppressed.Swap(0))
}

// Shared reports whether the Cache computes keys once between the replicas
// sharing its store: true while its store's leases work, false when it has
// none (a store in one process) or while the last lease failed (Redis down
// or slow: each replica computes for itself, see [Leaser]). It returns to
// true by itself with the first lease that works. The metric
// dashkit_cache_shared says the same (1 or 0; absent without a Leaser).
func (c *Cache[K, V]) Shared() bool { return c.shared.Load() == 1 }

// setShared records the lease mode, logging a change.
func (c *Cache[K, V]) setShared(ok bool) {
	v := int32(0)
	if ok {
		v = 1
	}
	if old := c.shared.Swap(v); old != v {
		c.m.shared.Set(float64(v))
		if ok {
			c.log.Info("cache: leases work again; computing each key once across replicas", "namespace", c.namespace)
		} else if old == 1 {
			c.log.Warn("cache: leases failing; computing locally", "namespace", c.namespace)
		}
	}
}

// Invalidate removes k's entry, so the next Get loads it.
func (c *Cache[K, V]) Invalidate(ctx context.Context, k K) error {
	if c.closed.Load() {
		return ErrClosed
	}
	return c.store.Delete(ctx, c.prefix+c.key(k))
}

// InvalidateAll removes every entry of this namespace and version.
func (c *Cache[K, V]) InvalidateAll(ctx context.Context) error {
	if c.closed.Load() {
		return ErrClosed
	}
	return c.store.DeletePrefix(ctx, c.prefix)
}

// Close stops background refreshes and in-flight loads, waits for them,
// unregisters the metrics and closes the store the Cache owns. Calls after
// it return [ErrClosed]. Close is idempotent. It must not run concurrently
// with Get, Invalidate or InvalidateAll from the caller's goroutines (a
// caller stops using the cache, then closes it); the goroutines the cache
// starts itself are waited for.
func (c *Cache[K, V]) Close() error {
	c.mu.Lock()
	if c.closed.Swap(true) {
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
	c.m.unregister()
	if c.owned != nil {
		return c.owned.Close()
	}
	return nil
}
