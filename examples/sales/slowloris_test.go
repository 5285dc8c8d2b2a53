package main

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// Hardening #15, row "slowloris", for the one example that builds its own
// http.Server (the others use internal/tools/demo.NewServer, whose row is
// demo.TestReliabilityRows): connections that send their headers one byte
// a second are cut off by ReadHeaderTimeout (5 s), and shutdown is not
// held by them.
func TestSlowlorisDoesNotHoldTheServer(t *testing.T) {
	a := testApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, a) }()

	within := 8 * time.Second
	for i, d := range testenv.Slowloris(t, ln.Addr().String(), 5, time.Second, within) {
		require.Less(t, d, within, "attacker %d was held %v", i, d)
	}
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("shutdown was held")
	}
}
