package connectors

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// HTTPOptions configure [FetchJSON]. The zero value is a working default
// for a URL that a user, not the program, may have chosen: public
// addresses only, no redirects, bounded time and memory.
type HTTPOptions struct {
	// Timeout bounds each attempt, reading the body included; zero means
	// 30s.
	Timeout time.Duration
	// TotalTimeout bounds the whole fetch: every attempt, the waits
	// between them and reading the body; zero means 1m.
	TotalTimeout time.Duration
	// MaxBytes bounds the body; zero means 256 MiB. Past it the stream
	// ends with ErrBodyTooLarge. The body is streamed, so this bounds
	// time and traffic, not memory.
	MaxBytes int64
	// MaxRecordBytes bounds one JSON value (an array element or an NDJSON
	// line); zero means 1 MiB. A longer one is ErrRecordTooLarge before
	// it is buffered, so the heap stays within a few times this.
	MaxRecordBytes int64
	// Retries is how many times a 5xx, 429 or network timeout is retried
	// before the body is read; zero means 3, negative means none.
	Retries int
	// Backoff is the first wait between attempts, doubling each time
	// with jitter (each wait is drawn from [w/2, w]); zero means 200ms. A
	// longer Retry-After on a 429 or 503 is honoured; one that ends past
	// TotalTimeout ends the fetch at once.
	Backoff time.Duration
	// ChunkSize is the number of records per chunk; zero means 10,000.
	ChunkSize int
	// Header is added to the request (an Authorization token, say).
	Header http.Header

	// MaxRedirects is how many redirects are followed; zero means none:
	// a 3xx is ErrRedirect. Each hop is checked against AllowedHosts,
	// and its connection against the address rules.
	MaxRedirects int
	// AllowedHosts, when not empty, lists the host names a URL (and any
	// redirect) may name: an exact name ("api.example.com") or "*." and
	// a domain for its subdomains ("*.example.com"). Anything else is
	// ErrHostNotAllowed. Empty allows every host; the address rules
	// apply either way.
	AllowedHosts []string
	// AllowLoopback allows connections to loopback addresses (127.0.0.0/8,
	// ::1), refused by default with ErrAddressNotAllowed.
	AllowLoopback bool
	// AllowNetworks lists ranges allowed although not public: an internal
	// API at 10.1.2.0/24, say. By default private (RFC 1918, fc00::/7),
	// link-local (169.254.0.0/16, where cloud metadata lives, fe80::/10),
	// carrier-grade NAT, multicast, unspecified, documentation and
	// reserved addresses are refused with ErrAddressNotAllowed. The check
	// is made on the address dialled, after resolution.
	AllowNetworks []netip.Prefix
	// Dialer, when set, is copied and used to connect: its Resolver, its
	// timeouts, its Control hook (called after the address check, so it
	// never sees a refused address). Nil means a dialer with a 10s
	// connect timeout and the system resolver. Proxies from the
	// environment are never used: the address check must see the real
	// destination.
	Dialer *net.Dialer
}

// FetchJSON GETs url and streams the body into T in chunks: a JSON array
// of objects, or NDJSON (one object per line) — told apart by the first
// non-space byte, so neither needs to fit in memory. Fields map through
// `json` tags as encoding/json does.
//
// The URL is treated as untrusted (see [HTTPOptions]): by default only
// public addresses are dialled, checked on the resolved address in the
// dialer; redirects are refused; one record is at most MaxRecordBytes and
// the body at most MaxBytes; the whole fetch ends within TotalTimeout (a minute by default).
//
// A 5xx, a 429 or a network timeout is retried with jittered exponential
// backoff (honouring Retry-After) before any record is yielded; after that
// an error ends the stream, because records already yielded cannot be
// taken back. Cancelling ctx stops the request and the stream.
func FetchJSON[T any](ctx context.Context, url string, opts HTTPOptions) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		opts = opts.withDefaults()
		ctx, cancel := context.WithTimeout(ctx, opts.TotalTimeout)
		defer cancel()
		body, err := fetch(ctx, url, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		defer body.Close()
		decodeJSON(url, body, opts, yield)
	}
}

