package connectors

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/net/dns/dnsmessage"
)

// These tests are issue 15's "hostile HTTP source" rows. None of them
// dials an address off this machine: every FetchJSON call goes through
// safeDialer, whose Control hook refuses anything but 127.0.0.1 and records
// what reached it. FetchJSON's own check runs before that hook, so an
// address it refuses never reaches the record.

var errOffMachine = errors.New("test: refusing to dial off this machine")

// dialLog is what reached the test's own Control hook.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (l *dialLog) seen() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.addrs...)
}

// safeDialer resolves names through hosts (a fake DNS server on a pipe, no
// network) and dials only 127.0.0.1.
func safeDialer(t *testing.T, hosts map[string]string) (*net.Dialer, *dialLog) {
	t.Helper()
	log := &dialLog{}
	return &net.Dialer{
		Timeout:  2 * time.Second,
		Resolver: fakeResolver(hosts),
		Control: func(_, address string, _ syscall.RawConn) error {
			log.mu.Lock()
			log.addrs = append(log.addrs, address)
			log.mu.Unlock()
			if ap, err := netip.ParseAddrPort(address); err != nil || ap.Addr() != netip.MustParseAddr("127.0.0.1") {
				return errOffMachine
			}
			return nil
		},
	}, log
}

// fakeResolver answers A queries from hosts and nothing else (NXDOMAIN),
// over an in-memory pipe: a name can be made to resolve to any address,
// as a rebinding DNS server would, without a packet leaving.
func fakeResolver(hosts map[string]string) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		client, server := net.Pipe()
		go serveDNS(server, hosts)
		return client, nil
	}}
}

// serveDNS answers length-prefixed (TCP-framed) queries on c.
func serveDNS(c net.Conn, hosts map[string]string) {
	defer c.Close()
	for {
		var n [2]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return
		}
		msg := make([]byte, binary.BigEndian.Uint16(n[:]))
		if _, err := io.ReadFull(c, msg); err != nil {
			return
		}
		var p dnsmessage.Parser
		h, err := p.Start(msg)
		if err != nil {
			return
		}
		q, err := p.Question()
		if err != nil {
			return
		}
		name := strings.TrimSuffix(q.Name.String(), ".")
		ip, known := hosts[name]
		rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true}
		if !known {
			rh.RCode = dnsmessage.RCodeNameError
		}
		b := dnsmessage.NewBuilder(nil, rh)
		b.EnableCompression()
		_ = b.StartQuestions()
		_ = b.Question(q)
		_ = b.StartAnswers()
		if known && q.Type == dnsmessage.TypeA {
			_ = b.AResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 1},
				dnsmessage.AResource{A: netip.MustParseAddr(ip).As4()})
		}
		out, err := b.Finish()
		if err != nil {
			return
		}
		binary.BigEndian.PutUint16(n[:], uint16(len(out)))
		if _, err := c.Write(append(n[:], out...)); err != nil {
			return
		}
	}
}

func fetchAll(ctx context.Context, url string, opts HTTPOptions) ([]apiReading, error) {
	var all []apiReading
	for chunk, err := range FetchJSON[apiReading](ctx, url, opts) {
		if err != nil {
			return all, err
		}
		all = append(all, chunk...)
	}
	return all, nil
}

func okServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"device":"a","value":1}]`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Row "hostile HTTP source: redirect to cloud metadata". A 302 to
// http://169.254.169.254/ was followed and its body returned. Now a
// redirect is an error by default; allowed, the hop to a link-local
// address is refused in the dial hook, before anything is sent.
func TestFetchJSONRedirects(t *testing.T) {
	var target string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/mapped":
			http.Redirect(w, r, "http://[::ffff:169.254.169.254]/latest/meta-data/", http.StatusFound)
		case "/elsewhere":
			http.Redirect(w, r, target, http.StatusFound)
		case "/twice":
			http.Redirect(w, r, "/once", http.StatusFound)
		case "/once":
			http.Redirect(w, r, "/data", http.StatusMovedPermanently)
		case "/data":
			fmt.Fprint(w, `[{"device":"a","value":1}]`)
		}
	}))
	defer srv.Close()
	target = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/data"
	dialer, log := safeDialer(t, map[string]string{"localhost": "127.0.0.1"})
	base := HTTPOptions{AllowLoopback: true, Dialer: dialer, Retries: -1}

	_, err := fetchAll(t.Context(), srv.URL+"/metadata", base)
	require.ErrorIs(t, err, ErrRedirect, "no redirects by default")
	require.ErrorContains(t, err, "169.254.169.254")

	follow := base
	follow.MaxRedirects = 3
	for _, path := range []string{"/metadata", "/mapped"} {
		_, err = fetchAll(t.Context(), srv.URL+path, follow)
		require.ErrorIs(t, err, ErrAddressNotAllowed, path)
	}
	for _, a := range log.seen() {
		require.True(t, strings.HasPrefix(a, "127.0.0.1:"), "only the test server was dialled, not %s", a)
	}

	got, err := fetchAll(t.Context(), srv.URL+"/twice", follow)
	require.NoError(t, err)
	require.Len(t, got, 1)
	one := base
	one.MaxRedirects = 1
	_, err = fetchAll(t.Context(), srv.URL+"/twice", one)
	require.ErrorIs(t, err, ErrRedirect)

	// Each hop is checked against the allowed hosts.
	hosts := follow
	hosts.AllowedHosts = []string{"127.0.0.1"}
	_, err = fetchAll(t.Context(), srv.URL+"/elsewhere", hosts)
	require.ErrorIs(t, err, ErrHostNotAllowed)
	hosts.AllowedHosts = []string{"127.0.0.1", "LOCALHOST"}
	_, err = fetchAll(t.Context(), srv.URL+"/elsewhere", hosts)
	require.NoError(t, err)
}

// Row "hostile HTTP source: private target". The check is on the address
// dialled, after resolution: a name that resolves (or rebinds) to a
// private address is refused like the literal address.
func TestFetchJSONChecksTheDialledAddress(t *testing.T) {
	srv := okServer(t)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	hosts := map[string]string{"metadata.test": "169.254.169.254", "rebind.test": "127.0.0.1", "intranet.test": "10.1.2.3"}
	for _, tc := range []struct {
		name, url string
		opts      HTTPOptions
		want      error // nil: the fetch succeeds
	}{
		{"name resolving to link-local", "http://metadata.test/", HTTPOptions{}, ErrAddressNotAllowed},
		{"name rebinding to loopback", fmt.Sprintf("http://rebind.test:%d/", port), HTTPOptions{}, ErrAddressNotAllowed},
		{"loopback literal", srv.URL, HTTPOptions{}, ErrAddressNotAllowed},
		{"loopback allowed", fmt.Sprintf("http://rebind.test:%d/", port), HTTPOptions{AllowLoopback: true}, nil},
		{"loopback allowed is not link-local allowed", "http://metadata.test/", HTTPOptions{AllowLoopback: true}, ErrAddressNotAllowed},
		{"private name", "http://intranet.test/", HTTPOptions{}, ErrAddressNotAllowed},
		{"private literal", "http://192.168.1.1/", HTTPOptions{}, ErrAddressNotAllowed},
		{"unspecified", fmt.Sprintf("http://0.0.0.0:%d/", port), HTTPOptions{}, ErrAddressNotAllowed},
		{"IPv4-mapped link-local", "http://[::ffff:a9fe:a9fe]/", HTTPOptions{}, ErrAddressNotAllowed},
		{"NAT64 link-local", "http://[64:ff9b::a9fe:a9fe]/", HTTPOptions{}, ErrAddressNotAllowed},
		{"IPv6 unique local", "http://[fd00::1]/", HTTPOptions{}, ErrAddressNotAllowed},
		{"carrier-grade NAT", "http://100.64.0.1/", HTTPOptions{}, ErrAddressNotAllowed},
		// An allowed network passes FetchJSON's check and reaches the
		// test's hook, which refuses to leave the machine.
		{"allowed network", "http://intranet.test/", HTTPOptions{AllowNetworks: []netip.Prefix{netip.MustParsePrefix("10.1.2.0/24")}}, errOffMachine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dialer, log := safeDialer(t, hosts)
			tc.opts.Dialer, tc.opts.Retries = dialer, -1
			_, err := fetchAll(t.Context(), tc.url, tc.opts)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
			if tc.want == ErrAddressNotAllowed {
				require.Empty(t, log.seen(), "refused before the caller's hook, so before any packet")
			}
		})
	}
}

func TestAddressPolicy(t *testing.T) {
	p := addrPolicy{}
	for _, a := range []string{"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "93.184.216.34"} {
		require.NoError(t, p.check(netip.MustParseAddr(a)), a)
	}
	for _, a := range []string{"127.0.0.1", "127.9.9.9", "::1", "10.0.0.1", "172.16.0.1", "192.168.0.1", "169.254.169.254",
		"fe80::1", "fd12::1", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "100.64.1.1", "255.255.255.255", "::ffff:127.0.0.1",
		"64:ff9b::7f00:1", "198.18.0.1", "192.0.0.170"} {
		require.ErrorIs(t, p.check(netip.MustParseAddr(a)), ErrAddressNotAllowed, a)
	}
	require.NoError(t, addrPolicy{loopback: true}.check(netip.MustParseAddr("::1")))
	require.NoError(t, addrPolicy{loopback: true}.check(netip.MustParseAddr("::ffff:127.0.0.1")))
	require.Error(t, p.control("tcp", "not an address", nil))
}

// Row "hostile HTTP source: host allow-list".
func TestFetchJSONAllowedHosts(t *testing.T) {
	h := hostPolicy{"api.example.com", "*.corp.example"}
	for raw, ok := range map[string]bool{
		"https://api.example.com/x":       true,
		"https://API.Example.com./x":      true,
		"https://a.b.corp.example:8443/x": true,
		"https://corp.example/x":          false,
		"https://evil-api.example.com/x":  false,
		"https://api.example.com.evil/x":  false,
		"ftp://api.example.com/x":         false,
	} {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		if ok {
			require.NoError(t, h.check(u), raw)
		} else {
			require.ErrorIs(t, h.check(u), ErrHostNotAllowed, raw)
		}
	}
	dialer, log := safeDialer(t, nil)
	_, err := fetchAll(t.Context(), "http://elsewhere.example/", HTTPOptions{AllowedHosts: h, Dialer: dialer})
	require.ErrorIs(t, err, ErrHostNotAllowed)
	require.Empty(t, log.seen())
}

// Row "hostile HTTP source: slow upstream". With the defaults an upstream
// that sleeps 60 s took 2 min 1.5 s (4 attempts of 30 s); TotalTimeout now
// bounds every attempt and wait together.
func TestFetchJSONTotalDeadline(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	_, err := fetchAll(t.Context(), srv.URL, HTTPOptions{AllowLoopback: true, Timeout: 300 * time.Millisecond, TotalTimeout: 700 * time.Millisecond, Retries: 10, Backoff: 10 * time.Millisecond})
	elapsed := time.Since(start)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, elapsed, 1500*time.Millisecond)
	require.GreaterOrEqual(t, calls.Load(), int32(2), "retried within the deadline")
	require.LessOrEqual(t, calls.Load(), int32(3))

	// A body that trickles past the attempt's timeout ends too.
	trickle := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"device":"a","value":1}`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer trickle.Close()
	start = time.Now()
	_, err = fetchAll(t.Context(), trickle.URL, HTTPOptions{AllowLoopback: true, Timeout: 200 * time.Millisecond})
	require.Error(t, err)
	require.Less(t, time.Since(start), time.Second)
}

