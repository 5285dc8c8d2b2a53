package connectors

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type apiReading struct {
	Device string  `json:"device"`
	Value  float64 `json:"value"`
}

func collect(t *testing.T, url string, opts HTTPOptions) ([]apiReading, []int, error) {
	t.Helper()
	var all []apiReading
	var sizes []int
	for chunk, err := range FetchJSON[apiReading](context.Background(), url, opts) {
		if err != nil {
			return all, sizes, err
		}
		sizes = append(sizes, len(chunk))
		all = append(all, chunk...)
	}
	return all, sizes, nil
}

func TestFetchJSONArrayAndNDJSON(t *testing.T) {
	var array, nd strings.Builder
	array.WriteString(" [")
	for i := range 2_500 {
		if i > 0 {
			array.WriteString(",")
		}
		fmt.Fprintf(&array, `{"device":"d%d","value":%d}`, i%3, i)
		fmt.Fprintf(&nd, "{\"device\":\"d%d\",\"value\":%d}\n", i%3, i)
	}
	array.WriteString("]\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "secret" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/array":
			w.Write([]byte(array.String()))
		case "/ndjson":
			w.Write([]byte(nd.String()))
		case "/empty":
		case "/bad":
			w.Write([]byte(`[{"device":"a","value":1},{"device":"b","value":"x"}]`))
		case "/truncated":
			w.Write([]byte(`[{"device":"a","value":1},{"dev`))
		}
	}))
	defer srv.Close()
	opts := HTTPOptions{AllowLoopback: true, ChunkSize: 1_000, Header: http.Header{"Authorization": {"secret"}}}
	for _, path := range []string{"/array", "/ndjson"} {
		got, sizes, err := collect(t, srv.URL+path, opts)
		require.NoError(t, err, path)
		require.Equal(t, []int{1000, 1000, 500}, sizes, path)
		require.Equal(t, apiReading{"d1", 2_497}, got[2_497])
	}
	got, _, err := collect(t, srv.URL+"/empty", opts)
	require.NoError(t, err)
	require.Empty(t, got)

	_, _, err = collect(t, srv.URL+"/bad", opts)
	require.ErrorContains(t, err, "record 2")
	_, _, err = collect(t, srv.URL+"/truncated", opts)
	require.Error(t, err)
	_, _, err = collect(t, srv.URL+"/array", HTTPOptions{AllowLoopback: true})
	require.ErrorContains(t, err, "401")
	require.ErrorContains(t, err, "no token")

	// The body limit is an error, not a silently short result; a body of
	// exactly the limit is fine.
	_, _, err = collect(t, srv.URL+"/array", HTTPOptions{AllowLoopback: true, MaxBytes: 1_000, Header: opts.Header})
	require.ErrorIs(t, err, ErrBodyTooLarge)
	_, _, err = collect(t, srv.URL+"/array", HTTPOptions{AllowLoopback: true, MaxBytes: int64(array.Len()), Header: opts.Header})
	require.NoError(t, err)
}

func TestFetchJSONRetriesThenSucceedsOrGivesUp(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch {
		case r.URL.Path == "/flaky" && n == 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case r.URL.Path == "/flaky" && n == 2:
			time.Sleep(300 * time.Millisecond) // past the client timeout
		case r.URL.Path == "/flaky":
			w.Write([]byte(`[{"device":"a","value":1}]`))
		default:
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	opts := HTTPOptions{AllowLoopback: true, Timeout: 100 * time.Millisecond, Backoff: time.Millisecond}
	got, _, err := collect(t, srv.URL+"/flaky", opts)
	require.NoError(t, err)
	require.Equal(t, []apiReading{{"a", 1}}, got)
	require.Equal(t, int32(3), calls.Load())

	calls.Store(0)
	_, _, err = collect(t, srv.URL+"/down", HTTPOptions{AllowLoopback: true, Retries: 2, Backoff: time.Millisecond})
	require.ErrorContains(t, err, "502")
	require.ErrorContains(t, err, "after 3 attempts")
	require.Equal(t, int32(3), calls.Load())

	calls.Store(0)
	_, _, err = collect(t, srv.URL+"/down", HTTPOptions{AllowLoopback: true, Retries: -1})
	require.Error(t, err)
	require.Equal(t, int32(1), calls.Load())

	// Cancellation stops the waits between attempts.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	for _, err := range FetchJSON[apiReading](ctx, srv.URL+"/down", HTTPOptions{AllowLoopback: true, Retries: 10, Backoff: time.Second}) {
		require.ErrorIs(t, err, context.DeadlineExceeded)
	}
	require.Less(t, time.Since(start), 900*time.Millisecond)
}
