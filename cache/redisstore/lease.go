package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// leaseSuffix follows an entry's key in the key of its lease.
const leaseSuffix = "#lease"

// release deletes a lease only while it still holds the caller's token: a
// lease that expired and was taken by another replica is not theirs to end.
var release = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// Lease implements [cache.Leaser] with SET key#lease token NX PX ttl: one
// replica holds a key's lease at a time, until it releases it (a script
// that deletes the lease only if it still holds this caller's random token)
// or ttl passes. Calls are bounded by the store's Timeout and back off
// like Get and Set, so with Redis down Lease fails at once and the Cache
// computes locally.
func (r *Store[V]) Lease(ctx context.Context, key string, ttl time.Duration) (func(), bool, error) {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	token := hex.EncodeToString(b[:])
	lk := key + leaseSuffix
	var ok bool
	err := r.call(ctx, func(ctx context.Context) (err error) {
		ok, err = r.client.SetNX(ctx, lk, token, ttl).Result()
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("cache: redis lease: %w", err)
	}
	if !ok {
		return func() {}, false, nil
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			// The load's ctx may be over; the release is still owed.
			_ = r.call(context.WithoutCancel(ctx), func(ctx context.Context) error {
				return release.Run(ctx, r.client, []string{lk}, token).Err()
			})
		})
	}, true, nil
}
