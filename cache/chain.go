package cache

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ChainOptions configure a [Chain]. The zero value is a working default.
type ChainOptions struct {
	// LocalTTL caps how long the local store keeps an entry, whether it
	// came from a Set or from a remote hit; zero means 10 seconds. Other
	// replicas' invalidations reach this one's local store only when its
	// entries expire, so this is how stale a replica can be.
	LocalTTL time.Duration
}

// Chain is a two-level [Store]: a local store (a [MemoryStore]) in front
// of a shared remote one (a redisstore.Store).
//
// Unlike gocache's chain cache, a failing remote is never mistaken for a
// miss, and never hides the local level: Get answers from the local store
// when it can, and otherwise returns the remote's error, which a [Cache]
// counts, logs and computes around. Set writes the local store first, so
// this replica keeps working while the remote is down.
type Chain[V any] struct {
	local, remote Store[V]
	localTTL      time.Duration
}

// NewChain builds a Chain. The caller keeps ownership of both stores.
func NewChain[V any](local, remote Store[V], opts ChainOptions) (*Chain[V], error) {
	if local == nil || remote == nil {
		return nil, fmt.Errorf("%w: a chain needs a local and a remote store", ErrInvalidOptions)
	}
	if opts.LocalTTL < 0 {
		return nil, fmt.Errorf("%w: negative LocalTTL", ErrInvalidOptions)
	}
	if opts.LocalTTL == 0 {
		opts.LocalTTL = 10 * time.Second
	}
	return &Chain[V]{local: local, remote: remote, localTTL: opts.LocalTTL}, nil
}

func (c *Chain[V]) ttl(ttl time.Duration) time.Duration {
	return min(ttl, c.localTTL)
}

// Get implements [Store]. A remote hit is copied into the local store for
// LocalTTL (the remote's remaining lifetime is not known, so the copy may
// outlive it by up to that much).
func (c *Chain[V]) Get(ctx context.Context, key string) (Entry[V], error) {
	e, err := c.local.Get(ctx, key)
	if err == nil {
		return e, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Entry[V]{}, fmt.Errorf("local: %w", err)
	}
	e, err = c.remote.Get(ctx, key)
	if err != nil {
		return Entry[V]{}, err
	}
	_ = c.local.Set(ctx, key, e, c.localTTL)
	return e, nil
}

// Set implements [Store]: remote first, then local, so the local copy
// never expires before the remote one (a Get between the two expiries
// would copy the remote entry back for LocalTTL). The local copy is set
// even when the remote fails; the remote's error is returned.
func (c *Chain[V]) Set(ctx context.Context, key string, e Entry[V], ttl time.Duration) error {
	rerr := c.remote.Set(ctx, key, e, ttl)
	if err := c.local.Set(ctx, key, e, c.ttl(ttl)); err != nil {
		return errors.Join(rerr, fmt.Errorf("local: %w", err))
	}
	return rerr
}

// Delete implements [Store] on both levels.
func (c *Chain[V]) Delete(ctx context.Context, key string) error {
	return errors.Join(c.local.Delete(ctx, key), c.remote.Delete(ctx, key))
}

// DeletePrefix implements [Store] on both levels.
func (c *Chain[V]) DeletePrefix(ctx context.Context, prefix string) error {
	return errors.Join(c.local.DeletePrefix(ctx, prefix), c.remote.DeletePrefix(ctx, prefix))
}
