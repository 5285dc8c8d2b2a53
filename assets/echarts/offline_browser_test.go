package echarts_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/browsertest"
	"github.com/dashkit/dashkit/internal/tools/testenv"
)

// freshMain is a first program: it imports only dashkit, builds one
// dashboard with a Line panel and no Assets, and serves it on loopback.
const freshMain = `package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

func main() {
	d, err := dashboard.New("Fresh", dashboard.Options{Rows: []dashboard.Row{{Panels: []dashboard.Panel{{
		ID: "orders", Title: "Orders per hour",
		Data: func(ctx context.Context, _ dashboard.Params) (components.Component, error) {
			t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			return components.Line{
				Times:  []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour)},
				Series: []components.Series{{Name: "orders", Values: []float64{3, 5, 4}}},
			}, nil
		},
	}}}}})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("http://%s/\n", ln.Addr())
	log.Fatal(http.Serve(ln, d))
}
`

// TestBrowserFreshModuleDrawsOffline is the promise to a new user: a module
// made with go mod init, which requires dashkit (replaced by this checkout)
// and nothing else, builds without npm and serves a page whose chart draws
// in headless Chromium while the browser refuses every request that would
// leave the machine.
func TestBrowserFreshModuleDrawsOffline(t *testing.T) {
	b := browsertest.New(t, browsertest.DenyRemote())
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not available:", err)
	}
	root, err := testenv.RepoRoot()
	require.NoError(t, err)
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), gobin, args...)
		cmd.Dir = dir
		// The environment's GOPROXY and module cache; -mod=mod lets the
		// build fill in go.mod's requirements as a user's `go get` would.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
	}
	run("mod", "init", "example.com/fresh")
	run("mod", "edit", "-require=github.com/dashkit/dashkit@v0.0.0", "-replace=github.com/dashkit/dashkit="+root)
	// dashkit's go.sum vouches for the same dependency versions, so the
	// build needs no checksum-database lookup.
	sums, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sums, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(freshMain), 0o644))
	run("build", "-o", "fresh", ".")
	_, err = os.Stat(filepath.Join(dir, "node_modules"))
	require.ErrorIs(t, err, os.ErrNotExist)

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, filepath.Join(dir, "fresh"))
	cmd.Env = []string{"PATH=/nonexistent"} // nothing to fetch assets with
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		if s.Scan() {
			line <- s.Text()
		}
		close(line)
	}()
	var addr string
	select {
	case addr = <-line:
	case <-time.After(30 * time.Second):
		t.Fatal("the program did not say where it listens")
	}
	require.True(t, strings.HasPrefix(addr, "http://127.0.0.1:"), addr)

	p := b.Open(t, addr)
	p.WaitFor(`document.querySelector('#orders canvas') !== null && echarts.getInstanceByDom(document.getElementById('orders')).getOption().series[0].data.length === 3`)
	for _, u := range p.Requests() {
		require.True(t, strings.HasPrefix(u, addr) || strings.HasPrefix(u, "data:"), "a request left the page's origin: %s", u)
	}
	require.Contains(t, p.Requests(), addr+"assets/echarts.min.js")
}
