package redislimiter

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/dashkit/dashkit/auth"
)

// Options configure a [Limiter]. The zero value keeps its keys under the
// prefix "{dashkit-login}:" and bounds each call to 100 ms.
type Options struct {
	// Prefix starts every key. Keep a Redis Cluster hash tag in it (the
	// part in braces): one Take touches several keys at once, which must
	// live on one node.
	Prefix string
	// Timeout bounds each call to Redis; zero means 100 ms. Past it Take
	// fails and the auth package limits in process.
	Timeout time.Duration
}

// Limiter is an [auth.LoginLimiter] in Redis: each limit is a token bucket
// with the rate and burst [auth.Auth] passes, kept as the generic cell rate
// algorithm's theoretical arrival time, timed by the Redis server's clock
// so that every replica agrees. It allows exactly what
// golang.org/x/time/rate would in one process, and its wait is the same.
type Limiter struct {
	client redis.UniversalClient
	opts   Options
}

var _ auth.LoginLimiter = (*Limiter)(nil)

// take counts one attempt on every key, or none when any key is used up,
// and returns the wait in microseconds (0: taken). Each key holds its
// theoretical arrival time (TAT) in microseconds; ARGV holds, per key, the
// emission interval and the burst. An attempt at now is allowed when
// max(TAT, now) + interval - burst*interval <= now; the key then expires
// when its bucket is full again.
var take = redis.NewScript(`
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait, tats = 0, {}
for i, k in ipairs(KEYS) do
  local interval, burst = tonumber(ARGV[2*i-1]), tonumber(ARGV[2*i])
  local tat = math.max(tonumber(redis.call("GET", k) or "0"), now) + interval
  wait = math.max(wait, tat - interval * burst - now)
  tats[i] = tat
end
if wait > 0 then return wait end
for i, k in ipairs(KEYS) do
  redis.call("SET", k, string.format("%.0f", tats[i]), "PX", math.max(1, math.ceil((tats[i] - now) / 1000)))
end
return 0`)

// refund gives an attempt back on every key: its TAT moves back one
// interval, and a bucket that is full again is forgotten.
var refund = redis.NewScript(`
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
for i, k in ipairs(KEYS) do
  local tat = tonumber(redis.call("GET", k) or "0") - tonumber(ARGV[i])
  if tat <= now then
    redis.call("DEL", k)
  else
    redis.call("SET", k, string.format("%.0f", tat), "PX", math.max(1, math.ceil((tat - now) / 1000)))
  end
end
return 1`)

// New builds a Limiter over client, which the caller owns and closes. A
// nil client or a negative timeout is an error wrapping [auth.ErrConfig].
func New(client redis.UniversalClient, opts Options) (*Limiter, error) {
	if client == nil {
		return nil, fmt.Errorf("%w: nil Redis client", auth.ErrConfig)
	}
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("%w: negative Timeout", auth.ErrConfig)
	}
	opts.Prefix = cmp.Or(opts.Prefix, "{dashkit-login}:")
	opts.Timeout = cmp.Or(opts.Timeout, 100*time.Millisecond)
	return &Limiter{client: client, opts: opts}, nil
}

// interval is a rate's emission interval in microseconds: the time one
// attempt takes to come back. A rate of zero never refills.
func interval(r rate.Limit) int64 {
	if r <= 0 {
		return math.MaxInt64 / 4 // ~73,000 years: never, without overflowing
	}
	return max(1, int64(math.Ceil(1e6/float64(r))))
}

// Take implements [auth.LoginLimiter]. A limit with an infinite rate
// always allows and is not stored; one with a burst below 1 never allows.
func (l *Limiter) Take(ctx context.Context, limits ...auth.LoginLimit) (time.Duration, func(), error) {
	keys := make([]string, 0, len(limits))
	args := make([]any, 0, 2*len(limits))
	intervals := make([]any, 0, len(limits))
	for _, lim := range limits {
		if lim.Rate == rate.Inf {
			continue
		}
		iv := interval(lim.Rate)
		keys = append(keys, l.opts.Prefix+lim.Key)
		args = append(args, iv, lim.Burst)
		intervals = append(intervals, iv)
	}
	if len(keys) == 0 {
		return 0, func() {}, nil
	}
	tctx, cancel := context.WithTimeout(ctx, l.opts.Timeout)
	defer cancel()
	wait, err := take.Run(tctx, l.client, keys, args...).Int64()
	if err != nil {
		return 0, nil, fmt.Errorf("redislimiter: take: %w", err)
	}
	if wait > 0 {
		return time.Duration(wait) * time.Microsecond, func() {}, nil
	}
	return 0, func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.opts.Timeout)
		defer cancel()
		_ = refund.Run(ctx, l.client, keys, intervals...).Err()
	}, nil
}
