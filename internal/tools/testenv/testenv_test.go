package testenv_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// recorder is a testenv.TB that records instead of stopping the goroutine.
type recorder struct {
	skipped, fatal string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Skipf(format string, a ...any)  { r.skipped = fmt.Sprintf(format, a...) }
func (r *recorder) Fatalf(format string, a ...any) { r.fatal = fmt.Sprintf(format, a...) }

func TestUnsetVariableSkipsNamingIt(t *testing.T) {
	for _, tc := range []struct {
		name string
		get  func(testenv.TB) string
	}{
		{testenv.RedisVar, testenv.RedisURL},
		{testenv.PostgresVar, testenv.PostgresURL},
		{testenv.BrowserVar, testenv.BrowserPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(tc.name, "")
			var r recorder
			tc.get(&r)
			require.Contains(t, r.skipped, tc.name+" is not set")
		})
	}
}

func TestSetVariableIsReturned(t *testing.T) {
	t.Setenv(testenv.RedisVar, "redis://example:1/2")
	var r recorder
	require.Equal(t, "redis://example:1/2", testenv.RedisURL(&r))
	require.Empty(t, r.skipped)
}

func TestBrowserThatDoesNotExistFails(t *testing.T) {
	t.Setenv(testenv.BrowserVar, "/nonexistent/chromium")
	var r recorder
	testenv.BrowserPath(&r)
	require.Contains(t, r.fatal, "is not an executable")
}

// TestRedisAnswers proves that DASHKIT_REDIS_URL points at a live Redis: CI
// fails here, not later in a cache test, when it does not.
func TestRedisAnswers(t *testing.T) {
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	require.NoError(t, err)
	client := redis.NewClient(opts)
	t.Cleanup(func() { _ = client.Close() })
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	pong, err := client.Ping(ctx).Result()
	require.NoError(t, err)
	require.Equal(t, "PONG", pong)
}

// TestPostgresAnswers proves that DASHKIT_POSTGRES_URL points at a live
// PostgreSQL through the pgx stdlib driver dashkit uses.
func TestPostgresAnswers(t *testing.T) {
	db, err := sql.Open("pgx", testenv.PostgresURL(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	var n int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT $1::int + 1", 41).Scan(&n))
	require.Equal(t, 42, n)
}
