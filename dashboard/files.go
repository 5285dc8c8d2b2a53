package dashboard

import (
	"embed"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed web
var webFS embed.FS

func staticFS() fs.FS {
	sub, err := fs.Sub(webFS, "web/static")
	if err != nil {
		panic("dashboard: embedded static files: " + err.Error()) // programmer error: the embed is fixed at build time
	}
	return sub
}

// serveFiles serves regular files from fsys by the request's {name} or
// {name...} path value. Directories are not listed; a missing file goes to
// notFound.
func serveFiles(fsys fs.FS, cacheControl string, notFound http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		if name == "" || strings.HasSuffix(name, "/") || !fs.ValidPath(name) {
			notFound(w, r)
			return
		}
		f, err := fsys.Open(name)
		if err != nil {
			notFound(w, r)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || fi.IsDir() {
			notFound(w, r)
			return
		}
		rs, ok := f.(io.ReadSeeker)
		if !ok {
			http.Error(w, "file not seekable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Cache-Control", cacheControl)
		http.ServeContent(w, r, path.Base(name), fi.ModTime(), rs)
	})
}

// script is how the page loads ECharts.
type script struct {
	Src       string
	Integrity string
}

// The ECharts build pinned in web/package.json, and the Subresource-Integrity
// hash of its dist/echarts.min.js (openssl dgst -sha384 -binary | base64).
const (
	EChartsVersion   = "5.6.0"
	echartsCDN       = "https://cdn.jsdelivr.net/npm/echarts@" + EChartsVersion + "/dist/echarts.min.js"
	echartsIntegrity = "sha384-pPi0zxBAoDu6+JXW/C68UZLvBUUtU+7zonhif43rqj7pxsGyqyqzcian2Rj37Rss"
)

var errNoECharts = errors.New("Options.Assets holds no echarts.min.js (run `make assets`, then pass os.DirFS(\"web/node_modules/echarts/dist\"))")

func echartsScript(assets fs.FS) (script, error) {
	if assets == nil {
		return script{Src: echartsCDN, Integrity: echartsIntegrity}, nil
	}
	fi, err := fs.Stat(assets, "echarts.min.js")
	if err != nil || fi.IsDir() {
		return script{}, errNoECharts
	}
	return script{Src: "assets/echarts.min.js"}, nil
}
