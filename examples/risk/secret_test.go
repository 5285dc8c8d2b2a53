package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Hardening #15, row "secrets", done-when: the docs' example secret does not
// start the example in production. The test builds the command and runs it
// as an operator would, with the secret printed in auth/example_test.go; it
// must exit non-zero, saying why and how to make a secret, before it
// listens.
func TestProductionRefusesThePublishedSecret(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "risk")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	run := exec.CommandContext(ctx, bin, "-assets", "")
	run.Env = append(os.Environ(), "DASHKIT_ENV=production", "SECRET_KEY=a-secret-of-at-least-32-bytes!!!", "ADDR=127.0.0.1:0")
	out, err = run.CombinedOutput()
	require.NoError(t, ctx.Err(), "the example kept running with a published secret")
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the example must exit non-zero; it said:\n%s", out)
	require.NotZero(t, exit.ExitCode())
	require.Contains(t, string(out), "SECRET_KEY")
	require.Contains(t, string(out), "openssl rand -base64 48")
}
