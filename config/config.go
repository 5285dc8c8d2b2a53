package config

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Env is the deployment environment.
type Env int

// The environments. The zero value is Development.
const (
	Development Env = iota
	Production
)

// String returns "development" or "production".
func (e Env) String() string {
	if e == Production {
		return "production"
	}
	return "development"
}

// UnmarshalText parses "development" (or "dev") and "production" (or
// "prod"), in any case.
func (e *Env) UnmarshalText(b []byte) error {
	return choose(e, b, "environment", map[string]Env{"development": Development, "dev": Development, "production": Production, "prod": Production}, "development or production")
}

// CacheType is where computed panels are cached.
type CacheType int

// The cache types. The zero value is CacheMemory.
const (
	CacheMemory CacheType = iota
	CacheRedis
)

// String returns "memory" or "redis".
func (c CacheType) String() string {
	if c == CacheRedis {
		return "redis"
	}
	return "memory"
}

// UnmarshalText parses "memory" and "redis", in any case.
func (c *CacheType) UnmarshalText(b []byte) error {
	return choose(c, b, "cache type", map[string]CacheType{"memory": CacheMemory, "redis": CacheRedis}, "memory or redis")
}

// choose sets *dst to the choice b names, in any case and ignoring
// surrounding space; what is an unknown choice of what, wanting want.
func choose[T any](dst *T, b []byte, what string, choices map[string]T, want string) error {
	v, ok := choices[strings.ToLower(strings.TrimSpace(string(b)))]
	if !ok {
		return fmt.Errorf("unknown %s %q: want %s", what, b, want)
	}
	*dst = v
	return nil
}

// Config is a dashboard service's configuration, read once from the
// environment by [Load].
type Config struct {
	// Env comes from DASHKIT_ENV: development (default) or production.
	Env Env
	// SecretKey comes from SECRET_KEY. Production refuses to start
	// without one of at least 32 bytes, and refuses one printed in
	// dashkit's docs or examples ([ErrPublicSecret]), the development
	// secret kept in SecretFile, and one with fewer than 16 distinct bytes
	// ([ErrLowEntropySecret]); every refusal says to run
	// `openssl rand -base64 48`. Development generates a random
	// one when it is unset, says so in the log, and keeps it in
	// SecretFile so a restart does not sign everyone out.
	SecretKey []byte
	// SecretGenerated reports that SecretKey was generated (now or by an
	// earlier run in development).
	SecretGenerated bool
	// SecretFile is where a development secret is kept:
	// $XDG_CACHE_HOME/dashkit/dev-secret, else $HOME/.cache/dashkit/dev-secret
	// (mode 0600); empty when neither variable is set (the secret then lives
	// as long as the process). Never used in production.
	SecretFile string
	// SessionLifetime comes from SESSION_LIFETIME, a duration ("8h",
	// "30m"); default 8 hours. Sessions end that long after sign-in.
	SessionLifetime time.Duration
	// Heartbeat comes from HEARTBEAT_INTERVAL, a duration; default 15
	// seconds. It is how often an idle event stream gets a comment (keep it
	// below a load balancer's idle timeout) and how soon an open stream
	// notices a logout.
	Heartbeat time.Duration
	// DatabaseURL comes from DATABASE_URL; empty means embedded data.
	DatabaseURL string
	// Cache comes from CACHE_TYPE: memory (default) or redis, which needs
	// RedisURL.
	Cache CacheType
	// RedisURL comes from REDIS_URL.
	RedisURL string
	// MaxDataPoints comes from MAX_DATA_POINTS; default 10,000 in
	// development and 50,000 in production. It caps the points a chart
	// sends to the browser: give it to dashboard.Options.MaxDataPoints.
	MaxDataPoints int
	// RefreshInterval comes from REFRESH_INTERVAL, a duration ("5s",
	// "1m30s"; bare numbers are read as seconds, "2.5" as 2.5 s), from
	// 100 ms to 24 h. Zero when unset: the application's own default
	// applies. Give it to dashboard.Options.RefreshInterval.
	RefreshInterval time.Duration
	// Addr comes from ADDR. The default is "127.0.0.1:8050" in
	// development, reachable from this machine only (the demo users may be
	// on), and ":8050", every interface, in production.
	Addr string
}

// MinSecretBytes is the shortest SECRET_KEY production accepts.
const MinSecretBytes = 32

