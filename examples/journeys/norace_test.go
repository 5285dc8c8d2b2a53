//go:build !race

package journeys_test

const raceBuild = false
