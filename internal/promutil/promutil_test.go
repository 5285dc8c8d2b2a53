package promutil_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/promutil"
)

func TestRegisterIsAllOrNothing(t *testing.T) {
	reg := prometheus.NewRegistry()
	a := prometheus.NewCounter(prometheus.CounterOpts{Name: "a_total", Help: "a"})
	b := prometheus.NewCounter(prometheus.CounterOpts{Name: "b_total", Help: "b"})
	require.NoError(t, reg.Register(b))
	require.Error(t, promutil.Register(reg, a, b), "b is taken")
	require.NoError(t, reg.Register(a), "a was rolled back")
	require.NoError(t, promutil.Register(nil, a))
}

func TestSum(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "c_total", Help: "c"}, []string{"k"})
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "h_seconds", Help: "h"})
	require.NoError(t, promutil.Register(reg, c, h))
	c.WithLabelValues("x").Add(2)
	c.WithLabelValues("y").Add(3)
	h.Observe(1)
	h.Observe(2)
	n, err := promutil.Sum(reg, "c_total")
	require.NoError(t, err)
	require.Equal(t, 5.0, n)
	n, err = promutil.Sum(reg, "h_seconds")
	require.NoError(t, err)
	require.Equal(t, 2.0, n)
}
