package config_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	var logs bytes.Buffer
	c, err := config.Load(env(nil), slog.New(slog.NewTextHandler(&logs, nil)))
	require.NoError(t, err)
	require.Equal(t, config.Development, c.Env)
	require.True(t, c.SecretGenerated)
	require.Len(t, c.SecretKey, 64)
	require.Contains(t, logs.String(), "SECRET_KEY is not set")
	require.Equal(t, config.CacheMemory, c.Cache)
	require.Equal(t, 10_000, c.MaxDataPoints)
	require.Zero(t, c.RefreshInterval, "unset: the application's own default")
	require.Equal(t, "127.0.0.1:8050", c.Addr, "development listens on loopback only")

	other, err := config.Load(env(nil), nil)
	require.NoError(t, err)
	require.NotEqual(t, c.SecretKey, other.SecretKey, "generated secrets are random")
}

func TestLoadConfigProduction(t *testing.T) {
	secret := rand.Text() + rand.Text() // as `openssl rand -base64 48` would: never a literal, which would be published
	c, err := config.Load(env(map[string]string{
		"DASHKIT_ENV": "production", "SECRET_KEY": secret, "CACHE_TYPE": "Redis",
		"REDIS_URL": "redis://r:6379/0", "DATABASE_URL": "postgres://db/x", "REFRESH_INTERVAL": "2.5", "ADDR": "127.0.0.1:9000",
	}), nil)
	require.NoError(t, err)
	require.Equal(t, config.Production, c.Env)
	require.Equal(t, []byte(secret), c.SecretKey)
	require.False(t, c.SecretGenerated)
	require.Equal(t, config.CacheRedis, c.Cache)
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
		{map[string]string{"REFRESH_INTERVAL": "0s"}, "REFRESH_INTERVAL"},
		{map[string]string{"REFRESH_INTERVAL": "-5s"}, "REFRESH_INTERVAL"},
		{map[string]string{"REFRESH_INTERVAL": "90000"}, "REFRESH_INTERVAL"},
		{map[string]string{"REFRESH_INTERVAL": "25h"}, "REFRESH_INTERVAL"},
		{map[string]string{"REFRESH_INTERVAL": "soon"}, "REFRESH_INTERVAL"},
		{map[string]string{"REFRESH_INTERVAL": "NaN"}, "REFRESH_INTERVAL"},
	} {
		t.Run(fmt.Sprint(tc.env), func(t *testing.T) {
			_, err := config.Load(env(tc.env), nil)
			var ce *config.Error
			require.True(t, errors.As(err, &ce), "%v: %v", tc.env, err)
			require.Equal(t, tc.v, ce.Var)
			require.ErrorContains(t, err, tc.v)
		})
	}
	_, err := config.Load(env(map[string]string{"DASHKIT_ENV": "prod"}), nil)
	require.ErrorIs(t, err, config.ErrWeakSecret)
}

// A development restart keeps everyone signed in: the generated secret is
// kept in the user's cache directory; production never reads or writes it.
func TestDevelopmentSecretSurvivesARestart(t *testing.T) {
	cache := t.TempDir()
	first, err := config.Load(env(map[string]string{"XDG_CACHE_HOME": cache}), nil)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(cache, "dashkit", "dev-secret"), first.SecretFile)
	fi, err := os.Stat(first.SecretFile)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "readable by the user alone")

	again, err := config.Load(env(map[string]string{"XDG_CACHE_HOME": cache}), nil)
	require.NoError(t, err)
	require.Equal(t, first.SecretKey, again.SecretKey, "the restarted process signs with the same secret")

	home, err := config.Load(env(map[string]string{"HOME": cache}), nil)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(cache, ".cache", "dashkit", "dev-secret"), home.SecretFile)

	prod, err := config.Load(env(map[string]string{"XDG_CACHE_HOME": cache, "DASHKIT_ENV": "production"}), nil)
	require.Error(t, err, "production never falls back to the kept development secret")
	require.Empty(t, prod.SecretFile)
}

func TestSessionLifetimeAndHeartbeat(t *testing.T) {
	c, err := config.Load(env(nil), nil)
	require.NoError(t, err)
	require.Equal(t, 8*time.Hour, c.SessionLifetime)
	require.Equal(t, 15*time.Second, c.Heartbeat)
	c, err = config.Load(env(map[string]string{"SESSION_LIFETIME": "30m", "HEARTBEAT_INTERVAL": "2s"}), nil)
	require.NoError(t, err)
	require.Equal(t, 30*time.Minute, c.SessionLifetime)
	require.Equal(t, 2*time.Second, c.Heartbeat)
	for _, bad := range []map[string]string{{"SESSION_LIFETIME": "forever"}, {"SESSION_LIFETIME": "1s"}, {"HEARTBEAT_INTERVAL": "-2s"}} {
		_, err := config.Load(env(bad), nil)
		var ce *config.Error
		require.ErrorAs(t, err, &ce, "%v", bad)
	}
}

