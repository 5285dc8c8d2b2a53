package dashboard_test

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/dashboard"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	var logs bytes.Buffer
	c, err := dashboard.LoadConfig(env(nil), slog.New(slog.NewTextHandler(&logs, nil)))
	require.NoError(t, err)
	require.Equal(t, dashboard.Development, c.Env)
	require.True(t, c.SecretGenerated)
	require.Len(t, c.SecretKey, 64)
	require.Contains(t, logs.String(), "SECRET_KEY is not set")
	require.Equal(t, dashboard.CacheMemory, c.Cache)
	require.Equal(t, 10_000, c.MaxDataPoints)
	require.Equal(t, 30*time.Second, c.RefreshInterval)
	require.Equal(t, ":8050", c.Addr)

	other, err := dashboard.LoadConfig(env(nil), nil)
	require.NoError(t, err)
	require.NotEqual(t, c.SecretKey, other.SecretKey, "generated secrets are random")
}

func TestLoadConfigProduction(t *testing.T) {
	secret := "0123456789abcdef0123456789abcdef"
	c, err := dashboard.LoadConfig(env(map[string]string{
		"DASHKIT_ENV": "production", "SECRET_KEY": secret, "CACHE_TYPE": "Redis",
		"REDIS_URL": "redis://r:6379/0", "DATABASE_URL": "postgres://db/x", "REFRESH_INTERVAL": "2.5", "ADDR": "127.0.0.1:9000",
	}), nil)
	require.NoError(t, err)
	require.Equal(t, dashboard.Production, c.Env)
	require.Equal(t, []byte(secret), c.SecretKey)
	require.False(t, c.SecretGenerated)
	require.Equal(t, dashboard.CacheRedis, c.Cache)
	require.Equal(t, 50_000, c.MaxDataPoints, "production's default")
	require.Equal(t, 2500*time.Millisecond, c.RefreshInterval)
	require.Equal(t, "127.0.0.1:9000", c.Addr)
	require.Equal(t, "production", c.Env.String())
	require.Equal(t, "redis", c.Cache.String())
}

func TestLoadConfigErrorsNameTheVariable(t *testing.T) {
	for _, tc := range []struct {
		env map[string]string
		v   string
	}{
		{map[string]string{"DASHKIT_ENV": "staging"}, "DASHKIT_ENV"},
		{map[string]string{"DASHKIT_ENV": "production"}, "SECRET_KEY"},
		{map[string]string{"DASHKIT_ENV": "production", "SECRET_KEY": "development-key"}, "SECRET_KEY"},
		{map[string]string{"SECRET_KEY": "short"}, "SECRET_KEY"},
		{map[string]string{"CACHE_TYPE": "memcached"}, "CACHE_TYPE"},
		{map[string]string{"CACHE_TYPE": "redis"}, "REDIS_URL"},
		{map[string]string{"MAX_DATA_POINTS": "lots"}, "MAX_DATA_POINTS"},
		{map[string]string{"MAX_DATA_POINTS": "2"}, "MAX_DATA_POINTS"},
		{map[string]string{"REFRESH_INTERVAL": "0"}, "REFRESH_INTERVAL"},
		{map[string]string{"REFRESH_INTERVAL": "5s"}, "REFRESH_INTERVAL"},
	} {
		_, err := dashboard.LoadConfig(env(tc.env), nil)
		var ce *dashboard.ConfigError
		require.True(t, errors.As(err, &ce), "%v: %v", tc.env, err)
		require.Equal(t, tc.v, ce.Var)
		require.ErrorContains(t, err, tc.v)
	}
	_, err := dashboard.LoadConfig(env(map[string]string{"DASHKIT_ENV": "prod"}), nil)
	require.ErrorIs(t, err, dashboard.ErrWeakSecret)
}

// A development restart keeps everyone signed in: the generated secret is
// kept in the user's cache directory; production never reads or writes it.
func TestDevelopmentSecretSurvivesARestart(t *testing.T) {
	cache := t.TempDir()
	first, err := dashboard.LoadConfig(env(map[string]string{"XDG_CACHE_HOME": cache}), nil)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(cache, "dashkit", "dev-secret"), first.SecretFile)
	fi, err := os.Stat(first.SecretFile)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "readable by the user alone")

	again, err := dashboard.LoadConfig(env(map[string]string{"XDG_CACHE_HOME": cache}), nil)
	require.NoError(t, err)
	require.Equal(t, first.SecretKey, again.SecretKey, "the restarted process signs with the same secret")

	home, err := dashboard.LoadConfig(env(map[string]string{"HOME": cache}), nil)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(cache, ".cache", "dashkit", "dev-secret"), home.SecretFile)

	prod, err := dashboard.LoadConfig(env(map[string]string{"XDG_CACHE_HOME": cache, "DASHKIT_ENV": "production"}), nil)
	require.Error(t, err, "production never falls back to the kept development secret")
	require.Empty(t, prod.SecretFile)
}

func TestSessionLifetimeAndHeartbeat(t *testing.T) {
	c, err := dashboard.LoadConfig(env(nil), nil)
	require.NoError(t, err)
	require.Equal(t, 8*time.Hour, c.SessionLifetime)
	require.Equal(t, 15*time.Second, c.Heartbeat)
	c, err = dashboard.LoadConfig(env(map[string]string{"SESSION_LIFETIME": "30m", "HEARTBEAT_INTERVAL": "2s"}), nil)
	require.NoError(t, err)
	require.Equal(t, 30*time.Minute, c.SessionLifetime)
	require.Equal(t, 2*time.Second, c.Heartbeat)
	for _, bad := range []map[string]string{{"SESSION_LIFETIME": "forever"}, {"SESSION_LIFETIME": "1s"}, {"HEARTBEAT_INTERVAL": "-2s"}} {
		_, err := dashboard.LoadConfig(env(bad), nil)
		var ce *dashboard.ConfigError
		require.ErrorAs(t, err, &ce, "%v", bad)
	}
}
