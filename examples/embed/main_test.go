package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

func TestServiceMountsTwoDashboards(t *testing.T) {
	s, err := newService(fstest.MapFS{"echarts.min.js": {Data: []byte("/**/")}}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	srv := httptest.NewServer(s.mux)
	t.Cleanup(func() {
		_ = s.close(context.Background())
		srv.Close()
	})
	get := func(path string, auth bool) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if auth {
			req.SetBasicAuth("ops", "ops-demo")
		}
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(b)
	}
	code, body := get("/", false)
	require.Equal(t, 200, code)
	require.Contains(t, body, "Orders service", "the host's own routes still work")
	code, _ = get("/api/orders", false)
	require.Equal(t, 200, code)

	for _, name := range []string{"ops", "sales"} {
		code, _ := get("/dashboards/"+name+"/", false)
		require.Equal(t, http.StatusUnauthorized, code, "the host's auth guards its dashboards")
		code, page := get("/dashboards/"+name+"/", true)
		require.Equal(t, 200, code)
		require.NotContains(t, page, "dk-error")
		// Every URL the page emits resolves under the prefix.
		for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
			if strings.HasPrefix(m[1], "data:") {
				continue
			}
			code, _ := get("/dashboards/"+name+"/"+m[1], true)
			require.Equal(t, 200, code, m[1])
		}
	}
	code, _ = get("/dashboards/ops/panels/revenue", true)
	require.Equal(t, http.StatusNotFound, code, "each dashboard has only its own panels")
}
