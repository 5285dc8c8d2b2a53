package redisdenylist

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/internal/redisx"
)

// Timeout bounds every call the denylist makes to Redis.
const Timeout = 100 * time.Millisecond

// Options configure a [Denylist].
type Options struct {
	// Prefix namespaces the keys, e.g. "dashkit:revoked:".
	Prefix string
	// LocalFallback chooses availability over cross-replica revocation
	// while Redis cannot be asked. Off (the default), [Denylist.Revoked]
	// returns Redis's error and [auth.Auth] refuses every token: no
	// request is served, none wrongly. On, the denylist keeps a mirror in
	// process memory of every revocation it has made or read, and answers
	// from it while Redis is down: a token revoked through this replica,
	// or seen revoked here, stays refused; a token revoked through
	// another replica and never seen here is accepted until Redis answers
	// again or the token expires. A revocation made during the outage is
	// kept in the mirror and written to Redis at the first call that
	// reaches it.
	LocalFallback bool
	// Logger receives one warning when LocalFallback starts answering
	// from memory and one message when Redis answers again; nil means
	// slog.Default().
	Logger *slog.Logger
}

// Denylist is an [auth.Denylist] in Redis, shared by replicas: one key per
// revoked token, expiring with it.
type Denylist struct {
	client redis.UniversalClient
	prefix string
	local  *auth.MemoryDenylist // nil without LocalFallback
	log    *slog.Logger
	down   atomic.Bool // answering from the mirror

	mu      sync.Mutex
	pending map[string]time.Time // revocations Redis has not taken yet
}

// New stores revocations under opts.Prefix. The caller owns the client and
// closes it. A nil client is an error wrapping [auth.ErrConfig], and so is
// a client that would ignore the per-call deadline ([Timeout]): one built
// without ContextTimeoutEnabled, or one whose options cannot be read (not a
// *redis.Client, *redis.ClusterClient or *redis.Ring). A slow Redis then
// costs a request at most Timeout.
func New(client redis.UniversalClient, opts Options) (*Denylist, error) {
	if client == nil {
		return nil, fmt.Errorf("%w: nil Redis client", auth.ErrConfig)
	}
	if err := redisx.CheckClient(client); err != nil {
		return nil, fmt.Errorf("%w: %w", auth.ErrConfig, err)
	}
	d := &Denylist{client: client, prefix: opts.Prefix, log: cmp.Or(opts.Logger, slog.Default())}
	if opts.LocalFallback {
		d.local = auth.NewMemoryDenylist(nil)
		d.pending = make(map[string]time.Time)
	}
	return d, nil
}

// Revoke implements [auth.Denylist]. With LocalFallback the revocation is
// kept in process memory first, and a Redis failure is not an error: the
// revocation holds on this replica at once and reaches Redis later.
func (d *Denylist) Revoke(ctx context.Context, id string, until time.Time) error {
	ttl := time.Until(until)
	if ttl <= 0 {
		return nil // already expired: nothing to remember
	}
	if d.local != nil {
		_ = d.local.Revoke(ctx, id, until)
	}
	err := d.set(ctx, id, ttl)
	switch {
	case err == nil:
		d.flush(ctx)
		return nil
	case d.local != nil:
		d.degraded(err)
		d.mu.Lock()
		d.pending[id] = until
		d.mu.Unlock()
		return nil
	}
	return fmt.Errorf("redisdenylist: revoke: %w", err)
}

func (d *Denylist) set(ctx context.Context, id string, ttl time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	return d.client.Set(ctx, d.prefix+id, 1, ttl).Err()
}

// Revoked implements [auth.Denylist]. Without LocalFallback an error
// (Redis down) is returned, and the middleware then refuses the token:
// revocation does not fail open. With it, the answer comes from the
// mirror while Redis cannot be asked (see [Options.LocalFallback]).
func (d *Denylist) Revoked(ctx context.Context, id string) (bool, error) {
	if d.local != nil {
		if revoked, _ := d.local.Revoked(ctx, id); revoked {
			return true, nil
		}
	}
	rctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	// PTTL answers whether the key exists (-2 when not) and for how long
	// the mirror should remember it, in one round trip.
	ttl, err := d.client.PTTL(rctx, d.prefix+id).Result()
	if err != nil {
		if d.local != nil {
			d.degraded(err)
			return false, nil // not in the mirror (looked above)
		}
		return false, fmt.Errorf("redisdenylist: revoked: %w", err)
	}
	revoked := ttl != -2
	if d.local != nil {
		d.flush(ctx)
		if revoked && ttl > 0 {
			_ = d.local.Revoke(ctx, id, time.Now().Add(ttl))
		}
	}
	return revoked, nil
}

// degraded notes that the mirror answers for Redis.
func (d *Denylist) degraded(err error) {
	if !d.down.Swap(true) {
		d.log.Warn("redisdenylist: Redis cannot be asked; answering from this replica's revocations until it can", "error", err)
	}
}

// flush writes the revocations made while Redis was down, now that it
// answers.
func (d *Denylist) flush(ctx context.Context) {
	if d.local == nil {
		return
	}
	if d.down.Swap(false) {
		d.log.Info("redisdenylist: Redis answers again; revocations are shared")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, until := range d.pending {
		ttl := time.Until(until)
		if ttl > 0 {
			if err := d.set(ctx, id, ttl); err != nil {
				return // still down: the next call tries again
			}
		}
		delete(d.pending, id)
	}
}
