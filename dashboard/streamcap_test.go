package dashboard_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/dashboard"
)

// byHeader names the user by the X-User header a test sets.
type byHeader struct{}

func (byHeader) UserID(r *http.Request) (string, bool) {
	u := r.Header.Get("X-User")
	return u, u != ""
}

// Hardening #15, row "stream caps": one user cannot open more than
// MaxStreamsPerUser streams, nor everyone together more than MaxStreams;
// the refusal is a 503 with Retry-After, and a closed stream frees its
// place. On main 1,000 streams from one token were accepted.
func TestStreamCaps(t *testing.T) {
	d, err := dashboard.New("t", dashboard.Options{
		Assets: fakeECharts, MaxStreams: 3, MaxStreamsPerUser: 2, Users: byHeader{},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{{ID: "a", Title: "A", Data: card("a", 1)}}}},
	})
	require.NoError(t, err)
	srv := serve(t, d)
	open := func(user string) *http.Response {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/events", nil)
		require.NoError(t, err)
		req.Header.Set("X-User", user)
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	refused := func(res *http.Response) {
		t.Helper()
		require.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
		require.NotEmpty(t, res.Header.Get("Retry-After"))
	}
	alice1 := open("alice")
	require.Equal(t, http.StatusOK, alice1.StatusCode)
	require.Equal(t, http.StatusOK, open("alice").StatusCode)
	refused(open("alice")) // per user
	require.Equal(t, http.StatusOK, open("bob").StatusCode)
	refused(open("carol")) // per process

	alice1.Body.Close()
	require.Eventually(t, func() bool {
		res := open("alice")
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}, 5*time.Second, 20*time.Millisecond, "a closed stream frees its place")
}

func TestStreamCapsDefaults(t *testing.T) {
	require.Equal(t, 10_000, dashboard.DefaultMaxStreams)
	require.Equal(t, 16, dashboard.DefaultMaxStreamsPerUser)
	_, err := dashboard.New("t", dashboard.Options{MaxStreamsPerUser: -1})
	require.ErrorIs(t, err, dashboard.ErrInvalidOptions)
}
