package testenv

import (
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// Slowloris attacks the HTTP server at addr (host:port) the way the tool
// of that name does: conns connections each send a request's headers one
// byte every interval and never finish them. It returns, per connection,
// how long after it was opened the server closed it; a connection the
// server still held when within ran out counts as within. It closes every
// connection before it returns.
func Slowloris(t testing.TB, addr string, conns int, interval, within time.Duration) []time.Duration {
	t.Helper()
	const head, more = "GET / HTTP/1.1\r\nHost: slowloris\r\n", "X-a: b\r\n"
	next := func(n int) []byte { // the nth byte of headers that never end
		if n < len(head) {
			return []byte{head[n]}
		}
		return []byte{more[(n-len(head))%len(more)]}
	}
	held := make([]time.Duration, conns)
	var wg sync.WaitGroup
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("slowloris: dial %s: %v", addr, err)
		}
		wg.Go(func() {
			defer c.Close()
			start := time.Now()
			closed := make(chan struct{})
			go func() {
				// The server closes: a read ends (EOF, reset or a
				// response such as 408).
				defer close(closed)
				_ = c.SetReadDeadline(start.Add(within))
				buf := make([]byte, 512)
				for {
					if _, err := c.Read(buf); err != nil {
						return
					}
				}
			}()
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for n := 0; ; n++ {
				select {
				case <-closed:
					held[i] = min(time.Since(start), within)
					return
				case <-tick.C:
					// One more byte of headers that never end; a write
					// error means the server has closed too.
					_ = c.SetWriteDeadline(time.Now().Add(interval))
					if _, err := c.Write(next(n)); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
						<-closed
						held[i] = min(time.Since(start), within)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	return held
}
