// Package tools holds what sits above the library: the example apps'
// shared wiring (demo), test harnesses (browsertest, testenv, gallery),
// generated data sets (readings, riskdata) and developer commands (cmd/...:
// testsummary, benchserve, gencsv, genprices, aggregate).
//
// The folder shows the layering. The library — auth, cache, components,
// config, connectors, dashboard, oee, risk — may import the helpers directly
// under internal/ (httpx, lttb, pareto, promutil), which import nothing of dashkit.
// Nothing in the library imports internal/tools; only tests, examples and
// these commands do. So no library package imports a package that imports
// the library, and every import points down. TestLayers checks it.
package tools
