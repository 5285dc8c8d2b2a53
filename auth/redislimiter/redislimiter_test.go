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

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/auth/redislimiter"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// replica is one process's Auth over the shared limiter.
func replica(t *testing.T, l auth.LoginLimiter) *auth.Auth {
	t.Helper()
	tokens, err := auth.NewTokens(auth.TokenOptions{Secret: []byte("0123456789abcdef0123456789abcdef"), Issuer: "t", Audience: "t"})
	require.NoError(t, err)
	a, err := auth.New(auth.Options{Tokens: tokens, LoginLimiter: l, Check: func(_ context.Context, user, password string) (auth.User, error) {
		if password == "right" {
			return auth.User{ID: user, Name: user, Roles: []auth.Role{auth.Viewer}}, nil
		}
		return auth.User{}, auth.ErrBadCredentials
	}})
	require.NoError(t, err)
	return a
}

func login(a *auth.Auth, user, password string) int {
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"user": {user}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	rec := httptest.NewRecorder()
	a.LoginHandler().ServeHTTP(rec, req)
	return rec.Code
}

// TestLimitsHoldAcrossReplicas: attempts spread over three replicas count
// against one limit; a successful sign-in does not count.
func TestLimitsHoldAcrossReplicas(t *testing.T) {
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	require.NoError(t, err)
	client := redis.NewClient(opts)
	t.Cleanup(func() { _ = client.Close() })
	l, err := redislimiter.New(client, redislimiter.Options{Prefix: fmt.Sprintf("{login-test-%d}:", time.Now().UnixNano()), Timeout: time.Second})
	require.NoError(t, err)
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
