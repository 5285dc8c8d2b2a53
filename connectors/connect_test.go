package connectors

import (
	"context"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// Row "database down at start": a black-holed database hung startup
// forever; Connect gives up within its timeout.
func TestConnectGivesUpOnABlackHole(t *testing.T) {
	addr := testenv.BlackHole(t)
	start := time.Now()
	db, err := Connect(t.Context(), "pgx", "postgres://dashkit@"+addr+"/test?sslmode=disable", 300*time.Millisecond)
	require.ErrorIs(t, err, ErrUnreachable)
	require.Nil(t, db)
	require.Less(t, time.Since(start), 2*time.Second)

	// The caller's own cancellation is reported as such.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = Connect(ctx, "pgx", "postgres://dashkit@"+addr+"/test?sslmode=disable", time.Second)
	require.ErrorIs(t, err, context.Canceled)
	require.NotErrorIs(t, err, ErrUnreachable)

	_, err = Connect(t.Context(), "no-such-driver", "", 0)
	require.ErrorContains(t, err, "no-such-driver")
}

func TestConnectPostgreSQL(t *testing.T) {
	db, err := Connect(t.Context(), "pgx", testenv.PostgresURL(t), 0)
	require.NoError(t, err)
	defer db.Close()
	var one int
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT 1").Scan(&one))
	require.Equal(t, 1, one)
}
