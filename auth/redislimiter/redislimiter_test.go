package redislimiter_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/auth/redislimiter"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// replica is one process's Auth over the shared limiter.
func replica(t *testing.T, l auth.LoginLimiter) *auth.Auth {
	t.Helper()
	return replicaWith(t, l, auth.Options{})
}

// replicaWith is replica with options (limits).
func replicaWith(t *testing.T, l auth.LoginLimiter, opts auth.Options) *auth.Auth {
	t.Helper()
	tokens, err := auth.NewTokens(auth.TokenOptions{Secret: []byte("0123456789abcdef0123456789abcdef"), Issuer: "t", Audience: "t"})
	require.NoError(t, err)
	opts.Tokens, opts.LoginLimiter = tokens, l
	opts.Check = func(_ context.Context, user, password string) (auth.User, error) {
		if password == "right" {
			return auth.User{ID: user, Name: user, Roles: []auth.Role{auth.Viewer}}, nil
		}
		return auth.User{}, auth.ErrBadCredentials
	}
	a, err := auth.New(opts)
	require.NoError(t, err)
	return a
}

func login(a *auth.Auth, user, password string) int {
	code, _ := loginFrom(a, user, password, "192.0.2.1:1234")
	return code
}

// loginFrom signs in from addr and returns the status and Retry-After.
func loginFrom(a *auth.Auth, user, password, addr string) (int, string) {
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"user": {user}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.RemoteAddr = addr
	rec := httptest.NewRecorder()
	a.LoginHandler().ServeHTTP(rec, req)
	return rec.Code, rec.Header().Get("Retry-After")
}

// newLimiter is a Limiter over the test Redis, under a prefix of its own.
func newLimiter(t *testing.T) *redislimiter.Limiter {
	t.Helper()
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	require.NoError(t, err)
	client := redis.NewClient(opts)
	t.Cleanup(func() { _ = client.Close() })
	l, err := redislimiter.New(client, redislimiter.Options{Prefix: fmt.Sprintf("{login-test-%d}:", time.Now().UnixNano()), Timeout: time.Second})
	require.NoError(t, err)
	return l
}

// TestLimitsHoldAcrossReplicas: attempts spread over three replicas count
// against one limit; a successful sign-in does not count.
func TestLimitsHoldAcrossReplicas(t *testing.T) {
	l := newLimiter(t)
	replicas := []*auth.Auth{replica(t, l), replica(t, l), replica(t, l)}

	for range 3 {
		require.Equal(t, http.StatusOK, login(replicas[0], "ana", "right"), "successes do not count")
	}
	codes := map[int]int{}
	for i := range 9 {
		codes[login(replicas[i%3], "ana", "guess")]++
	}
	require.Equal(t, 5, codes[http.StatusUnauthorized], "five failures in all, whichever replica saw them")
	require.Equal(t, 4, codes[http.StatusTooManyRequests])
}

// TestLockoutRowsAcrossReplicas replays auth.TestReliabilityRows' lockout
// rows with the limits in Redis, spread over two replicas: an attacker
// from one address cannot lock a user out, and Retry-After is the wait the
// shared limits really impose (the Redis server's clock: the test waits).
func TestLockoutRowsAcrossReplicas(t *testing.T) {
	t.Run("lockout: an attacker from another address cannot lock a user out", func(t *testing.T) {
		l := newLimiter(t)
		r1, r2 := replica(t, l), replica(t, l)
		codes := map[int]int{}
		for i := range 40 {
			code, _ := loginFrom([]*auth.Auth{r1, r2}[i%2], "ana", "guess", "203.0.113.66:4000")
			codes[code]++
		}
		require.Equal(t, 5, codes[http.StatusUnauthorized], "the attacker gets five guesses over both replicas")
		require.Equal(t, 35, codes[http.StatusTooManyRequests])
		code, _ := loginFrom(r2, "ana", "right", "198.51.100.7:5000")
		require.Equal(t, http.StatusOK, code, "the user, from their own address, still signs in")
	})
	t.Run("lockout: Retry-After is the real wait", func(t *testing.T) {
		l := newLimiter(t)
		opts := auth.Options{LoginRate: rate.Every(2 * time.Second), LoginBurst: 2}
		r1, r2 := replicaWith(t, l, opts), replicaWith(t, l, opts)
		const from = "203.0.113.9:1"
		for _, r := range []*auth.Auth{r1, r2} {
			code, _ := loginFrom(r, "ana", "guess", from)
			require.Equal(t, http.StatusUnauthorized, code)
		}
		code, after := loginFrom(r1, "ana", "right", from)
		start := time.Now()
		require.Equal(t, http.StatusTooManyRequests, code)
		require.Equal(t, "2", after)
		time.Sleep(time.Second)
		code, after = loginFrom(r2, "ana", "right", from)
		require.Equal(t, http.StatusTooManyRequests, code, "a second early")
		require.Equal(t, "1", after)
		time.Sleep(2*time.Second - time.Since(start))
		code, _ = loginFrom(r2, "ana", "right", from)
		require.Equal(t, http.StatusOK, code, "Retry-After later")
	})
}
