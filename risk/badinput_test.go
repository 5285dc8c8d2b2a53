package risk

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// Every case of issue 18's "Why" — inputs that panicked, returned NaN or
// Inf, or returned a silently wrong number — is an error wrapping ErrInput
// (or ErrOutsideDomain for a Cornish–Fisher expansion outside its domain).
func TestBadInputTable(t *testing.T) {
	ctx := context.Background()
	nan, inf := math.NaN(), math.Inf(1)
	cov := mat.NewSymDense(2, []float64{0.0025, 0.0012, 0.0012, 0.0144})
	rng := func() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
	pnl := []float64{-3, 1, 2, -1, 0.5, -2, 1.5, 0.2, -0.7, 1}
	moments := Moments{N: 250, StdDev: 2, Skewness: -0.5, ExcessKurtosis: 3}
	contrib := Contributions{Total: 10, Component: []float64{4, 6}}
	prices := mat.NewDense(4, 2, []float64{100, 50, 101, 49, 99, 50, 100, 51})
	for _, tc := range []struct {
		name string
		call func() error
		want error
	}{
		// Panics.
		{"TrafficLight p 1.5", func() error { _, err := TrafficLight(250, 5, 1.5); return err }, ErrInput},
		{"TrafficLight p −0.1", func() error { _, err := TrafficLight(250, 5, -0.1); return err }, ErrInput},
		{"EqualPositions −1", func() error { _, err := EqualPositions(-1, 1e6); return err }, ErrInput},
		{"EqualPositions 0", func() error { _, err := EqualPositions(0, 1e6); return err }, ErrInput},
		{"EqualPositions NaN value", func() error { _, err := EqualPositions(3, nan); return err }, ErrInput},
		{"BySector sector out of range", func() error { _, err := contrib.BySector([]int{0, 5}, 2); return err }, ErrInput},
		{"BySector negative sector", func() error { _, err := contrib.BySector([]int{0, -1}, 2); return err }, ErrInput},
		{"BySector wrong length", func() error { _, err := contrib.BySector([]int{0}, 2); return err }, ErrInput},
		{"Stress sector out of range", func() error { _, err := Stress(Scenario{All: -0.1}, []float64{1, 2}, []int{0, 3}, 2); return err }, ErrInput},
		{"SectorMatrix negative sectors", func() error {
			_, err := SectorMatrix(contrib, []float64{1, 2}, []int{0, 0}, -1, MatrixInputs{})
			return err
		}, ErrInput},

		// NaN or Inf returned with no error.
		{"CornishFisher StdDev +Inf", func() error {
			m := moments
			m.StdDev = inf
			_, _, err := CornishFisher(m, 0.99, ParametricOptions{})
			return err
		}, ErrInput},
		{"CornishFisher Skewness +Inf", func() error {
			m := moments
			m.Skewness = inf
			_, _, err := CornishFisher(m, 0.99, ParametricOptions{})
			return err
		}, ErrInput},
		{"CornishFisher Mean NaN", func() error {
			m := moments
			m.Mean = nan
			_, _, err := CornishFisher(m, 0.99, ParametricOptions{})
			return err
		}, ErrInput},
		{"MonteCarlo NaN position", func() error {
			_, _, err := MonteCarlo(ctx, cov, []float64{1e6, nan}, 1000, 0.99, rng())
			return err
		}, ErrInput},
		{"MonteCarlo Inf position", func() error {
			_, _, err := MonteCarlo(ctx, cov, []float64{inf, 1e6}, 1000, 0.99, rng())
			return err
		}, ErrInput},
		{"SectorIncremental NaN", func() error {
			_, err := SectorIncremental([][]float64{{1, -2, 3}, {0.5, nan, -1}}, 0.99)
			return err
		}, ErrInput},
		{"ScaleSqrtH −5", func() error { _, err := ScaleSqrtH(10, -5); return err }, ErrInput},
		{"ScaleSqrtH 0", func() error { _, err := ScaleSqrtH(10, 0); return err }, ErrInput},
		{"ScaleSqrtH NaN", func() error { _, err := ScaleSqrtH(nan, 5); return err }, ErrInput},
		{"Overlapping NaN", func() error { _, err := Overlapping([]float64{1, nan, 3}, 2); return err }, ErrInput},
		{"Kupiec no observations", func() error { _, _, err := Kupiec(0, 0, 0.01); return err }, ErrInput},
		{"Kupiec more exceptions than days", func() error { _, _, err := Kupiec(250, 251, 0.01); return err }, ErrInput},
		{"Kupiec p 0", func() error { _, _, err := Kupiec(250, 5, 0); return err }, ErrInput},
		{"Kupiec p NaN", func() error { _, _, err := Kupiec(250, 5, nan); return err }, ErrInput},

		// Silently wrong.
		{"TrafficLight p NaN", func() error { _, err := TrafficLight(250, 5, nan); return err }, ErrInput},
		{"TrafficLight no observations", func() error { _, err := TrafficLight(0, 0, 0.01); return err }, ErrInput},
		{"TrafficLight negative exceptions", func() error { _, err := TrafficLight(250, -1, 0.01); return err }, ErrInput},
		{"CornishFisher negative StdDev", func() error {
			m := moments
			m.StdDev = -2
			_, _, err := CornishFisher(m, 0.99, ParametricOptions{})
			return err
		}, ErrInput},
		{"CornishFisher impossible kurtosis", func() error {
			_, _, err := CornishFisher(Moments{N: 100, StdDev: 1, Skewness: 2, ExcessKurtosis: 0}, 0.99, ParametricOptions{})
			return err
		}, ErrInput},
		{"Historical confidence 0.05", func() error { _, _, err := Historical(pnl, 0.05, HistoricalOptions{}); return err }, ErrInput},
		{"Historical unknown quantile", func() error { _, _, err := Historical(pnl, 0.95, HistoricalOptions{Quantile: 3}); return err }, ErrInput},
		{"Normal confidence 0.05", func() error { _, _, err := Normal(0, 1, 0.05, ParametricOptions{}); return err }, ErrInput},
		{"CornishFisher confidence 0.05", func() error { _, _, err := CornishFisher(moments, 0.05, ParametricOptions{}); return err }, ErrInput},
		{"MonteCarlo confidence 0.05", func() error { _, _, err := MonteCarlo(ctx, cov, []float64{1, 1}, 100, 0.05, rng()); return err }, ErrInput},
		{"ContributionsFromCovariance confidence 0.05", func() error { _, err := ContributionsFromCovariance(cov, []float64{1, 1}, 0.05); return err }, ErrInput},
		{"BacktestVaR confidence 0.05", func() error { _, err := BacktestVaR(pnl, make([]float64, len(pnl)), 0.05); return err }, ErrInput},
		{"SectorIncremental confidence 0.05", func() error { _, err := SectorIncremental([][]float64{pnl}, 0.05); return err }, ErrInput},
		{"SectorMonteCarlo confidence 0.05", func() error { _, _, err := SectorMonteCarlo(ctx, [][]float64{pnl}, 100, 0.05, rng()); return err }, ErrInput},
		{"NewReport confidence 0.05", func() error {
			_, err := NewReport(ctx, ReportInput{Prices: prices, Positions: []float64{1, 1}, Levels: []float64{0.05}, Horizons: []int{1}})
			return err
		}, ErrInput},
		{"NewReport negative horizon", func() error {
			_, err := NewReport(ctx, ReportInput{Prices: prices, Positions: []float64{1, 1}, Horizons: []int{-5}})
			return err
		}, ErrInput},
		{"NewReport unknown missing policy", func() error {
			_, err := NewReport(ctx, ReportInput{Prices: prices, Positions: []float64{1, 1}, Horizons: []int{1}, Missing: 7})
			return err
		}, ErrInput},
		{"Returns unknown kind", func() error { _, err := Returns(prices, 5, MissingError); return err }, ErrInput},
		{"MonteCarlo too many simulations", func() error { _, _, err := MonteCarlo(ctx, cov, []float64{1, 1}, math.MaxInt, 0.99, rng()); return err }, ErrInput},
		{"Top negative", func() error { _, err := contrib.Top(-1); return err }, ErrInput},
		{"Stress NaN position", func() error { _, err := Stress(Scenario{All: -0.1}, []float64{1, nan}, nil, 0); return err }, ErrInput},
		{"SectorMatrix NaN component", func() error {
			_, err := SectorMatrix(Contributions{Total: 1, Component: []float64{nan, 1}}, []float64{1, 2}, []int{0, 0}, 1, MatrixInputs{})
			return err
		}, ErrInput},
		{"ContributionsFromCovariance NaN position", func() error { _, err := ContributionsFromCovariance(cov, []float64{nan, 1}, 0.99); return err }, ErrInput},
		{"MomentsOf overflow", func() error { _, err := MomentsOf([]float64{math.MaxFloat64, -math.MaxFloat64}); return err }, ErrInput},
		{"Historical overflow", func() error {
			_, _, err := Historical([]float64{-math.MaxFloat64, math.MaxFloat64, -math.MaxFloat64}, 0.5, HistoricalOptions{})
			return err
		}, ErrInput},
		{"FromTail 0.95", func() error { _, err := FromTail(0.95); return err }, ErrInput},

		// Cornish–Fisher outside its domain: P&L skewness +3.6 and excess
		// kurtosis 21.6 gave −4,500 at 95% where historical VaR was 88,427.
		{"CornishFisher outside domain", func() error {
			_, _, err := CornishFisher(Moments{N: 252, StdDev: 40_000, Skewness: 3.6, ExcessKurtosis: 21.6}, 0.95, ParametricOptions{})
			return err
		}, ErrOutsideDomain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorIs(t, tc.call(), tc.want)
		})
	}
}

