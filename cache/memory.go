package cache

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/ristretto/v2"
)

// MemoryOptions configure a [MemoryStore]. The zero value holds up to
// 100,000 entries.
type MemoryOptions[V any] struct {
	// MaxCost bounds the store: the sum of the entries' costs. Zero means
	// 100,000.
	MaxCost int64
	// Cost gives an entry's cost, such as its size in bytes; nil counts
	// every entry as 1, so MaxCost is a number of entries.
	Cost func(V) int64
	// ExpectedEntries sizes the admission policy's counters; zero derives
	// it from MaxCost (entries) or 100,000.
	ExpectedEntries int64
}

// MemoryStore is an in-process [Store] over Ristretto: bounded by cost with TinyLFU admission, values held as they are (no
// encoding), sets synchronous so a Get after a Set sees it.
//
// Expiry is checked against a clock the store ticks every 5 ms rather than
// by reading the time on every Get (Ristretto's own TTLs do, and a clock read
// costs about 50 ns on the machines we measured: half a hit's budget). An
// entry may therefore outlive its TTL by up to 5 ms. Expired entries are
// dropped when next read, or evicted under cost pressure like any other.
//
// Ristretto cannot enumerate its keys, so DeletePrefix clears the whole
// store: correct (nothing stale survives), but it drops other namespaces'
// entries too. Give each [Cache] its own MemoryStore, as [New] does by
// default.
type MemoryStore[V any] struct {
	client *ristretto.Cache[string, *memEntry[V]]
	cost   func(V) int64

	now       atomic.Int64 // Unix nanoseconds, ticked by run
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// memEntry is an Entry with its expiry, held by pointer so a hit allocates
// nothing.
type memEntry[V any] struct {
	Entry[V]
	expires int64 // Unix nanoseconds
}

// clockTick is the resolution of a MemoryStore's expiry clock.
const clockTick = 5 * time.Millisecond

// NewMemoryStore builds a MemoryStore. It starts Ristretto's goroutines:
// call Close when done.
func NewMemoryStore[V any](opts MemoryOptions[V]) (*MemoryStore[V], error) {
	if opts.MaxCost < 0 || opts.ExpectedEntries < 0 {
		return nil, fmt.Errorf("%w: negative MaxCost or ExpectedEntries", ErrInvalidOptions)
	}
	if opts.MaxCost == 0 {
		opts.MaxCost = 100_000
	}
	if opts.ExpectedEntries == 0 {
		opts.ExpectedEntries = 100_000
		if opts.Cost == nil {
			opts.ExpectedEntries = opts.MaxCost
		}
	}
	client, err := ristretto.NewCache(&ristretto.Config[string, *memEntry[V]]{
		NumCounters:        10 * opts.ExpectedEntries,
		MaxCost:            opts.MaxCost,
		BufferItems:        64,
		IgnoreInternalCost: true,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	cost := opts.Cost
	if cost == nil {
		cost = func(V) int64 { return 1 }
	}
	m := &MemoryStore[V]{
		client: client,
		cost:   cost,
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	m.now.Store(time.Now().UnixNano())
	go m.run()
	return m, nil
}

func (m *MemoryStore[V]) run() {
	defer close(m.done)
	t := time.NewTicker(clockTick)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			m.now.Store(now.UnixNano())
		case <-m.stop:
			return
		}
	}
}

// Get implements [Store].
func (m *MemoryStore[V]) Get(_ context.Context, key string) (Entry[V], error) {
	e, ok := m.client.Get(key)
	if !ok {
		return Entry[V]{}, ErrNotFound
	}
	if e.expires <= m.now.Load() {
		m.client.Del(key)
		return Entry[V]{}, ErrNotFound
	}
	return e.Entry, nil
}

// Set implements [Store]. An entry the admission policy rejects is not an
// error: the next Get misses, as it would after an eviction.
func (m *MemoryStore[V]) Set(_ context.Context, key string, e Entry[V], ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("cache: memory store: ttl %v must be positive", ttl)
	}
	m.client.Set(key, &memEntry[V]{Entry: e, expires: time.Now().Add(ttl).UnixNano()}, max(m.cost(e.Value), 1))
	// Ristretto applies sets through a buffer; waiting makes a Get right
	// after a Set see it.
	m.client.Wait()
	return nil
}

// Delete implements [Store].
func (m *MemoryStore[V]) Delete(_ context.Context, key string) error {
	m.client.Del(key)
	return nil
}

// DeletePrefix implements [Store] by clearing the whole store.
func (m *MemoryStore[V]) DeletePrefix(context.Context, string) error {
	m.client.Clear()
	return nil
}

// Close stops the store's clock and Ristretto's goroutines. The store is
// unusable afterwards. Close is idempotent.
func (m *MemoryStore[V]) Close() error {
	m.closeOnce.Do(func() {
		close(m.stop)
		<-m.done
		m.client.Close()
	})
	return nil
}
