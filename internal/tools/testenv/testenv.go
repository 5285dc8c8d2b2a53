package testenv

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The environment variables that name the integration services.
const (
	RedisVar    = "DASHKIT_REDIS_URL"
	PostgresVar = "DASHKIT_POSTGRES_URL"
	BrowserVar  = "DASHKIT_BROWSER"
)

// TB is the part of testing.TB the helpers need; tests pass a *testing.T or
// *testing.B.
type TB interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
}

var _ TB = testing.TB(nil)

// RedisURL returns DASHKIT_REDIS_URL, or skips the test when it is unset.
func RedisURL(t TB) string {
	t.Helper()
	return require(t, RedisVar, "redis://127.0.0.1:6379/0", "Redis")
}

// PostgresURL returns DASHKIT_POSTGRES_URL, or skips the test when it is unset.
func PostgresURL(t TB) string {
	t.Helper()
	return require(t, PostgresVar, "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL")
}

// BrowserPath returns DASHKIT_BROWSER, the path of a Chromium executable, or
// skips the test when it is unset. A set variable that names no executable
// fails the test: CI must never mistake a missing browser for a pass.
func BrowserPath(t TB) string {
	t.Helper()
	path := require(t, BrowserVar, "/usr/bin/chromium", "a browser")
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		t.Fatalf("testenv: %s=%q is not an executable: %v", BrowserVar, path, err)
	}
	return path
}

func require(t TB, name, example, what string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Skipf("skipping integration test against %s: %s is not set (e.g. %s=%s)", what, name, name, example)
	}
	return v
}

// RepoRoot returns the directory holding dashkit's go.mod, found by walking up
// from the working directory (go test runs each package in its own folder).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// EChartsDir returns the directory that holds the locally installed
// echarts.min.js (web/node_modules/echarts/dist). When it is missing the test
// skips, naming the command that installs it, or fails when DASHKIT_BROWSER
// is set: a run that tests in a browser must have the assets.
func EChartsDir(t TB) string {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatalf("%v", err)
	}
	dir := filepath.Join(root, "web", "node_modules", "echarts", "dist")
	if _, err := os.Stat(filepath.Join(dir, "echarts.min.js")); err != nil {
		if os.Getenv(BrowserVar) != "" {
			t.Fatalf("testenv: %v; run `make assets` (npm ci --prefix web) first", err)
		}
		t.Skipf("skipping: the pinned ECharts is not installed; run `make assets` (npm ci --prefix web)")
	}
	return dir
}
