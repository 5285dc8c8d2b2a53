package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/connectors"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// Row "database down at start" for the risk example: with DATABASE_URL on
// a black hole (a listener on 127.0.0.1 that accepts and never answers)
// it hung forever. Its prices live in the database, so it cannot serve
// without it; it now exits within seconds, saying why.
func TestBlackHoledDatabaseEndsTheStartWithAReason(t *testing.T) {
	addr := testenv.BlackHole(t)
	cfg := devConfig(t)
	cfg.DatabaseURL = "postgres://postgres@" + addr + "/test?sslmode=disable"
	start := time.Now()
	err := run(t.Context(), cfg, options{instruments: 100}, quiet)
	require.ErrorIs(t, err, connectors.ErrUnreachable)
	require.ErrorContains(t, err, "prices from PostgreSQL")
	require.Less(t, time.Since(start), 10*time.Second)
}
