package redisstore_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/cache"
	"github.com/dashkit/dashkit/cache/redisstore"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// redisServer runs a private redis-server on a free loopback port.
type redisServer struct {
	t    *testing.T
	port string
	cmd  *exec.Cmd
}

func startRedis(t *testing.T, port string) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	require.NoError(t, err, "redis-server must be installed when %s is set", testenv.RedisVar)
	if port == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		require.NoError(t, ln.Close())
	}
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	require.NoError(t, cmd.Start())
	s := &redisServer{t: t, port: port, cmd: cmd}
	t.Cleanup(s.kill)
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port})
	defer client.Close()
	require.Eventually(t, func() bool { return client.Ping(context.Background()).Err() == nil }, 10*time.Second, 20*time.Millisecond)
	return s
}

// kill ends the server by its PID, as an outage would.
func (s *redisServer) kill() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// TestRedisOutageDegradesAndRecovers kills a Redis mid-test: calls keep
// returning computed values, and hits resume once it is back.
func TestRedisOutageDegradesAndRecovers(t *testing.T) {
	testenv.RedisURL(t) // an integration test: it runs where Redis does
	srv := startRedis(t, "")
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + srv.port, MaxRetries: -1, DialTimeout: 50 * time.Millisecond, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = client.Close() })
	store := newRedis[string](t, client, redisstore.Options{Timeout: 50 * time.Millisecond, RetryAfter: 100 * time.Millisecond})
	reg := prometheus.NewRegistry()
	var calls atomic.Int64
	load := func(_ context.Context, k string) (string, error) {
		return fmt.Sprintf("value-%s-%d", k, calls.Add(1)), nil
	}
	c := newCache(t, load, cache.Options[string, string]{Namespace: "outage", Store: store, Registerer: reg})
	hits := func() float64 { return metric(t, reg, "dashkit_cache_hits_total") }

	v, err := c.Get(t.Context(), "k")
	require.NoError(t, err)
	require.Equal(t, "value-k-1", v)
	v, err = c.Get(t.Context(), "k")
	require.NoError(t, err)
	require.Equal(t, "value-k-1", v)
	require.Equal(t, 1.0, hits())

	srv.kill()
	for i := range 20 {
		v, err := c.Get(t.Context(), "k")
		require.NoError(t, err, "Redis down is not the caller's error")
		require.Equal(t, "value-k-"+strconv.Itoa(i+2), v, "the value is computed")
	}
	require.Equal(t, 1.0, hits())
	require.Positive(t, metric(t, reg, "dashkit_cache_store_errors_total"))

	startRedis(t, srv.port) // back, empty, on the same port
	require.Eventually(t, func() bool {
		_, err := c.Get(t.Context(), "k")
		return err == nil && hits() > 1
	}, 10*time.Second, 50*time.Millisecond, "hits resume by themselves")
}
