package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const stream = `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Package":"p","Test":"TestA","Elapsed":0.01}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:9: wanted 2, got 3\n"}
{"Action":"fail","Package":"p","Test":"TestB","Elapsed":0.02}
{"Action":"run","Package":"p","Test":"TestRedis"}
{"Action":"output","Package":"p","Test":"TestRedis","Output":"    r_test.go:5: skipping integration test against Redis: DASHKIT_REDIS_URL is not set\n"}
{"Action":"skip","Package":"p","Test":"TestRedis"}
{"Action":"fail","Package":"p","Elapsed":0.5}
{"Action":"skip","Package":"q"}
`

func run(t *testing.T, in string, forbid string) (string, int) {
	t.Helper()
	var re *regexp.Regexp
	if forbid != "" {
		re = regexp.MustCompile(forbid)
	}
	var out bytes.Buffer
	s, err := summarize(strings.NewReader(in), &out, re)
	require.NoError(t, err)
	code := s.report(&out)
	return out.String(), code
}

func TestSummary(t *testing.T) {
	out, code := run(t, stream, "")
	require.Equal(t, 1, code)
	require.Contains(t, out, "--- FAIL: p TestB")
	require.Contains(t, out, "wanted 2, got 3")
	require.Contains(t, out, "--- SKIP: p TestRedis: r_test.go:5: skipping integration test against Redis: DASHKIT_REDIS_URL is not set")
	require.Contains(t, out, "FAIL\tp\t0.50s")
	require.Contains(t, out, "?   \tq\t[no test files]")
	require.True(t, strings.HasSuffix(out, "\ntests: 1 passed, 1 failed, 1 skipped\n"), out)
}

func TestPassingRunExitsZero(t *testing.T) {
	out, code := run(t, `{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"pass","Package":"p","Elapsed":0.1}
`, "is not set")
	require.Equal(t, 0, code, out)
	require.True(t, strings.HasSuffix(out, "tests: 1 passed, 0 failed, 0 skipped\n"))
}

func TestForbiddenSkipFails(t *testing.T) {
	in := `{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestRedis","Output":"    DASHKIT_REDIS_URL is not set\n"}
{"Action":"skip","Package":"p","Test":"TestRedis"}
{"Action":"pass","Package":"p"}
`
	out, code := run(t, in, "is not set")
	require.Equal(t, 1, code)
	require.Contains(t, out, "1 test(s) skipped where they must run:\n  p TestRedis")
}

func TestNoTestsFails(t *testing.T) {
	out, code := run(t, `{"Action":"skip","Package":"q"}`+"\n", "")
	require.Equal(t, 1, code)
	require.Contains(t, out, "no test ran")
}

func TestBuildErrorsArePrinted(t *testing.T) {
	out, _ := run(t, "# example.com/p\np.go:3:1: syntax error\n"+`{"Action":"build-output","ImportPath":"p","Output":"p.go:4: undefined: x\n"}`+"\n", "")
	require.Contains(t, out, "p.go:3:1: syntax error")
	require.Contains(t, out, "p.go:4: undefined: x")
}
