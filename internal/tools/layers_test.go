package tools_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/dashkit/dashkit"

type pkg struct {
	ImportPath string
	Imports    []string
}

// TestLayers checks the layering the layout shows, from the packages'
// non-test imports (go list):
//
//   - no library package imports internal/tools or examples;
//   - the helpers directly under internal/ import nothing of dashkit but
//     each other, so a leaf that imports one stays a leaf;
//   - no library package imports a package that imports the library.
func TestLayers(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not available:", err)
	}
	cmd := exec.CommandContext(t.Context(), gobin, "list", "-json=ImportPath,Imports", module+"/...")
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("go list: %v\n%s", err, ee.Stderr)
	}
	require.NoError(t, err)
	imports := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, module+"/") {
				imports[p.ImportPath] = append(imports[p.ImportPath], imp)
			}
		}
		if _, ok := imports[p.ImportPath]; !ok {
			imports[p.ImportPath] = nil
		}
	}
	kind := func(path string) string {
		rel := strings.TrimPrefix(path, module+"/")
		switch {
		case strings.HasPrefix(rel, "internal/tools/") || rel == "internal/tools":
			return "tools"
		case strings.HasPrefix(rel, "examples/"):
			return "examples"
		case strings.HasPrefix(rel, "internal/"):
			return "helper"
		default:
			return "library"
		}
	}
	require.Contains(t, imports, module+"/dashboard", "go list saw the module")
	for path, deps := range imports {
		switch kind(path) {
		case "library":
			for _, d := range deps {
				require.NotContains(t, []string{"tools", "examples"}, kind(d), "%s imports %s", path, d)
				if kind(d) == "helper" {
					for _, dd := range imports[d] {
						require.Equal(t, "helper", kind(dd), "%s imports %s, which imports %s", path, d, dd)
					}
				}
			}
		case "helper":
			for _, d := range deps {
				require.Equal(t, "helper", kind(d), "the helper %s imports %s", path, d)
			}
		}
	}
}