func (o HTTPOptions) withDefaults() HTTPOptions {
	o.ChunkSize = positiveOr(o.ChunkSize, 10_000)
	o.MaxBytes = positiveOr(o.MaxBytes, 256<<20)
	o.MaxRecordBytes = positiveOr(o.MaxRecordBytes, 1<<20)
	o.Timeout = positiveOr(o.Timeout, 30*time.Second)
	o.TotalTimeout = positiveOr(o.TotalTimeout, time.Minute)
	if o.Retries == 0 {
		o.Retries = 3
	}
	o.Retries = max(o.Retries, 0)
	o.Backoff = positiveOr(o.Backoff, 200*time.Millisecond)
	o.MaxRedirects = max(o.MaxRedirects, 0)
	return o
}

// decodeJSON streams an array or NDJSON body into chunks of T. A value
// reader sits between the body and the decoder: it refuses to read more
// than MaxRecordBytes past the start of the value being decoded, so the
// decoder's buffer never holds a longer one.
func decodeJSON[T any](url string, body io.Reader, opts HTTPOptions, yield func([]T, error) bool) {
	limited := &limitReader{r: body, left: opts.MaxBytes}
	vr := &valueReader{r: limited, max: opts.MaxRecordBytes}
	var br *bufio.Reader
	// Until the decoder exists, the first value starts at the next byte
	// peekNonSpace will read: the buffer's first fill is bounded too, or a
	// value in it could be longer than MaxRecordBytes unnoticed.
	vr.start = func() int64 { return vr.read - int64(br.Buffered()) }
	br = bufio.NewReaderSize(vr, 32<<10)
	first, err := peekNonSpace(br)
	if err == io.EOF {
		return
	}
	if err != nil {
		yield(nil, wrapBody(url, err))
		return
	}
	// The decoder reads br from here on: the current value starts at the
	// leading space peekNonSpace skipped plus the decoder's offset.
	dec := json.NewDecoder(br)
	skipped := vr.read - int64(br.Buffered())
	vr.start = func() int64 { return skipped + dec.InputOffset() }
	array := first == '['
	if array {
		if _, err := dec.Token(); err != nil {
			yield(nil, wrapBody(url, err))
			return
		}
	}
	chunk := make([]T, 0, min(opts.ChunkSize, 1024))
	for n := 0; ; n++ {
		if array && !dec.More() {
			if _, err := dec.Token(); err != nil { // the closing ]
				yield(nil, wrapBody(url, err))
				return
			}
			switch _, err := dec.Token(); {
			case err == nil:
				yield(nil, wrapBody(url, errors.New("data after the closing ]")))
				return
			case err != io.EOF:
				yield(nil, wrapBody(url, fmt.Errorf("data after the closing ]: %w", err)))
				return
			}
			break
		}
		var v T
		if err := dec.Decode(&v); err != nil {
			if !array && err == io.EOF {
				break
			}
			yield(nil, fmt.Errorf("connectors: %s: record %d: %w", url, n+1, err))
			return
		}
		chunk = append(chunk, v)
		if len(chunk) == opts.ChunkSize {
			if !yield(chunk, nil) {
				return
			}
			chunk = make([]T, 0, min(opts.ChunkSize, 1024))
		}
	}
	if len(chunk) > 0 {
		yield(chunk, nil)
	}
}

// valueReader fails with ErrRecordTooLarge when a read would take the
// bytes read past the current value's start (start) by more than max.
type valueReader struct {
	r     io.Reader
	max   int64
	read  int64
	start func() int64 // where the current value starts; nil: no bound
}

func (v *valueReader) Read(p []byte) (int, error) {
	if v.start != nil {
		allowed := v.start() + v.max + 1 - v.read // +1: a value of exactly max is fine
		if allowed <= 0 {
			return 0, fmt.Errorf("%w: more than %d bytes (HTTPOptions.MaxRecordBytes)", ErrRecordTooLarge, v.max)
		}
		if int64(len(p)) > allowed {
			p = p[:allowed]
		}
	}
	n, err := v.r.Read(p)
	v.read += int64(n)
	return n, err
}

