package main

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/connectors"
)

// Row "database down at start" for the risk example: with DATABASE_URL on
// a black hole (a listener on 127.0.0.1 that accepts and never answers)
// it hung forever. Its prices live in the database, so it cannot serve
// without it; it now exits within seconds, saying why.
func TestBlackHoledDatabaseEndsTheStartWithAReason(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	cfg := devConfig(t)
	cfg.DatabaseURL = "postgres://postgres@" + ln.Addr().String() + "/test?sslmode=disable"
	start := time.Now()
	err = run(t.Context(), cfg, options{instruments: 100}, quiet)
	require.ErrorIs(t, err, connectors.ErrUnreachable)
	require.ErrorContains(t, err, "prices from PostgreSQL")
	require.Less(t, time.Since(start), 10*time.Second)
}
