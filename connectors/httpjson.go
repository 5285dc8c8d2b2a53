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
	"net"
	"net/http"
	"time"
)

// ErrBodyTooLarge reports a response past [HTTPOptions.MaxBytes].
var ErrBodyTooLarge = errors.New("connectors: response body too large")

// HTTPOptions configure [FetchJSON]. The zero value is a working default.
type HTTPOptions struct {
	// Client sends the request; nil means a client with Timeout.
	Client *http.Client
	// Timeout bounds each attempt when Client is nil; zero means 30s.
	Timeout time.Duration
	// MaxBytes bounds the body; zero means 256 MiB.
	MaxBytes int64
	// Retries is how many times a 5xx, 429 or network timeout is retried
	// before the body is read; zero means 3, negative means none.
	Retries int
	// Backoff is the first wait between attempts, doubling each time;
	// zero means 200ms.
	Backoff time.Duration
	// ChunkSize is the number of records per chunk; zero means 10,000.
	ChunkSize int
	// Header is added to the request (an Authorization token, say).
	Header http.Header
}

// FetchJSON GETs url and streams the body into T in chunks: a JSON array
// of objects, or NDJSON (one object per line) — told apart by the first
// non-space byte, so neither needs to fit in memory. Fields map through
// `json` tags as encoding/json does. A 5xx, a 429 or a network timeout is
// retried with exponential backoff before any record is yielded; after
// that an error ends the stream, because records already yielded cannot be
// taken back. Cancelling ctx stops the request and the stream.
func FetchJSON[T any](ctx context.Context, url string, opts HTTPOptions) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		if opts.ChunkSize <= 0 {
			opts.ChunkSize = 10_000
		}
		if opts.MaxBytes <= 0 {
			opts.MaxBytes = 256 << 20
		}
		body, err := fetch(ctx, url, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		defer body.Close()
		limited := &limitReader{r: body, left: opts.MaxBytes}
		br := bufio.NewReaderSize(limited, 64<<10)
		first, err := peekNonSpace(br)
		if err == io.EOF {
			return
		}
		if err != nil {
			yield(nil, wrapBody(url, err))
			return
		}
		dec := json.NewDecoder(br)
		array := first == '['
		if array {
			if _, err := dec.Token(); err != nil {
				yield(nil, wrapBody(url, err))
				return
			}
		}
		chunk := make([]T, 0, opts.ChunkSize)
		for n := 0; ; n++ {
			if array && !dec.More() {
				if _, err := dec.Token(); err != nil { // the closing ]
					yield(nil, wrapBody(url, err))
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
				chunk = make([]T, 0, opts.ChunkSize)
			}
		}
		if len(chunk) > 0 {
			yield(chunk, nil)
		}
	}
}

func fetch(ctx context.Context, url string, opts HTTPOptions) (io.ReadCloser, error) {
	client := opts.Client
	if client == nil {
		t := opts.Timeout
		if t <= 0 {
			t = 30 * time.Second
		}
		client = &http.Client{Timeout: t}
	}
	retries := opts.Retries
	if retries == 0 {
		retries = 3
	}
	retries = max(retries, 0)
	wait := opts.Backoff
	if wait <= 0 {
		wait = 200 * time.Millisecond
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, fmt.Errorf("connectors: %w", err)
		}
		for k, vs := range opts.Header {
			req.Header[k] = vs
		}
		req.Header.Set("Accept", "application/json, application/x-ndjson")
		resp, err := client.Do(req)
		var retry error
		switch {
		case err != nil:
			if !isTimeout(err) || ctx.Err() != nil {
				return nil, fmt.Errorf("connectors: %w", err)
			}
			retry = err
		case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
			retry = fmt.Errorf("connectors: GET %s: %s", url, resp.Status)
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		case resp.StatusCode != http.StatusOK:
			msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			resp.Body.Close()
			return nil, fmt.Errorf("connectors: GET %s: %s: %s", url, resp.Status, bytes.TrimSpace(msg))
		default:
			return resp.Body, nil
		}
		if attempt >= retries {
			return nil, fmt.Errorf("%w (after %d attempts)", retry, attempt+1)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("connectors: %w", ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
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
