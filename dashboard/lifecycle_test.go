package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// TestCloseCanBeRetried: a Close whose context ends while a request is in
// flight returns the context's error and leaves the cache open under that
// request; a second Close, once the request is done, stops every goroutine
// the dashboard started.
func TestCloseCanBeRetried(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	entered, release := make(chan struct{}), make(chan struct{})
	d, err := dashboard.New("Slow", dashboard.Options{
		Assets:    fakeECharts,
		RateLimit: 100,
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{{ID: "slow", Title: "Slow", Data: func(ctx context.Context, _ dashboard.Params) (components.Component, error) {
			close(entered)
			select {
			case <-release:
			case <-ctx.Done():
			}
			return components.MetricCard{Title: "Slow", Value: 1}, nil
		}}}}},
	})
	require.NoError(t, err)

	done := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		d.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/panels/slow", nil))
		done <- rec.Code
	}()
	<-entered

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, d.Close(ctx), context.DeadlineExceeded, "a request is still in flight")
	rec := httptest.NewRecorder()
	d.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, "closing: new requests are refused")

	close(release)
	require.Equal(t, http.StatusOK, <-done, "the request in flight finishes")
	require.NoError(t, d.Close(context.Background()), "the retry completes")
	require.NoError(t, d.Close(context.Background()), "and Close stays idempotent")
}
