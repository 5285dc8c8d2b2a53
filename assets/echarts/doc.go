// Package echarts embeds the Apache ECharts build dashkit's dashboards draw
// their charts with, so a program that imports dashkit from the module proxy
// serves it itself: no npm, no CDN, no request leaving the machine.
//
// The files are the npm package echarts@[Version] as pinned (with its
// integrity hash) in dashkit's web/package-lock.json: dist/echarts.min.js,
// byte for byte, with the package's LICENSE (Apache-2.0), NOTICE and
// LICENSE-d3. `make check-echarts` in dashkit's repository fails when the
// committed copy and the pinned package differ.
//
// A [dashboard.Dashboard] serves [FS] when its Options.Assets is nil; you
// need this package only to serve the file from a handler of your own.
// Embedding it adds about 1 MB to a binary (the README says how it was
// measured).
//
// [dashboard.Dashboard]: https://pkg.go.dev/github.com/dashkit/dashkit/dashboard#Dashboard
package echarts
