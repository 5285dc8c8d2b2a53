package auth

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Denylist remembers revoked token IDs until the tokens would have expired
// anyway.
type Denylist interface {
	Revoke(ctx context.Context, id string, until time.Time) error
	Revoked(ctx context.Context, id string) (bool, error)
}

// MemoryDenylist is a Denylist in process memory: for one replica. Expired
// entries are dropped as new ones arrive.
type MemoryDenylist struct {
	mu  sync.Mutex
	ids map[string]time.Time
	now func() time.Time
}

// NewMemoryDenylist returns an empty in-memory denylist; now may be nil
// (time.Now).
func NewMemoryDenylist(now func() time.Time) *MemoryDenylist {
	if now == nil {
		now = time.Now
	}
	return &MemoryDenylist{ids: make(map[string]time.Time), now: now}
}

// Revoke implements [Denylist].
func (m *MemoryDenylist) Revoke(_ context.Context, id string, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for k, exp := range m.ids {
		if !exp.After(now) {
			delete(m.ids, k)
		}
	}
	m.ids[id] = until
	return nil
}

// Revoked implements [Denylist].
func (m *MemoryDenylist) Revoked(_ context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	exp, ok := m.ids[id]
	return ok && exp.After(m.now()), nil
}

// RedisDenylist is a Denylist in Redis, shared by replicas: one key per
// revoked token, expiring with it.
type RedisDenylist struct {
	client redis.UniversalClient
	prefix string
}

// NewRedisDenylist stores revocations under prefix (e.g. "dashkit:revoked:").
func NewRedisDenylist(client redis.UniversalClient, prefix string) (*RedisDenylist, error) {
	if client == nil {
		return nil, errors.Join(ErrConfig, errors.New("nil Redis client"))
	}
	return &RedisDenylist{client: client, prefix: prefix}, nil
}

// Revoke implements [Denylist].
func (r *RedisDenylist) Revoke(ctx context.Context, id string, until time.Time) error {
	ttl := time.Until(until)
	if ttl <= 0 {
		return nil // already expired: nothing to remember
	}
	return r.client.Set(ctx, r.prefix+id, 1, ttl).Err()
}

// Revoked implements [Denylist]. An error (Redis down) is returned, and the
// middleware then refuses the token: revocation must not fail open.
func (r *RedisDenylist) Revoked(ctx context.Context, id string) (bool, error) {
	n, err := r.client.Exists(ctx, r.prefix+id).Result()
	return n > 0, err
}