// attemptBody keeps an attempt's deadline alive while its body is read.
type attemptBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b attemptBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func fetch(ctx context.Context, rawURL string, opts HTTPOptions) (io.ReadCloser, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("connectors: %w", err)
	}
	if err := hostPolicy(opts.AllowedHosts).check(u); err != nil {
		return nil, err
	}
	client := newClient(opts)
	defer client.CloseIdleConnections()
	wait := opts.Backoff
	for attempt := 0; ; attempt++ {
		body, retryAfter, retry, err := try(ctx, client, rawURL, opts)
		if err != nil || retry == nil {
			return body, err
		}
		if attempt >= opts.Retries {
			return nil, fmt.Errorf("%w (after %d attempts)", retry, attempt+1)
		}
		d := jitter(wait)
		if retryAfter > d {
			d = retryAfter
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
			return nil, fmt.Errorf("connectors: %w: the next attempt, in %v, would start past it (after %d attempts: %w)", context.DeadlineExceeded, d.Round(time.Millisecond), attempt+1, retry)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("connectors: %w (after %d attempts: %w)", ctx.Err(), attempt+1, retry)
		case <-t.C:
		}
		wait = min(2*wait, opts.TotalTimeout)
	}
}

// try makes one attempt. It returns the body of a 200; or retry, the
// reason to try again (with the server's Retry-After, if any); or err,
// the reason to stop.
func try(ctx context.Context, client *http.Client, url string, opts HTTPOptions) (body io.ReadCloser, retryAfter time.Duration, retry, err error) {
	actx, cancel := context.WithTimeout(ctx, opts.Timeout)
	req, err := http.NewRequestWithContext(actx, http.MethodGet, url, nil)
	if err != nil {
		cancel()
		return nil, 0, nil, fmt.Errorf("connectors: %w", err)
	}
	for k, vs := range opts.Header {
		req.Header[k] = vs
	}
	req.Header.Set("Accept", "application/json, application/x-ndjson")
	resp, err := client.Do(req)
	switch {
	case err != nil:
		cancel()
		if !isTimeout(err) || ctx.Err() != nil {
			return nil, 0, nil, fmt.Errorf("connectors: %w", err)
		}
		return nil, 0, err, nil
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		cancel()
		return nil, parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), fmt.Errorf("connectors: GET %s: %s", url, resp.Status), nil
	case resp.StatusCode != http.StatusOK:
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		cancel()
		return nil, 0, nil, fmt.Errorf("connectors: GET %s: %s: %s", url, resp.Status, bytes.TrimSpace(msg))
	case resp.ContentLength > opts.MaxBytes:
		resp.Body.Close()
		cancel()
		return nil, 0, nil, fmt.Errorf("connectors: GET %s: %w: Content-Length %d > %d", url, ErrBodyTooLarge, resp.ContentLength, opts.MaxBytes)
	}
	return attemptBody{resp.Body, cancel}, 0, nil, nil
}

// jitter draws a wait from [d/2, d].
func jitter(d time.Duration) time.Duration {
	half := d / 2
	return half + rand.N(d-half+1)
}

// parseRetryAfter reads Retry-After: delay-seconds or an HTTP date; zero
// when absent, malformed or past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(min(s, int64(math.MaxInt64/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b, br.UnreadByte()
	}
}

func wrapBody(url string, err error) error {
	return fmt.Errorf("connectors: %s: %w", url, err)
}

// limitReader fails with ErrBodyTooLarge past its limit, where
// io.LimitReader would end silently with a truncated, plausible stream.
type limitReader struct {
	r    io.Reader
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// At the limit: only the end of the body is acceptable.
		var one [1]byte
		if n, err := l.r.Read(one[:]); n == 0 && err != nil {
			return 0, err
		}
		return 0, ErrBodyTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
