package cache

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	gocachestore "github.com/eko/gocache/lib/v4/store"
	redisstore "github.com/eko/gocache/store/redis/v4"
	"github.com/redis/go-redis/v9"
)

// RedisOptions configure a [RedisStore]. The zero value is a working
// default.
type RedisOptions struct {
	// Codec encodes entries; nil means [JSON].
	Codec Codec
	// Timeout bounds every call to Redis; zero means 50 ms. A slow Redis
	// then costs a dashboard request at most this much.
	Timeout time.Duration
	// RetryAfter is how long the store answers [ErrStoreUnavailable]
	// without trying Redis after a failure; zero means one second. The
	// first call after it tries Redis again, so the store recovers by
	// itself.
	RetryAfter time.Duration
}

// RedisStore is a [Store] in Redis over gocache's Redis store (go-redis
// v9), for several replicas sharing one cache. Entries cross the wire through
// a [Codec].
//
// Every call is bounded by a timeout. After a failure the store stops
// calling Redis for RetryAfter and answers [ErrStoreUnavailable] at once, so
// a Redis outage costs a dashboard almost nothing; a Cache over it computes
// values instead, and resumes hitting when Redis answers again.
type RedisStore[V any] struct {
	client     redis.UniversalClient
	store      *redisstore.RedisStore
	codec      Codec
	timeout    time.Duration
	retryAfter time.Duration
	downUntil  atomic.Int64 // Unix nanoseconds
}

// NewRedisStore builds a RedisStore over client. The caller owns the client
// and closes it.
func NewRedisStore[V any](client redis.UniversalClient, opts RedisOptions) (*RedisStore[V], error) {
	if client == nil {
		return nil, fmt.Errorf("%w: nil Redis client", ErrInvalidOptions)
	}
	if opts.Timeout < 0 || opts.RetryAfter < 0 {
		return nil, fmt.Errorf("%w: negative Timeout or RetryAfter", ErrInvalidOptions)
	}
	if opts.Codec == nil {
		opts.Codec = JSON
	}
	if opts.Timeout == 0 {
		opts.Timeout = 50 * time.Millisecond
	}
	if opts.RetryAfter == 0 {
		opts.RetryAfter = time.Second
	}
	return &RedisStore[V]{
		client:     client,
		store:      redisstore.NewRedis(client),
		codec:      opts.Codec,
		timeout:    opts.Timeout,
		retryAfter: opts.RetryAfter,
	}, nil
}

// call runs f under the timeout, unless the store is backing off.
func (r *RedisStore[V]) call(ctx context.Context, f func(context.Context) error) error {
	if until := r.downUntil.Load(); until != 0 && time.Now().UnixNano() < until {
		return ErrStoreUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	err := f(ctx)
	switch {
	case err == nil || errors.Is(err, gocachestore.NotFound{}):
		r.downUntil.Store(0)
	case errors.Is(ctx.Err(), context.Canceled):
		// The caller gave up; Redis is not to blame.
	default:
		r.downUntil.Store(time.Now().Add(r.retryAfter).UnixNano())
	}
	return err
}

// Get implements [Store]. An entry that does not decode is a miss.
func (r *RedisStore[V]) Get(ctx context.Context, key string) (Entry[V], error) {
	var raw any
	err := r.call(ctx, func(ctx context.Context) (err error) {
		raw, err = r.store.Get(ctx, key)
		return err
	})
	if err != nil {
		if errors.Is(err, gocachestore.NotFound{}) {
			return Entry[V]{}, ErrNotFound
		}
		return Entry[V]{}, fmt.Errorf("cache: redis get: %w", err)
	}
	s, ok := raw.(string)
	if !ok {
		return Entry[V]{}, ErrNotFound
	}
	var env envelope[V]
	if err := r.codec.Unmarshal([]byte(s), &env); err != nil {
		return Entry[V]{}, ErrNotFound
	}
	return Entry[V]{Value: env.V, Err: env.E, Stored: time.Unix(0, env.T)}, nil
}

// Set implements [Store].
func (r *RedisStore[V]) Set(ctx context.Context, key string, e Entry[V], ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("cache: redis store: ttl %v must be positive", ttl)
	}
	b, err := r.codec.Marshal(envelope[V]{V: e.Value, E: e.Err, T: e.Stored.UnixNano()})
	if err != nil {
		return fmt.Errorf("cache: encode %q: %w", key, err)
	}
	err = r.call(ctx, func(ctx context.Context) error {
		return r.store.Set(ctx, key, b, gocachestore.WithExpiration(ttl))
	})
	if err != nil {
		return fmt.Errorf("cache: redis set: %w", err)
	}
	return nil
}

// Delete implements [Store].
func (r *RedisStore[V]) Delete(ctx context.Context, key string) error {
	if err := r.call(ctx, func(ctx context.Context) error { return r.store.Delete(ctx, key) }); err != nil {
		return fmt.Errorf("cache: redis delete: %w", err)
	}
	return nil
}

// DeletePrefix implements [Store] with SCAN and UNLINK, a batch at a time,
// so it never blocks Redis. It is not bounded by Timeout, only by ctx.
func (r *RedisStore[V]) DeletePrefix(ctx context.Context, prefix string) error {
	iter := r.client.Scan(ctx, 0, escapeGlob(prefix)+"*", 500).Iterator()
	batch := make([]string, 0, 500)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := r.client.Unlink(ctx, batch...).Err()
		batch = batch[:0]
		return err
	}
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return fmt.Errorf("cache: redis delete prefix: %w", err)
			}
		}
	}
	if err := iter.Err(); err != nil {
		return fmt.Errorf("cache: redis delete prefix: %w", err)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("cache: redis delete prefix: %w", err)
	}
	return nil
}

// escapeGlob quotes the characters SCAN's MATCH pattern treats specially.
func escapeGlob(s string) string {
	out := make([]byte, 0, len(s))
	for i := range len(s) {
		switch s[i] {
		case '*', '?', '[', ']', '\\', '^', '-':
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}