// A tail probability is accepted when the caller says so.
func TestFromTail(t *testing.T) {
	pnl := []float64{-3, 1, 2, -1, 0.5, -2, 1.5, 0.2, -0.7, 1}
	c, err := FromTail(0.05)
	require.NoError(t, err)
	v1, e1, err := Historical(pnl, c, HistoricalOptions{})
	require.NoError(t, err)
	v2, e2, err := Historical(pnl, 0.95, HistoricalOptions{})
	require.NoError(t, err)
	require.Equal(t, v2, v1)
	require.Equal(t, e2, e1)
	require.Positive(t, v1, "a loss, not a gain")
}

// The message for a missing price says so once: "missing (NaN)", not
// "missing (NaN) (NaN)".
func TestPriceErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{math.NaN(), "risk: price of instrument 2 on day 7 is missing (NaN)"},
		{math.Inf(1), "risk: price of instrument 2 on day 7 is infinite (+Inf)"},
		{-3, "risk: price of instrument 2 on day 7 is not positive (-3)"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			err := &PriceError{Instrument: 2, Day: 7, Value: tc.v}
			require.Equal(t, tc.want, err.Error())
			require.ErrorIs(t, err, ErrInput)
		})
	}
}

// Cornish–Fisher "modified VaR" as PerformanceAnalytics computes it
// (mVaR.MM in R/VaR.R of braverock/PerformanceAnalytics:
// −μ − Zcf·σ with z = qnorm(1 − p), Zcf = z + (z²−1)S/6 + (z³−3z)K/24 −
// (2z³−5z)S²/36, σ = √m2 and S, K from the centred moments with divisor
// T). The expected figures were computed outside Go, with Python's
// statistics.NormalDist for qnorm, for these 20 returns: S = −1.29696,
// K = 4.52132, σ = 0.0126277, μ = 0.0002. The sample version uses G1, G2
// and the n−1 deviation; the old mix (n−1 deviation with population S and
// K) gave 0.0242953 and 0.0477884 and matches neither.
func TestCornishFisherConventions(t *testing.T) {
	returns := []float64{-0.042, 0.012, 0.001, -0.011, 0.005, -0.004, 0.005, 0.002, -0.007, 0.010, 0.004, -0.006, 0.009, -0.003, 0.028, 0.001, -0.002, 0.003, -0.001, 0.0}
	m, err := MomentsOf(returns)
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		moments MomentConvention
		c, want float64
	}{
		{"population 95%", PopulationMoments, 0.95, 0.023675100211160184},
		{"population 99%", PopulationMoments, 0.99, 0.04657333379609439},
		{"sample 95%", SampleMoments, 0.95, 0.02416423888930361},
		{"sample 99%", SampleMoments, 0.99, 0.05268663023714663},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, e, err := CornishFisher(m, tc.c, ParametricOptions{IncludeMean: true, Moments: tc.moments})
			require.NoError(t, err)
			require.InDelta(t, tc.want, v, 1e-12)
			require.GreaterOrEqual(t, e, v)
		})
	}
	_, _, err = CornishFisher(Moments{N: 3, StdDev: 1}, 0.99, ParametricOptions{Moments: SampleMoments})
	require.ErrorIs(t, err, ErrInput, "sample kurtosis needs four observations")
	_, _, err = CornishFisher(m, 0.99, ParametricOptions{Moments: 7})
	require.ErrorIs(t, err, ErrInput)
}

