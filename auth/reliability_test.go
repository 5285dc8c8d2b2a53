package auth_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/auth"
)

// TestReliabilityRows replays the acceptance rows of hardening #15 that
// package auth answers, one subtest per row, named after it (the
// dashboard's rows are dashboard.TestReliabilityRows).
func TestReliabilityRows(t *testing.T) {
	t.Run("a 10 MB login body → 413, not 400", func(t *testing.T) {
		a := newAuth(t, auth.Options{})
		body := "user=admin&password=" + strings.Repeat("a", 10<<20)
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		a.LoginHandler().ServeHTTP(rec, req)
		require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		require.Empty(t, rec.Result().Cookies())
	})
}
