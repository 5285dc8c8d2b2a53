package cache

import (
	"context"
	"time"
)

// Leaser lets the replicas sharing a [Store] compute each key once between
// them: before loading a key it missed, a [Cache] whose store implements
// Leaser takes the key's lease; the replica that holds it loads, and the
// others wait for the value to appear in the store. Package redisstore
// implements it with SET NX PX and a token-checked release; a store in one
// process needs none (the Cache's singleflight already loads each key once).
//
// Lease tries to take key's lease for ttl. held reports whether this caller
// now holds it; release gives it back if it is still this caller's (a lease
// that expired and was taken by another is left alone), and may be called
// more than once. An error means the store could not say: the caller then
// computes the value itself.
type Leaser interface {
	Lease(ctx context.Context, key string, ttl time.Duration) (release func(), held bool, err error)
}

// LeaseFunc adapts a function to [Leaser].
type LeaseFunc func(ctx context.Context, key string, ttl time.Duration) (release func(), held bool, err error)

// Lease implements [Leaser].
func (f LeaseFunc) Lease(ctx context.Context, key string, ttl time.Duration) (func(), bool, error) {
	return f(ctx, key, ttl)
}

// Lease implements [Leaser] when the remote store does; otherwise every
// lease is held at once (each replica computes).
func (c *Chain[V]) Lease(ctx context.Context, key string, ttl time.Duration) (func(), bool, error) {
	if l, ok := c.remote.(Leaser); ok {
		return l.Lease(ctx, key, ttl)
	}
	return func() {}, true, nil
}

// leasePoll is how often a Cache that lost a key's lease looks for the
// value in the store, and tries the lease again.
const leasePoll = 20 * time.Millisecond

// leased loads key through the store's lease: it returns the value another
// replica stored while this one waited, or loads the value itself when it
// holds the lease, when the lease holder gives up or fails (its lease is
// released or expires without a value), when the wait passes leaseWait, or
// when the store cannot lease at all (degraded: see [Cache.Shared]).
func (c *Cache[K, V]) leased(ctx context.Context, key string, k K, load LoadFunc[K, V]) (V, error) {
	deadline := time.Now().Add(c.leaseWait)
	ttl := c.leaseTTL
	for {
		release, held, err := c.leaser.Lease(ctx, key, ttl)
		if err != nil {
			c.setShared(false)
			c.storeFailed("lease", err)
			return c.loadAndStore(ctx, key, k, load)
		}
		c.setShared(true)
		if held {
			defer release()
			// The previous holder may have stored the value and released
			// the lease between this caller's miss and its lease.
			if e, err := c.store.Get(ctx, key); err == nil {
				c.m.leases.WithLabelValues("waited").Inc()
				return e.result()
			}
			c.m.leases.WithLabelValues("held").Inc()
			return c.loadAndStore(ctx, key, k, load)
		}
		// Another replica is computing key: wait for its value.
		t := time.NewTimer(leasePoll)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			var zero V
			return zero, ctx.Err()
		case <-c.ctx.Done():
			t.Stop()
			var zero V
			return zero, ErrClosed
		}
		if e, err := c.store.Get(ctx, key); err == nil {
			c.m.leases.WithLabelValues("waited").Inc()
			return e.result()
		}
		if time.Now().After(deadline) {
			c.m.leases.WithLabelValues("timeout").Inc()
			return c.loadAndStore(ctx, key, k, load)
		}
	}
}
