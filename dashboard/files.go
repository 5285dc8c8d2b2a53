package dashboard

import (
	"embed"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/dashkit/dashkit/assets/echarts"
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

// EChartsVersion is the ECharts build a dashboard serves by default (the
// one embedded by package assets/echarts, pinned in web/package.json) and
// loads from the CDN with [Options.AssetsCDN].
const EChartsVersion = echarts.Version

const echartsCDN = "https://cdn.jsdelivr.net/npm/echarts@" + echarts.Version + "/dist/echarts.min.js"

var errNoECharts = errors.New("Options.Assets holds no echarts.min.js (leave Assets nil to serve the build dashkit embeds, package assets/echarts)")

// echartsScript is where the page loads ECharts from, and the files the
// dashboard serves under ./assets/: the host's Assets, else the embedded
// build — unless the host opted into the CDN, pinned by an SRI hash.
func echartsScript(opts Options) (script, fs.FS, error) {
	switch {
	case opts.AssetsCDN && opts.Assets != nil:
		return script{}, nil, errors.New("Options.Assets and Options.AssetsCDN are both set: choose one")
	case opts.AssetsCDN:
		return script{Src: echartsCDN, Integrity: echarts.Integrity}, nil, nil
	case opts.Assets == nil:
		return script{Src: "assets/" + echarts.File}, echarts.FS(), nil
	}
	fi, err := fs.Stat(opts.Assets, echarts.File)
	if err != nil || fi.IsDir() {
		return script{}, nil, errNoECharts
	}
	return script{Src: "assets/" + echarts.File}, opts.Assets, nil
}
