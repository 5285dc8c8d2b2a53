// Package redisx holds the check that a go-redis client honours the
// per-call deadlines dashkit's Redis users (cache/redisstore, auth/redisdenylist) share.
package redisx

import (
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// ErrIgnoresDeadlines is returned by [CheckClient] for a client whose
// options would ignore a context's deadline.
var ErrIgnoresDeadlines = errors.New("the Redis client ignores context deadlines: set ContextTimeoutEnabled: true in its options (a slow or black-holed Redis would otherwise stall each call for its ReadTimeout, 3 s by default, whatever the caller's timeout)")

// CheckClient refuses a client that would not bound a call by its
// context's deadline: go-redis honours it only with ContextTimeoutEnabled,
// and falls back to its ReadTimeout and WriteTimeout otherwise. A client
// whose options cannot be read (not a *redis.Client, *redis.ClusterClient
// or *redis.Ring) is refused too, since nobody can tell.
func CheckClient(c redis.UniversalClient) error {
	var ok bool
	switch c := c.(type) {
	case nil:
		return errors.New("nil Redis client")
	case *redis.Client:
		ok = c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		ok = c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		ok = c.Options().ContextTimeoutEnabled
	default:
		return fmt.Errorf("%w (a %T cannot be checked: pass a *redis.Client, *redis.ClusterClient or *redis.Ring)", ErrIgnoresDeadlines, c)
	}
	if !ok {
		return ErrIgnoresDeadlines
	}
	return nil
}