// Error names the environment variable at fault.
type Error struct {
	Var string
	Err error
}

func (e *Error) Error() string { return "config: " + e.Var + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// MinDistinctSecretBytes is the fewest distinct byte values a production
// SECRET_KEY may have: 32 × 'a' or 32 zero bytes are long but not secret.
const MinDistinctSecretBytes = 16

// GenerateSecret is how to make a production secret; the errors say so.
const GenerateSecret = "openssl rand -base64 48"

// The causes when production refuses its SECRET_KEY.
var (
	// ErrWeakSecret: unset, or shorter than MinSecretBytes.
	ErrWeakSecret = errors.New("production needs a SECRET_KEY of at least 32 bytes: generate one with `" + GenerateSecret + "`")
	// ErrPublicSecret: the secret is printed in dashkit's docs, examples
	// or tests, or is this machine's development secret, so anyone can
	// forge tokens with it.
	ErrPublicSecret = errors.New("SECRET_KEY is a published example or the development secret, not a secret: generate one with `" + GenerateSecret + "`")
	// ErrLowEntropySecret: fewer than MinDistinctSecretBytes distinct bytes.
	ErrLowEntropySecret = errors.New("SECRET_KEY has fewer than 16 distinct bytes, too guessable: generate one with `" + GenerateSecret + "`")
)

// published reports whether secret is printed in dashkit's docs, examples
// or tests (TestPublishedSecretsAreRefused greps the repository for them,
// so a new one cannot be missed).
func published(secret string) bool {
	switch secret {
	case "a-secret-of-at-least-32-bytes!!!",
		"0123456789abcdef0123456789abcdef",
		"another-secret-another-secret-32b":
		return true
	}
	return false
}

// checkProductionSecret refuses, in production, a secret anyone can know
// or guess: a published one, the development secret kept in devFile, or
// one with too few distinct bytes.
func checkProductionSecret(secret []byte, devFile string) error {
	if published(string(secret)) {
		return ErrPublicSecret
	}
	if devFile != "" {
		if b, err := os.ReadFile(devFile); err == nil {
			if kept := bytes.TrimSpace(b); len(kept) > 0 && bytes.Equal(kept, bytes.TrimSpace(secret)) {
				return ErrPublicSecret
			}
		}
	}
	var seen [256]bool
	distinct := 0
	for _, c := range secret {
		if !seen[c] {
			seen[c] = true
			distinct++
		}
	}
	if distinct < MinDistinctSecretBytes {
		return ErrLowEntropySecret
	}
	return nil
}

// Load reads the configuration through getenv (os.Getenv in main; a map in
// tests). An invalid value is an [*Error] naming the variable; logger (nil:
// none) is told when a development secret is generated.
func Load(getenv func(string) string, logger *slog.Logger) (Config, error) {
	var c Config
	if v := getenv("DASHKIT_ENV"); v != "" {
		if err := c.Env.UnmarshalText([]byte(v)); err != nil {
			return Config{}, &Error{"DASHKIT_ENV", err}
		}
	}
	switch secret := getenv("SECRET_KEY"); {
	case len(secret) >= MinSecretBytes:
		if c.Env == Production {
			if err := checkProductionSecret([]byte(secret), devSecretFile(getenv)); err != nil {
				return Config{}, &Error{"SECRET_KEY", err}
			}
		}
		c.SecretKey = []byte(secret)
	case c.Env == Production:
		return Config{}, &Error{"SECRET_KEY", ErrWeakSecret}
	case secret != "":
		return Config{}, &Error{"SECRET_KEY", fmt.Errorf("%d bytes is too short: use at least %d (or leave it unset in development)", len(secret), MinSecretBytes)}
	default:
		c.SecretFile = devSecretFile(getenv)
		key, err := devSecret(c.SecretFile)
		if err != nil {
			if logger != nil {
				logger.Warn("cannot keep the development secret; sessions end when the process does", "file", c.SecretFile, "error", err)
			}
			c.SecretFile = ""
		}
		c.SecretKey, c.SecretGenerated = key, true
		if logger != nil {
			logger.Warn("SECRET_KEY is not set: using a development secret (never do this in production)", "kept_in", c.SecretFile)
		}
	}
	var err error
	if c.SessionLifetime, err = duration(getenv, "SESSION_LIFETIME", 8*time.Hour, 10*time.Second, 30*24*time.Hour); err != nil {
		return Config{}, err
	}
	if c.Heartbeat, err = duration(getenv, "HEARTBEAT_INTERVAL", 15*time.Second, 100*time.Millisecond, time.Hour); err != nil {
		return Config{}, err
	}
	c.DatabaseURL = getenv("DATABASE_URL")
	if v := getenv("CACHE_TYPE"); v != "" {
		if err := c.Cache.UnmarshalText([]byte(v)); err != nil {
			return Config{}, &Error{"CACHE_TYPE", err}
		}
	}
	c.RedisURL = getenv("REDIS_URL")
	if c.Cache == CacheRedis && c.RedisURL == "" {
		return Config{}, &Error{"REDIS_URL", errors.New("CACHE_TYPE=redis needs REDIS_URL")}
	}
	c.MaxDataPoints = 10_000
	if c.Env == Production {
		c.MaxDataPoints = 50_000
	}
	if v := getenv("MAX_DATA_POINTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 3 {
			return Config{}, &Error{"MAX_DATA_POINTS", fmt.Errorf("%q: want a whole number of at least 3", v)}
		}
		c.MaxDataPoints = n
	}
	if c.RefreshInterval, err = duration(getenv, "REFRESH_INTERVAL", 0, 100*time.Millisecond, 24*time.Hour); err != nil {
		return Config{}, err
	}
	c.Addr = "127.0.0.1:8050"
	if c.Env == Production {
		c.Addr = ":8050"
	}
	if v := getenv("ADDR"); v != "" {
		c.Addr = v
	}
	return c, nil
}

