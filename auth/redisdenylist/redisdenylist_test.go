package redisdenylist_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/auth/redisdenylist"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

func client(t *testing.T, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 50 * time.Millisecond, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func newDenylist(t *testing.T, addr string, opts redisdenylist.Options) *redisdenylist.Denylist {
	d, err := redisdenylist.New(client(t, addr), opts)
	require.NoError(t, err)
	return d
}

// Without LocalFallback a Redis that cannot be asked is an error (the
// middleware refuses the token): revocation does not fail open.
func TestOutageFailsClosedByDefault(t *testing.T) {
	srv := testenv.PrivateRedis(t)
	d := newDenylist(t, srv.Addr(), redisdenylist.Options{Prefix: "t:"})
	ctx := t.Context()
	require.NoError(t, d.Revoke(ctx, "a", time.Now().Add(time.Hour)))
	revoked, err := d.Revoked(ctx, "a")
	require.NoError(t, err)
	require.True(t, revoked)

	srv.Kill()
	_, err = d.Revoked(ctx, "a")
	require.Error(t, err)
	_, err = d.Revoked(ctx, "never-revoked")
	require.Error(t, err, "an unknown token is not accepted either")
	require.Error(t, d.Revoke(ctx, "b", time.Now().Add(time.Hour)), "a logout that Redis did not take is an error")
}

// With LocalFallback, two replicas (two denylists on one Redis) through an
// outage: what a replica revoked or saw revoked stays refused there, a
// logout during the outage holds at once on its replica and reaches the
// other when Redis returns, and unknown tokens are served meanwhile.
func TestLocalFallbackThroughAnOutage(t *testing.T) {
	srv := testenv.PrivateRedis(t)
	opts := redisdenylist.Options{Prefix: "t:", LocalFallback: true}
	r1, r2 := newDenylist(t, srv.Addr(), opts), newDenylist(t, srv.Addr(), opts)
	ctx := t.Context()
	until := time.Now().Add(time.Hour)

	require.NoError(t, r1.Revoke(ctx, "own", until))
	require.NoError(t, r2.Revoke(ctx, "seen", until))
	revoked, err := r1.Revoked(ctx, "seen")
	require.NoError(t, err)
	require.True(t, revoked, "r1 reads r2's logout from Redis (and remembers it)")

	srv.Kill()
	for _, id := range []string{"own", "seen"} {
		revoked, err := r1.Revoked(ctx, id)
		require.NoError(t, err, "Redis down is not an error with LocalFallback")
		require.True(t, revoked, "%s stays revoked on r1 during the outage", id)
	}
	revoked, err = r1.Revoked(ctx, "other")
	require.NoError(t, err)
	require.False(t, revoked, "a token nobody revoked is served")

	start := time.Now()
	require.NoError(t, r1.Revoke(ctx, "during", until), "a logout during the outage succeeds on its replica")
	require.Less(t, time.Since(start), time.Second, "bounded by the per-call timeout")
	revoked, err = r1.Revoked(ctx, "during")
	require.NoError(t, err)
	require.True(t, revoked)

	srv.Start()                             // back, empty
	revoked, err = r1.Revoked(ctx, "other") // a call that reaches Redis flushes r1's pending logout
	require.NoError(t, err)
	require.False(t, revoked)
	revoked, err = r2.Revoked(ctx, "during")
	require.NoError(t, err)
	require.True(t, revoked, "the logout made during the outage reached the other replica")

	plain := newDenylist(t, srv.Addr(), redisdenylist.Options{Prefix: "t:"})
	ttl, err := client(t, srv.Addr()).PTTL(context.Background(), "t:during").Result()
	require.NoError(t, err)
	require.Greater(t, ttl, 59*time.Minute, "written with the token's remaining lifetime")
	revoked, err = plain.Revoked(ctx, "during")
	require.NoError(t, err)
	require.True(t, revoked)
}

// A client that would ignore the per-call deadline is refused.
func TestClientWithoutContextTimeoutIsRefused(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { _ = c.Close() })
	_, err := redisdenylist.New(c, redisdenylist.Options{})
	require.Error(t, err)
}