// REFRESH_INTERVAL is a duration, as the other intervals are; bare numbers
// are still read as seconds, as they were before.
func TestRefreshIntervalIsADuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"5s", 5 * time.Second},
		{"1m30s", 90 * time.Second},
		{"250ms", 250 * time.Millisecond},
		{"2.5", 2500 * time.Millisecond},
		{"30", 30 * time.Second},
		{" 10s ", 10 * time.Second},
		{"86400", 24 * time.Hour},
	} {
		t.Run(tc.in, func(t *testing.T) {
			c, err := config.Load(env(map[string]string{"REFRESH_INTERVAL": tc.in}), nil)
			require.NoError(t, err)
			require.Equal(t, tc.want, c.RefreshInterval)
		})
	}
}

func FuzzLoadDurations(f *testing.F) {
	for _, s := range []string{"5s", "2.5", "", "-1", "1e300", "0x10", "Inf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c, err := config.Load(env(map[string]string{"REFRESH_INTERVAL": v, "HEARTBEAT_INTERVAL": v, "SESSION_LIFETIME": v}), nil)
		if err != nil {
			var ce *config.Error
			require.ErrorAs(t, err, &ce)
			return
		}
		if c.RefreshInterval != 0 {
			require.True(t, c.RefreshInterval >= 100*time.Millisecond && c.RefreshInterval <= 24*time.Hour, "%q → %v", v, c.RefreshInterval)
		}
	})
}

// Hardening #15, row "secrets": production refuses every secret printed in
// the project's docs, examples and tests — found by grepping the repository
// for string literals given as a Secret or SECRET_KEY, so a new one cannot
// be missed — as well as guessable ones and the kept development secret.
// Every refusal says how to generate a secret.
func TestPublishedSecretsAreRefused(t *testing.T) {
	literal := regexp.MustCompile(`(?:Secret:\s*\[\]byte\(|secret\s*:?=\s*(?:\[\]byte\()?|SECRET_KEY["=:\s]+)["']([^"'$]{16,})["']`)
	found := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".md") || d.Name() == "Dockerfile") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllSubmatch(b, -1) {
			found[string(m[1])] = path
		}
		return nil
	})
	require.NoError(t, err)
	require.Contains(t, found, "a-secret-of-at-least-32-bytes!!!", "the grep finds auth/example_test.go's secret")
	for secret, where := range found {
		if len(secret) < config.MinSecretBytes {
			continue // too short anyway: ErrWeakSecret
		}
		t.Run(where+"/"+secret, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{"DASHKIT_ENV": "production", "SECRET_KEY": secret}), nil)
			require.ErrorIs(t, err, config.ErrPublicSecret)
			require.ErrorContains(t, err, "openssl rand -base64 48")
		})
	}
	for name, secret := range map[string]string{
		"32 × a":              strings.Repeat("a", 32),
		"32 zero bytes":       strings.Repeat("\x00", 32),
		"15 distinct bytes":   strings.Repeat("abcdefghijklmno", 3),
		"hex of a short word": strings.Repeat("deadbeef", 8),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{"DASHKIT_ENV": "production", "SECRET_KEY": secret}), nil)
			require.ErrorIs(t, err, config.ErrLowEntropySecret)
			require.ErrorContains(t, err, "openssl rand -base64 48")
		})
	}
	t.Run("the development secret", func(t *testing.T) {
		cache := t.TempDir()
		dev, err := config.Load(env(map[string]string{"XDG_CACHE_HOME": cache}), nil)
		require.NoError(t, err)
		_, err = config.Load(env(map[string]string{"XDG_CACHE_HOME": cache, "DASHKIT_ENV": "production", "SECRET_KEY": string(dev.SecretKey)}), nil)
		require.ErrorIs(t, err, config.ErrPublicSecret)
	})
	t.Run("sixteen distinct bytes are enough", func(t *testing.T) {
		_, err := config.Load(env(map[string]string{"DASHKIT_ENV": "production", "SECRET_KEY": strings.Repeat("abcdefghijklmnop", 2)}), nil)
		require.NoError(t, err)
	})
}

// TestAddrDefaultsToLoopbackInDevelopment: development, where demo users may
// be on, listens on this machine only; production on every interface;
// ADDR decides when set.
func TestAddrDefaultsToLoopbackInDevelopment(t *testing.T) {
	dev, err := config.Load(env(nil), nil)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:8050", dev.Addr)
	prod, err := config.Load(env(map[string]string{"DASHKIT_ENV": "production", "SECRET_KEY": rand.Text() + rand.Text()}), nil)
	require.NoError(t, err)
	require.Equal(t, ":8050", prod.Addr)
	set, err := config.Load(env(map[string]string{"ADDR": ":9000"}), nil)
	require.NoError(t, err)
	require.Equal(t, ":9000", set.Addr)
}