// Row "hostile HTTP source: 429 with Retry-After".
func TestFetchJSONHonoursRetryAfter(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch {
		case r.URL.Path == "/later" && n == 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		case r.URL.Path == "/later":
			fmt.Fprint(w, `[{"device":"a","value":1}]`)
		default:
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	opts := HTTPOptions{AllowLoopback: true, Backoff: time.Millisecond, TotalTimeout: 5 * time.Second}
	start := time.Now()
	got, err := fetchAll(t.Context(), srv.URL+"/later", opts)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.GreaterOrEqual(t, time.Since(start), time.Second, "waited as Retry-After asked, not 1 ms")

	// A Retry-After past the deadline ends the fetch now, not in an hour.
	calls.Store(0)
	start = time.Now()
	_, err = fetchAll(t.Context(), srv.URL+"/never", opts)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "503")
	require.Less(t, time.Since(start), time.Second)
	require.Equal(t, int32(1), calls.Load())

	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "7": 7 * time.Second, " 2 ": 2 * time.Second, "-3": 0, "soon": 0, "99999999999999999999": 0,
		"Thu, 03 Dec 2026 12:00:30 GMT": 30 * time.Second, "Thu, 03 Dec 2026 11:00:00 GMT": 0,
	} {
		require.Equal(t, want, parseRetryAfter(v, now), v)
	}
}

