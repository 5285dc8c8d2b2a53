package risk

// quadKernels are the four-day P&L kernels this machine can run: SSE2,
// and AVX where the CPU has it.
func quadKernels() []func(x []float64, r *[4][]float64) [4]float64 {
	ks := []func(x []float64, r *[4][]float64) [4]float64{func(x []float64, r *[4][]float64) [4]float64 {
		n := len(x)
		a0, a1, a2, a3 := dot4(x, r[0][:n], r[1][:n], r[2][:n], r[3][:n])
		return [4]float64{a0, a1, a2, a3}
	}}
	if haveAVX {
		ks = append(ks, func(x []float64, r *[4][]float64) [4]float64 {
			n := len(x)
			a0, a1, a2, a3 := dot4AVX(x, r[0][:n], r[1][:n], r[2][:n], r[3][:n])
			return [4]float64{a0, a1, a2, a3}
		})
	}
	return ks
}
