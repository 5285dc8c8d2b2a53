package echarts_test

import (
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/assets/echarts"
)

// TestIntegrityIsTheEmbeddedFile: the SRI hash a page uses for the CDN opt-in
// is the hash of the file served offline, so both load the same script.
func TestIntegrityIsTheEmbeddedFile(t *testing.T) {
	b, err := fs.ReadFile(echarts.FS(), echarts.File)
	require.NoError(t, err)
	sum := sha512.Sum384(b)
	require.Equal(t, "sha384-"+base64.StdEncoding.EncodeToString(sum[:]), echarts.Integrity)
	require.Contains(t, string(b[:2000]), "Licensed to the Apache Software Foundation")
}

// TestVersionMatchesFiles: the VERSION file next to the embed (which
// `make check-echarts` compares with web/package-lock.json) says Version,
// and the licences are embedded with the script.
func TestVersionMatchesFiles(t *testing.T) {
	v, err := os.ReadFile("VERSION")
	require.NoError(t, err)
	require.Equal(t, echarts.Version, strings.TrimSpace(string(v)))
	for _, name := range []string{"LICENSE", "NOTICE", "LICENSE-d3"} {
		_, err := fs.Stat(echarts.FS(), name)
		require.NoError(t, err, name)
	}
}

func ExampleFS() {
	b, err := fs.ReadFile(echarts.FS(), echarts.File)
	if err != nil {
		panic(err)
	}
	fmt.Println("ECharts", echarts.Version, len(b) > 1_000_000)
	// Output: ECharts 5.6.0 true
}
