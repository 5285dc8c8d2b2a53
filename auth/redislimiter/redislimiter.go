package redislimiter

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dashkit/dashkit/auth"
)

// Options configure a [Limiter]. The zero value allows 5 attempts per key
// a minute, under the prefix "{dashkit-login}:".
type Options struct {
	// Prefix starts every key. Keep a Redis Cluster hash tag in it (the
	// part in braces): one Take touches several keys at once, which must
	// live on one node.
	Prefix string
	// Attempts is how many attempts a key has per Window; zero means 5.
	Attempts int
	// Window is how long a key's count lives from its first attempt; zero
	// means one minute.
	Window time.Duration
	// Timeout bounds each call to Redis; zero means 100 ms. Past it Take
	// fails and the auth package limits in process.
	Timeout time.Duration
}

// Limiter is an [auth.LoginLimiter] in Redis: each key counts attempts in
// a window that starts with its first attempt.
type Limiter struct {
	client redis.UniversalClient
	opts   Options
}

var _ auth.LoginLimiter = (*Limiter)(nil)

// take counts one attempt on every key, or none when any key is used up.
var take = redis.NewScript(`
for _, k in ipairs(KEYS) do
  if tonumber(redis.call("GET", k) or "0") >= tonumber(ARGV[1]) then return 0 end
end
for _, k in ipairs(KEYS) do
  if redis.call("INCR", k) == 1 then redis.call("PEXPIRE", k, ARGV[2]) end
end
return 1`)

// refund gives an attempt back on every key that still counts one.
var refund = redis.NewScript(`
for _, k in ipairs(KEYS) do
  if tonumber(redis.call("GET", k) or "0") > 0 then redis.call("DECR", k) end
end
return 1`)

// New builds a Limiter over client, which the caller owns and closes. A
// nil client or negative options are an error wrapping [auth.ErrConfig].
func New(client redis.UniversalClient, opts Options) (*Limiter, error) {
	if client == nil {
		return nil, fmt.Errorf("%w: nil Redis client", auth.ErrConfig)
	}
	if opts.Attempts < 0 || opts.Window < 0 || opts.Timeout < 0 {
		return nil, fmt.Errorf("%w: negative Attempts, Window or Timeout", auth.ErrConfig)
	}
	opts.Prefix = cmp.Or(opts.Prefix, "{dashkit-login}:")
	opts.Attempts = cmp.Or(opts.Attempts, 5)
	opts.Window = cmp.Or(opts.Window, time.Minute)
	opts.Timeout = cmp.Or(opts.Timeout, 100*time.Millisecond)
	return &Limiter{client: client, opts: opts}, nil
}

// Take implements [auth.LoginLimiter].
func (l *Limiter) Take(ctx context.Context, keys ...string) (bool, func(), error) {
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = l.opts.Prefix + k
	}
	tctx, cancel := context.WithTimeout(ctx, l.opts.Timeout)
	defer cancel()
	n, err := take.Run(tctx, l.client, full, l.opts.Attempts, l.opts.Window.Milliseconds()).Int()
	if err != nil {
		return false, nil, fmt.Errorf("redislimiter: take: %w", err)
	}
	if n == 0 {
		return false, func() {}, nil
	}
	return true, func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.opts.Timeout)
		defer cancel()
		_ = refund.Run(ctx, l.client, full).Err()
	}, nil
}
