//go:build !amd64

package risk

// quadKernels is dotQuad alone: there is no assembly here.
func quadKernels() []func(x []float64, r *[4][]float64) [4]float64 {
	return []func(x []float64, r *[4][]float64) [4]float64{dotQuad}
}
