package main

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// TestBrowserEmbedded opens the service's operations dashboard under
// /dashboards/ops/ with the host's Basic credentials: the page, its runtime,
// ECharts and its live stream all resolve under the prefix.
func TestBrowserEmbedded(t *testing.T) {
	b := browsertest.New(t)
	s, err := newService(os.DirFS(testenv.EChartsDir(t)), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	srv := httptest.NewServer(s.mux)
	t.Cleanup(func() {
		_ = s.close(context.Background())
		srv.Close()
	})
	p := b.Open(t, "about:blank")
	creds := base64.StdEncoding.EncodeToString([]byte("ops:ops-demo"))
	p.Do(
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Authorization": "Basic " + creds}})
			return err
		}),
		chromedp.Navigate(srv.URL+"/dashboards/ops/"),
	)
	p.WaitFor(`document.documentElement.dataset.dkStatus === 'live' && document.querySelector('#latency canvas') !== null`)
	require.Equal(t, "Orders today", browsertest.Eval[string](p, `document.querySelector('#orders-title').textContent`))
	p.Do(chromedp.Sleep(400e6))
	p.Screenshot("testdata/screenshots/embed.png")
}
