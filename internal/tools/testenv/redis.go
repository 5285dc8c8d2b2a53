package testenv

import (
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Redis is a redis-server of a test's own, on a loopback port, for tests
// that kill or restart Redis: the shared one is never stopped.
type Redis struct {
	t    testing.TB
	port string
	cmd  *exec.Cmd
}

// PrivateRedis starts a redis-server (no persistence) on a free loopback
// port, or skips the test where DASHKIT_REDIS_URL is unset (an integration
// test runs where Redis does). It is killed by its PID when the test ends.
func PrivateRedis(t testing.TB) *Redis {
	t.Helper()
	RedisURL(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: a free port: %v", err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	_ = ln.Close()
	r := &Redis{t: t, port: port}
	r.Start()
	return r
}

// Addr is the server's host:port.
func (r *Redis) Addr() string { return "127.0.0.1:" + r.port }

// Start starts the server again, empty, on the same port after [Redis.Kill],
// and waits until it accepts connections.
func (r *Redis) Start() {
	r.t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		r.t.Fatalf("testenv: redis-server must be installed when %s is set: %v", RedisVar, err)
	}
	r.cmd = exec.Command(bin, "--port", r.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", r.t.TempDir())
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("testenv: start redis-server: %v", err)
	}
	r.t.Cleanup(r.Kill)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", r.Addr())
		if err == nil {
			_ = c.Close()
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("testenv: redis-server on %s did not accept connections in 10 s", r.Addr())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill ends the server by its PID, as an outage would; a second Kill does
// nothing.
func (r *Redis) Kill() {
	if r.cmd == nil || r.cmd.ProcessState != nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
}
