package echarts

import (
	"embed"
	"io/fs"
)

// Version is the ECharts release embedded: the version of the npm package
// pinned in web/package-lock.json.
const Version = "5.6.0"

// Integrity is the Subresource-Integrity hash of the embedded
// echarts.min.js (sha384, base64), which is also the hash of the same file
// on a CDN that serves the npm package, such as jsDelivr.
const Integrity = "sha384-pPi0zxBAoDu6+JXW/C68UZLvBUUtU+7zonhif43rqj7pxsGyqyqzcian2Rj37Rss"

// File is the name of the script in [FS].
const File = "echarts.min.js"

//go:embed echarts.min.js LICENSE NOTICE LICENSE-d3
var files embed.FS

// FS returns the embedded files: echarts.min.js and its licences (LICENSE,
// NOTICE, LICENSE-d3). It is read-only and safe for concurrent use.
func FS() fs.FS { return files }