// The domain check agrees with the expansion itself: where CornishFisher
// answers, z_cf increases on a wide grid of z, and VaR rises with
// confidence; where it returns ErrOutsideDomain, the grid finds a fall.
func TestCornishFisherDomain(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 1))
	for range 2000 {
		s := (rng.Float64() - 0.5) * 8 // loss skewness
		k := s*s - 2 + rng.Float64()*20
		zcf := func(z float64) float64 {
			return z + (z*z-1)*s/6 + (z*z*z-3*z)*k/24 - (2*z*z*z-5*z)*s*s/36
		}
		increasing := true
		for z := -40.0; z < 40; z += 0.01 {
			if zcf(z+0.01) < zcf(z)-1e-12 {
				increasing = false
				break
			}
		}
		m := Moments{N: 1000, StdDev: 1, Skewness: -s, ExcessKurtosis: k}
		v95, _, err := CornishFisher(m, 0.95, ParametricOptions{})
		if !increasing {
			require.ErrorIs(t, err, ErrOutsideDomain, "S %v K %v", s, k)
			continue
		}
		if !cornishFisherMonotone(s, k) {
			continue // monotone on the grid, within rounding of the boundary
		}
		require.NoError(t, err, "S %v K %v", s, k)
		v99, _, err := CornishFisher(m, 0.99, ParametricOptions{})
		require.NoError(t, err)
		require.GreaterOrEqual(t, v99, v95, "S %v K %v", s, k)
	}
}
