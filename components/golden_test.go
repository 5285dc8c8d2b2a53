package components_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/internal/tools/gallery"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden renders every gallery sample and compares its HTML (and, for
// charts, its pretty-printed option) with testdata/golden. Run
// `go test ./components -update` after an intended change, and review the
// diff.
func TestGolden(t *testing.T) {
	for _, it := range gallery.Items() {
		t.Run(it.Name, func(t *testing.T) {
			r, err := it.Component.Render("g-" + it.Name)
			require.NoError(t, err)
			golden(t, it.Name+".html", []byte(string(r.HTML)+"\n"))
			if r.Option != nil {
				var pretty bytes.Buffer
				require.NoError(t, json.Indent(&pretty, r.Option, "", "  "))
				pretty.WriteByte('\n')
				golden(t, it.Name+".json", pretty.Bytes())
			}
		})
	}
}

// TestGoldenEdges does the same for edgeCases.
func TestGoldenEdges(t *testing.T) {
	for _, it := range edgeCases() {
		t.Run(it.Name, func(t *testing.T) {
			r, err := it.Component.Render("e-" + it.Name)
			require.NoError(t, err)
			golden(t, "edge-"+it.Name+".html", []byte(string(r.HTML)+"\n"))
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, r.Option, "", "  "))
			pretty.WriteByte('\n')
			golden(t, "edge-"+it.Name+".json", pretty.Bytes())
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run `go test ./components -update` to create it")
	require.Equal(t, string(want), string(got), "%s differs; run `go test ./components -update` if the change is intended", path)
}
