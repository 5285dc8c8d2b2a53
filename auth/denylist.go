package auth

import (
	"context"
	"sync"
	"time"
)

// Denylist remembers revoked token IDs until the tokens would have expired
// anyway. [MemoryDenylist] serves one replica; package redisdenylist keeps
// revocations in Redis for several.
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
