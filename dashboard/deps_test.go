package dashboard_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNoRedisInDashboard: a program that imports dashboard (and caches in
// memory) links no Redis client and no msgpack; Redis lives in
// cache/redisstore and auth/redisdenylist, for the programs that use it.
func TestNoRedisInDashboard(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not available:", err)
	}
	for _, pkg := range []string{"github.com/dashkit/dashkit/dashboard", "github.com/dashkit/dashkit/cache", "github.com/dashkit/dashkit/auth"} {
		t.Run(pkg[strings.LastIndex(pkg, "/")+1:], func(t *testing.T) {
			out, err := exec.CommandContext(t.Context(), gobin, "list", "-deps", pkg).Output()
			if ee, ok := err.(*exec.ExitError); ok {
				t.Fatalf("go list -deps %s: %v\n%s", pkg, err, ee.Stderr)
			}
			require.NoError(t, err)
			for dep := range strings.Lines(string(out)) {
				require.NotContains(t, dep, "redis", "%s depends on %s", pkg, strings.TrimSpace(dep))
				require.NotContains(t, dep, "msgpack", "%s depends on %s", pkg, strings.TrimSpace(dep))
			}
		})
	}
}
