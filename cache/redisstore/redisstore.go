package redisstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/internal/redisx"
)

// Options configure a [Store]. The zero value is a working default.
type Options struct {
	// Codec encodes entries; nil means [JSON].
	Codec Codec
	// Timeout bounds every call to Redis; zero means 50 ms. A slow Redis
	// then costs a dashboard request at most this much.
	Timeout time.Duration
	// RetryAfter is how long the store answers [cache.ErrStoreUnavailable]
	// without trying Redis after a failure; zero means one second. The
	// first call after it tries Redis again, so the store recovers by
	// itself.
	RetryAfter time.Duration
}

// Store is a [cache.Store] in Redis through go-redis v9, for several
// replicas sharing one cache. Entries cross the wire through a [Codec].
//
// Every call is bounded by a timeout. After a failure the store stops
// calling Redis for RetryAfter and answers [cache.ErrStoreUnavailable] at
// once, so a Redis outage costs a dashboard almost nothing; a Cache over it
// computes values instead, and resumes hitting when Redis answers again.
type Store[V any] struct {
	client     redis.UniversalClient
	codec      Codec
	timeout    time.Duration
	retryAfter time.Duration
	downUntil  atomic.Int64 // Unix nanoseconds
}

// ErrIgnoresDeadlines is why [New] refuses a client built without
// ContextTimeoutEnabled: go-redis would then ignore the store's per-call
// deadline and wait its own ReadTimeout (3 s by default) on a slow Redis.
var ErrIgnoresDeadlines = redisx.ErrIgnoresDeadlines

// New builds a Store over client. The caller owns the client and closes
// it. Every construction error wraps [cache.ErrInvalidOptions].
//
// The client must honour context deadlines, or Options.Timeout would bound
// nothing: New refuses (with [ErrIgnoresDeadlines]) a client whose options
// have ContextTimeoutEnabled false, and any client other than a
// *redis.Client, *redis.ClusterClient or *redis.Ring, whose options it
// cannot read. [ClientOptions] parses a URL into options that pass.
func New[V any](client redis.UniversalClient, opts Options) (*Store[V], error) {
	if client == nil {
		return nil, fmt.Errorf("%w: nil Redis client", cache.ErrInvalidOptions)
	}
	if err := redisx.CheckClient(client); err != nil {
		return nil, fmt.Errorf("%w: %w", cache.ErrInvalidOptions, err)
	}
	if opts.Timeout < 0 || opts.RetryAfter < 0 {
		return nil, fmt.Errorf("%w: negative Timeout or RetryAfter", cache.ErrInvalidOptions)
	}
	if opts.Codec == nil {
		opts.Codec = JSON()
	}
	opts.Timeout = cmp.Or(opts.Timeout, 50*time.Millisecond)
	opts.RetryAfter = cmp.Or(opts.RetryAfter, time.Second)
	return &Store[V]{
		client:     client,
		codec:      opts.Codec,
		timeout:    opts.Timeout,
		retryAfter: opts.RetryAfter,
	}, nil
}

// ClientOptions parses a Redis URL (redis://user:pass@host:6379/0, or
// rediss:// for TLS) into go-redis options that [New] accepts: context
// deadlines honoured, no retries (the store's caller computes instead of
// waiting), and a dial bounded by one second when the call's own deadline
// is longer.
func ClientOptions(url string) (*redis.Options, error) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	o.ContextTimeoutEnabled = true
	o.MaxRetries = -1
	if o.DialTimeout == 0 {
		o.DialTimeout = time.Second
	}
	return o, nil
}

// Logger sends go-redis's own log lines (dial errors, pool trouble) to a
// slog.Logger as warnings, instead of standard error. go-redis has one
// logger per process: set it in main with
// redis.SetLogger(redisstore.Logger{L: logger}).
type Logger struct{ L *slog.Logger }

// Printf implements go-redis's logging interface.
func (l Logger) Printf(ctx context.Context, format string, v ...any) {
	l.L.WarnContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// call runs f under the timeout, unless the store is backing off.
func (r *Store[V]) call(ctx context.Context, f func(context.Context) error) error {
	if until := r.downUntil.Load(); until != 0 && time.Now().UnixNano() < until {
		return cache.ErrStoreUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	err := f(ctx)
	switch {
	case err == nil || errors.Is(err, redis.Nil):
		r.downUntil.Store(0)
	case errors.Is(ctx.Err(), context.Canceled):
		// The caller gave up; Redis is not to blame.
	default:
		r.downUntil.Store(time.Now().Add(r.retryAfter).UnixNano())
	}
	return err
}

// Get implements [cache.Store]. An entry that does not decode is a miss.
func (r *Store[V]) Get(ctx context.Context, key string) (cache.Entry[V], error) {
	var raw []byte
	err := r.call(ctx, func(ctx context.Context) (err error) {
		raw, err = r.client.Get(ctx, key).Bytes()
		return err
	})
	if err != nil {
		if errors.Is(err, redis.Nil) {
			return cache.Entry[V]{}, cache.ErrNotFound
		}
		return cache.Entry[V]{}, fmt.Errorf("cache: redis get: %w", err)
	}
	var env envelope[V]
	if err := r.codec.Unmarshal(raw, &env); err != nil {
		return cache.Entry[V]{}, cache.ErrNotFound
	}
	return cache.Entry[V]{Value: env.V, Err: env.E, Stored: time.Unix(0, env.T)}, nil
}

// Set implements [cache.Store].
func (r *Store[V]) Set(ctx context.Context, key string, e cache.Entry[V], ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("cache: redis store: ttl %v must be positive", ttl)
	}
	b, err := r.codec.Marshal(envelope[V]{V: e.Value, E: e.Err, T: e.Stored.UnixNano()})
	if err != nil {
		return fmt.Errorf("cache: encode %q: %w", key, err)
	}
	err = r.call(ctx, func(ctx context.Context) error {
		return r.client.Set(ctx, key, b, ttl).Err()
	})
	if err != nil {
		return fmt.Errorf("cache: redis set: %w", err)
	}
	return nil
}

// Delete implements [cache.Store].
func (r *Store[V]) Delete(ctx context.Context, key string) error {
	if err := r.call(ctx, func(ctx context.Context) error { return r.client.Unlink(ctx, key).Err() }); err != nil {
		return fmt.Errorf("cache: redis delete: %w", err)
	}
	return nil
}

// DeletePrefix implements [cache.Store] with SCAN and UNLINK, a batch at a time,
// so it never blocks Redis. It is not bounded by Timeout, only by ctx.
func (r *Store[V]) DeletePrefix(ctx context.Context, prefix string) error {
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