// FuzzLoad: whatever the environment, Load either refuses it with an
// *Error naming one of its variables, or returns a configuration within
// every documented bound — production with a secret it would accept — that
// is a fixed point: written back into an environment and loaded again, it
// is the same configuration.
func FuzzLoad(f *testing.F) {
	f.Add("", "", "", "", "", "", "", "", "")
	f.Add("production", "k9#Lm2$pQ7&vX4!zR8@wT1^yU6*bN3%c", "8h", "15s", "redis", "redis://127.0.0.1:6379/0", "50000", "5s", ":9000")
	f.Add("PROD", "a-secret-of-at-least-32-bytes!!!", "30m", "0.1", "memory", "", "3", "2.5", "")
	f.Add("dev", "short", "1e300", "-1s", "REDIS", "", "2", "0x10", "[::1]:80")
	f.Add(" Development ", strings.Repeat("a", 32), " 720h ", "1h", "Memory", "x", "+7", "24h", "\x00")
	f.Add("staging", "", "10s", "100ms", "disk", "", "9999999999999999999999", "86400", "")
	// One variable at a time, just past its bounds.
	f.Add("", "", "9s", "", "", "", "", "", "")
	f.Add("", "", "", "99ms", "", "", "", "", "")
	f.Add("", "", "", "", "", "", "2", "", "")
	f.Add("", "", "", "", "", "", "", "99ms", "")
	f.Add("", "", "", "", "", "", "", "24h0m0.001s", "")
	f.Add("", "", "", "", "redis", "", "", "", "")
	f.Add("production", "", "", "", "", "", "", "", "")
	f.Add("production", strings.Repeat("abcdefgh", 4), "", "", "", "", "", "", "")
	f.Add("production", "0123456789abcdef0123456789abcdef", "", "", "", "", "", "", "")
	vars := []string{"DASHKIT_ENV", "SECRET_KEY", "SESSION_LIFETIME", "HEARTBEAT_INTERVAL", "CACHE_TYPE", "REDIS_URL", "MAX_DATA_POINTS", "REFRESH_INTERVAL", "ADDR"}
	f.Fuzz(func(t *testing.T, envName, secret, lifetime, heartbeat, cacheType, redisURL, maxPoints, refresh, addr string) {
		in := map[string]string{}
		for i, v := range []string{envName, secret, lifetime, heartbeat, cacheType, redisURL, maxPoints, refresh, addr} {
			if v != "" {
				in[vars[i]] = v
			}
		}
		c, err := config.Load(env(in), nil)
		if err != nil {
			ce, ok := errors.AsType[*config.Error](err)
			require.True(t, ok, "%v is not a *config.Error", err)
			require.Contains(t, vars, ce.Var)
			require.NotPanics(t, func() { _ = err.Error() })
			return
		}
		if c.Env == config.Production {
			require.GreaterOrEqual(t, len(c.SecretKey), config.MinSecretBytes)
			distinct := map[byte]bool{}
			for _, b := range c.SecretKey {
				distinct[b] = true
			}
			require.GreaterOrEqual(t, len(distinct), config.MinDistinctSecretBytes)
			require.False(t, c.SecretGenerated, "production never generates a secret")
			require.NotContains(t, []string{"a-secret-of-at-least-32-bytes!!!", "0123456789abcdef0123456789abcdef"}, string(c.SecretKey), "a published secret")
			require.Equal(t, secret, string(c.SecretKey))
		}
		require.True(t, c.SessionLifetime >= 10*time.Second && c.SessionLifetime <= 30*24*time.Hour, "SESSION_LIFETIME %q → %v", lifetime, c.SessionLifetime)
		require.True(t, c.Heartbeat >= 100*time.Millisecond && c.Heartbeat <= time.Hour, "HEARTBEAT_INTERVAL %q → %v", heartbeat, c.Heartbeat)
		require.True(t, c.RefreshInterval == 0 || c.RefreshInterval >= 100*time.Millisecond && c.RefreshInterval <= 24*time.Hour, "REFRESH_INTERVAL %q → %v", refresh, c.RefreshInterval)
		require.GreaterOrEqual(t, c.MaxDataPoints, 3)
		require.NotEmpty(t, c.Addr)
		if c.Cache == config.CacheRedis {
			require.NotEmpty(t, c.RedisURL)
		}

		// The fixed point.
		out := map[string]string{
			"DASHKIT_ENV": c.Env.String(), "CACHE_TYPE": c.Cache.String(), "REDIS_URL": c.RedisURL,
			"SESSION_LIFETIME": c.SessionLifetime.String(), "HEARTBEAT_INTERVAL": c.Heartbeat.String(),
			"MAX_DATA_POINTS": fmt.Sprint(c.MaxDataPoints), "ADDR": c.Addr,
		}
		if !c.SecretGenerated {
			out["SECRET_KEY"] = string(c.SecretKey)
		}
		if c.RefreshInterval != 0 {
			out["REFRESH_INTERVAL"] = c.RefreshInterval.String()
		}
		again, err := config.Load(env(out), nil)
		require.NoError(t, err, "%v written back as %v", c, out)
		if c.SecretGenerated {
			again.SecretKey, again.SecretGenerated = c.SecretKey, true
		}
		require.Equal(t, c, again)
	})
}
