// Package riskdata generates the synthetic market that risk benchmarks, the
// pandas baseline and the risk example share: correlated random walks with a
// market factor, 11 sector factors and idiosyncratic noise, from a seed.
package riskdata

import (
	"math"
	"math/rand/v2"
)

// Sectors is the number of sectors; instrument i is in sector i mod Sectors.
const Sectors = 11

// Prices returns a days × n price matrix, row-major, one row per day, oldest
// first, and each instrument's sector. The same arguments give the same
// numbers on every machine.
func Prices(days, n int, seed uint64) ([]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	sectors := make([]int, n)
	data := make([]float64, days*n)
	for i := range n {
		sectors[i] = i % Sectors
		data[i] = 20 + 180*rng.Float64()
	}
	sec := make([]float64, Sectors)
	for t := 1; t < days; t++ {
		mkt := 0.01 * rng.NormFloat64()
		for j := range sec {
			sec[j] = 0.007 * rng.NormFloat64()
		}
		prev, cur := data[(t-1)*n:t*n], data[t*n:(t+1)*n]
		for i := range n {
			cur[i] = prev[i] * math.Exp(mkt+sec[sectors[i]]+0.012*rng.NormFloat64())
		}
	}
	return data, sectors
}