func TestJitterStaysWithinHalfAndWhole(t *testing.T) {
	seen := map[time.Duration]bool{}
	for range 1000 {
		d := jitter(100 * time.Millisecond)
		require.GreaterOrEqual(t, d, 50*time.Millisecond)
		require.LessOrEqual(t, d, 100*time.Millisecond)
		seen[d] = true
	}
	require.Greater(t, len(seen), 100, "waits are spread, not synchronised")
	require.Zero(t, jitter(0))
	require.LessOrEqual(t, jitter(1), time.Duration(1))
}

// endless writes prefix and then filler until the client hangs up: a
// body as large as the client cares to read.
func endless(prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, prefix)
		filler := []byte(strings.Repeat("a", 64<<10))
		for written := 0; written < 1<<30; written += len(filler) {
			if _, err := w.Write(filler); err != nil {
				return
			}
		}
	}
}

// Row "hostile HTTP source: one huge value". A 1 GB JSON string pushed the
// heap to 449–897 MiB before the size error. The reader now refuses to
// buffer more than MaxRecordBytes of one value: the error comes after a
// few MiB are allocated, whatever the body's size.
func TestFetchJSONBoundsTheHeapForOneHugeValue(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/array", endless(`[{"device":"`))
	mux.Handle("/ndjson", endless(`{"device":"a","value":1}`+"\n"+`{"device":"`))
	mux.Handle("/string", endless(`"`))
	mux.Handle("/after", endless(`[{"device":"a","value":1}] "`))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, path := range []string{"/array", "/ndjson", "/string", "/after"} {
		t.Run(path, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := fetchAll(t.Context(), srv.URL+path, HTTPOptions{AllowLoopback: true, MaxRecordBytes: 1 << 20})
			runtime.ReadMemStats(&after)
			require.ErrorIs(t, err, ErrRecordTooLarge)
			allocated := after.TotalAlloc - before.TotalAlloc
			require.Less(t, allocated, uint64(16<<20), "allocated %d MiB for a 1 MiB cap", allocated>>20)
		})
	}
}

// Records up to the cap pass, however many there are; the cap is per
// value, not per body.
func TestFetchJSONRecordCapIsPerRecord(t *testing.T) {
	long := strings.Repeat("x", 60<<10)
	var body strings.Builder
	body.WriteString("[")
	for i := range 20 {
		if i > 0 {
			body.WriteString(",\n ")
		}
		fmt.Fprintf(&body, `{"device":%q,"value":%d}`, long, i)
	}
	body.WriteString("]")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, body.String()) }))
	defer srv.Close()
	got, err := fetchAll(t.Context(), srv.URL, HTTPOptions{AllowLoopback: true, MaxRecordBytes: 61 << 10})
	require.NoError(t, err)
	require.Len(t, got, 20)
	require.Equal(t, 19.0, got[19].Value)
	_, err = fetchAll(t.Context(), srv.URL, HTTPOptions{AllowLoopback: true, MaxRecordBytes: 59 << 10})
	require.ErrorIs(t, err, ErrRecordTooLarge)

	// A Content-Length past MaxBytes is refused before the body is read;
	// so is data after the closing bracket.
	_, err = fetchAll(t.Context(), srv.URL, HTTPOptions{AllowLoopback: true, MaxBytes: 1 << 20})
	require.ErrorIs(t, err, ErrBodyTooLarge)
	trailing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `[{"device":"a","value":1}] {"device":"b"}`)
	}))
	defer trailing.Close()
	_, err = fetchAll(t.Context(), trailing.URL, HTTPOptions{AllowLoopback: true})
	require.ErrorContains(t, err, "after the closing ]")
}

// A fetch leaves no connection or goroutine behind, finished, failed or
// abandoned halfway.
func TestFetchJSONLeavesNothingRunning(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/503" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, `[{"device":"a","value":1},{"device":"b","value":2}]`)
	}))
	t.Cleanup(srv.Close)
	// Checked while the server runs: a connection left open would hold
	// goroutines on both sides.
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	opts := HTTPOptions{AllowLoopback: true, ChunkSize: 1, Backoff: time.Millisecond, Retries: 1}
	_, err := fetchAll(t.Context(), srv.URL, opts)
	require.NoError(t, err)
	_, err = fetchAll(t.Context(), srv.URL+"/503", opts)
	require.Error(t, err)
	for range FetchJSON[apiReading](t.Context(), srv.URL, opts) {
		break // abandoned after the first chunk
	}
}
