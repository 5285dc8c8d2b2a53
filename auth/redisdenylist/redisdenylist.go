package redisdenylist

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/internal/redisx"
)

// Timeout bounds every call the denylist makes to Redis.
const Timeout = 100 * time.Millisecond

// Denylist is an [auth.Denylist] in Redis, shared by replicas: one key per
// revoked token, expiring with it.
type Denylist struct {
	client redis.UniversalClient
	prefix string
}

// New stores revocations under prefix (e.g. "dashkit:revoked:"). The
// caller owns the client and closes it. A nil client is an error wrapping
// [auth.ErrConfig], and so is a client that would ignore the per-call
// deadline ([Timeout]): one built without ContextTimeoutEnabled, or one
// whose options cannot be read (not a *redis.Client, *redis.ClusterClient
// or *redis.Ring). A slow Redis then costs a request at most Timeout, and
// fails closed (the token is refused).
func New(client redis.UniversalClient, prefix string) (*Denylist, error) {
	if client == nil {
		return nil, fmt.Errorf("%w: nil Redis client", auth.ErrConfig)
	}
	if err := redisx.CheckClient(client); err != nil {
		return nil, fmt.Errorf("%w: %w", auth.ErrConfig, err)
	}
	return &Denylist{client: client, prefix: prefix}, nil
}

// Revoke implements [auth.Denylist].
func (d *Denylist) Revoke(ctx context.Context, id string, until time.Time) error {
	ttl := time.Until(until)
	if ttl <= 0 {
		return nil // already expired: nothing to remember
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := d.client.Set(ctx, d.prefix+id, 1, ttl).Err(); err != nil {
		return fmt.Errorf("redisdenylist: revoke: %w", err)
	}
	return nil
}

// Revoked implements [auth.Denylist]. An error (Redis down) is returned,
// and the middleware then refuses the token: revocation must not fail
// open.
func (d *Denylist) Revoked(ctx context.Context, id string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	n, err := d.client.Exists(ctx, d.prefix+id).Result()
	if err != nil {
		return false, fmt.Errorf("redisdenylist: revoked: %w", err)
	}
	return n > 0, nil
}