// duration reads a duration variable ("90s", "8h", or a bare number of
// seconds such as "2.5") within [lo, hi].
func duration(getenv func(string) string, name string, def, lo, hi time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		// Seconds, as REFRESH_INTERVAL once was.
		if n, ferr := strconv.ParseFloat(v, 64); ferr == nil && n >= 0 && n <= hi.Seconds() {
			d, err = time.Duration(n*float64(time.Second)), nil
		}
	}
	if err != nil || d < lo || d > hi {
		return 0, &Error{name, fmt.Errorf("%q: want a duration such as %q, from %v to %v", v, cmp.Or(def, 5*time.Second).String(), lo, hi)}
	}
	return d, nil
}

// devSecretFile is where a development secret is kept, following the XDG
// base directories as os.UserCacheDir does on Linux, but through getenv so
// tests stay hermetic; "" when neither variable is set.
func devSecretFile(getenv func(string) string) string {
	dir := getenv("XDG_CACHE_HOME")
	if dir == "" {
		if home := getenv("HOME"); home != "" {
			dir = filepath.Join(home, ".cache")
		}
	}
	if dir == "" || !filepath.IsAbs(dir) {
		return ""
	}
	return filepath.Join(dir, "dashkit", "dev-secret")
}

// devSecret reads the development secret kept in file, or creates it: 32
// random bytes, hex-encoded, readable by the user alone. An empty file name
// returns a fresh secret that is not kept.
func devSecret(file string) ([]byte, error) {
	fresh := make([]byte, MinSecretBytes)
	_, _ = rand.Read(fresh) // crypto/rand.Read never fails (Go 1.24+)
	key := []byte(hex.EncodeToString(fresh))
	if file == "" {
		return key, nil
	}
	if b, err := os.ReadFile(file); err == nil {
		if kept := bytes.TrimSpace(b); len(kept) >= MinSecretBytes {
			return kept, nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return key, err
	}
	// Write a new file and rename it into place, so two processes starting
	// together never read half a secret; the first rename wins below.
	tmp, err := os.CreateTemp(filepath.Dir(file), "dev-secret-*")
	if err != nil {
		return key, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(key); err != nil {
		tmp.Close()
		return key, err
	}
	if err := tmp.Close(); err != nil {
		return key, err
	}
	err = os.Link(tmp.Name(), file)
	if errors.Is(err, fs.ErrExist) {
		// Another process kept one first, or the file is damaged.
		if b, rerr := os.ReadFile(file); rerr == nil && len(bytes.TrimSpace(b)) >= MinSecretBytes {
			return bytes.TrimSpace(b), nil
		}
		err = os.Rename(tmp.Name(), file)
	}
	return key, err
}
