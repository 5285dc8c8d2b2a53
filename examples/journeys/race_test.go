//go:build race

package journeys_test

// raceBuild builds the examples with the race detector when the tests run
// with it: the journeys then look for races in the servers too, and the
// build reuses the test build's cache.
const raceBuild = true
