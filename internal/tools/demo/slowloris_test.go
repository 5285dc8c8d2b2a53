package demo_test

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/demo"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// TestReliabilityRows replays the acceptance rows of hardening #15 that
// concern the examples' server, one subtest per row, named after it (see
// dashboard.TestReliabilityRows for the others).
func TestReliabilityRows(t *testing.T) {
	t.Run("slowloris: headers one byte a second do not hold the server", func(t *testing.T) {
		h, _ := exampleHandler(t)
		srv := demo.NewServer("", h, slog.New(slog.DiscardHandler))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()

		// Twenty attackers, and a viewer who arrives meanwhile.
		type probe struct {
			code int
			took time.Duration
		}
		probed := make(chan probe, 1)
		go func() {
			time.Sleep(time.Second)
			start := time.Now()
			res, err := http.Get("http://" + ln.Addr().String() + "/healthz")
			if err != nil {
				probed <- probe{}
				return
			}
			res.Body.Close()
			probed <- probe{res.StatusCode, time.Since(start)}
		}()
		within := demo.ReadHeaderTimeout + 3*time.Second
		held := testenv.Slowloris(t, ln.Addr().String(), 20, time.Second, within)
		for i, d := range held {
			require.Less(t, d, within, "attacker %d was held %v", i, d)
			require.GreaterOrEqual(t, d, demo.ReadHeaderTimeout-time.Second, "attacker %d was cut off early, before its headers could time out", i)
		}
		p := <-probed
		require.Equal(t, http.StatusOK, p.code, "the viewer is served during the attack")
		require.Less(t, p.took, time.Second)

		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		require.NoError(t, srv.Shutdown(ctx), "nothing holds the server once they are cut off")
		require.ErrorIs(t, <-served, http.ErrServerClosed)
	})
}
