package cache

import (
	"context"
	"errors"
	"time"
)

// Entry is what a [Store] keeps under a key: a loaded value, or the message
// of a load error when negative caching is on.
type Entry[V any] struct {
	// Value is the loaded value; its zero value is a valid result.
	Value V
	// Err is the message of a cached load error; empty for a value.
	Err string
	// Stored is when the load that produced the value finished;
	// refresh-ahead reads it.
	Stored time.Time
}

// result is what a Get of the entry returns: its value, or its cached
// load error.
func (e Entry[V]) result() (V, error) {
	if e.Err != "" {
		var zero V
		return zero, errors.New(e.Err)
	}
	return e.Value, nil
}

// Store keeps a [Cache]'s entries. [MemoryStore] and [Chain] implement it
// here, package redisstore in Redis; package cachetest holds the
// conformance suite any implementation must pass.
//
// A Store is safe for concurrent use. Get returns [ErrNotFound] for a key it
// does not hold, including one that has expired, and any other error only
// when the store itself failed: the Cache then computes the value anyway.
type Store[V any] interface {
	Get(ctx context.Context, key string) (Entry[V], error)
	// Set stores e under key for ttl (> 0). A store may drop an entry
	// under memory pressure; Get then reports it missing.
	Set(ctx context.Context, key string, e Entry[V], ttl time.Duration) error
	Delete(ctx context.Context, key string) error
	// DeletePrefix removes every key that starts with prefix. A store that
	// cannot enumerate its keys may remove more (see [MemoryStore]), never
	// fewer.
	DeletePrefix(ctx context.Context, prefix string) error
}

var (
	// ErrNotFound is returned by a Store's Get for a missing key.
	ErrNotFound = errors.New("cache: not found")
	// ErrStoreUnavailable is returned by a remote store while it is
	// backing off after a failure.
	ErrStoreUnavailable = errors.New("cache: store unavailable")
	// ErrInvalidOptions is wrapped by every construction error.
	ErrInvalidOptions = errors.New("cache: invalid options")
	// ErrLoaderPanic is wrapped by the error every waiter gets when the
	// load function panics.
	ErrLoaderPanic = errors.New("cache: load function panicked")
)
