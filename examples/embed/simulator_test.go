package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSimulatorMoves(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := newSimulator(1, t0)
	first := s.at(t0)
	require.Equal(t, first, s.at(t0.Add(500*time.Millisecond)), "no change within a second")
	later := s.at(t0.Add(30 * time.Second))
	require.NotEqual(t, first, later, "the figures move")
	require.GreaterOrEqual(t, later.Orders, first.Orders, "orders only accumulate")
	require.True(t, later.Latency >= 60 && later.Latency <= 480)
}
