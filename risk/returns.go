package risk

import (
	"context"
	"math"

	"gonum.org/v1/gonum/mat"
)

// ReturnKind is how a return is computed from two prices.
type ReturnKind int

// The return kinds. The zero value is Simple.
const (
	// Simple is P(t)/P(t−1) − 1: P&L of a position is position × return.
	Simple ReturnKind = iota
	// Log is ln(P(t)/P(t−1)): additive over time.
	Log
)

// MissingPolicy says what a missing price (NaN) does. Zero, negative and
// infinite prices are always errors.
type MissingPolicy int

// The policies. The zero value is MissingError. There is no forward fill:
// a stale price silently hides risk.
const (
	// MissingError fails with a [*PriceError] naming instrument and day.
	MissingError MissingPolicy = iota
	// MissingDropDay drops every day on which any instrument's price is
	// missing, for all instruments; returns then span the remaining
	// consecutive days.
	MissingDropDay
)

// usableDays returns the indices of the days the policy keeps, or a
// *PriceError for the first bad price.
func usableDays(prices *mat.Dense, policy MissingPolicy) ([]int, error) {
	days, n := prices.Dims()
	raw := prices.RawMatrix()
	keep := make([]int, 0, days)
	for t := range days {
		row := raw.Data[t*raw.Stride : t*raw.Stride+n]
		missing := false
		for i, p := range row {
			switch {
			case math.IsNaN(p):
				if policy == MissingError {
					return nil, &PriceError{Instrument: i, Day: t, Value: p}
				}
				missing = true
			case !(p > 0) || math.IsInf(p, 0):
				return nil, &PriceError{Instrument: i, Day: t, Value: p}
			}
		}
		if !missing {
			keep = append(keep, t)
		}
	}
	return keep, nil
}

// Returns computes the (days−1) × instruments matrix of returns from prices,
// a days × instruments matrix with one row per day, oldest first. It
// allocates the whole matrix: the portfolio functions ([PortfolioPnL],
// [NewReport]) never do, and are the way to go at scale.
func Returns(prices *mat.Dense, kind ReturnKind, policy MissingPolicy) (*mat.Dense, error) {
	if prices == nil {
		return nil, inputf("no prices")
	}
	if err := kind.check(); err != nil {
		return nil, err
	}
	if err := policy.check(); err != nil {
		return nil, err
	}
	days, err := usableDays(prices, policy)
	if err != nil {
		return nil, err
	}
	if len(days) < 2 {
		return nil, inputf("%d usable days: need at least 2", len(days))
	}
	_, n := prices.Dims()
	out := mat.NewDense(len(days)-1, n, nil)
	for k := 1; k < len(days); k++ {
		prev, cur := prices.RawRowView(days[k-1]), prices.RawRowView(days[k])
		row := out.RawRowView(k - 1)
		for i := range row {
			if kind == Log {
				row[i] = math.Log(cur[i] / prev[i])
			} else {
				row[i] = cur[i]/prev[i] - 1
			}
			if math.IsInf(row[i], 0) {
				return nil, inputf("the return of instrument %d on day %d overflows (price %v after %v)", i, days[k], cur[i], prev[i])
			}
		}
	}
	return out, nil
}

// scan is what a report reads from its passes over the scenarios: the
// portfolio's daily P&L and, per instrument, the sums that covariances with
// the portfolio need.
type scan struct {
	pnl       []float64   // per return day
	sectorPnL [][]float64 // [sector][day]; with sectors
	sumR      []float64   // Σ_t r_ti
	sumR2     []float64   // Σ_t r_ti²; with squares (incremental VaR)
	cross     []float64   // Σ_t r_ti · pnl_t
	ends      []int       // the day each return ends on, oldest first
}

// checkRow fails on the first price that is not a finite positive number.
// The test is one comparison pair per price on the fast path.
func checkRow(row []float64, day int) error {
	for i, p := range row {
		if !(p > 0 && p <= math.MaxFloat64) {
			return &PriceError{Instrument: i, Day: day, Value: p}
		}
	}
	return nil
}

// PortfolioPnL returns the portfolio's daily P&L from prices (days ×
// instruments, oldest first) and positions (currency amounts per
// instrument, negative for short): P&L(t) = Σ_i position_i · r_i(t) with
// simple returns. It never allocates the returns matrix: one pass, O(N)
// memory; [Window.PnL] gives the same numbers from a window. For weights, pass
// weight × portfolio value; [EqualPositions] makes equal weights explicit.
func PortfolioPnL(ctx context.Context, prices *mat.Dense, positions []float64, policy MissingPolicy) ([]float64, error) {
	if err := checkPortfolio(prices, positions, nil, 0); err != nil {
		return nil, err
	}
	if err := policy.check(); err != nil {
		return nil, err
	}
	src, err := newPriceSource(prices, policy)
	if err != nil {
		return nil, err
	}
	T, _ := src.dims()
	pnl := make([]float64, T)
	if _, err := pass(ctx, src, pnl, nil, positions, nil, false, false); err != nil {
		return nil, err
	}
	return pnl, nil
}

// EqualPositions spreads value equally over n instruments: the equal
// weighting the original applied silently, made explicit. n must be
// positive and value finite.
func EqualPositions(n int, value float64) ([]float64, error) {
	if n <= 0 {
		return nil, inputf("%d instruments: need at least one", n)
	}
	if !finite(value) {
		return nil, inputf("portfolio value %v", value)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = value / float64(n)
	}
	return out, nil
}

func checkPortfolio(prices *mat.Dense, positions []float64, sectors []int, nSectors int) error {
	if prices == nil {
		return inputf("no prices")
	}
	_, n := prices.Dims()
	if len(positions) != n {
		return inputf("%d positions for %d instruments", len(positions), n)
	}
	for i, p := range positions {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return inputf("position %d is %v", i, p)
		}
	}
	if sectors != nil {
		return checkSectors(sectors, n, nSectors)
	}
	return nil
}

// checkSectors validates an assignment of n instruments to sectors
// 0..nSectors−1.
func checkSectors(sectors []int, n, nSectors int) error {
	if nSectors < 0 {
		return inputf("%d sectors", nSectors)
	}
	if len(sectors) != n {
		return inputf("%d sector assignments for %d instruments", len(sectors), n)
	}
	for i, s := range sectors {
		if s < 0 || s >= nSectors {
			return inputf("instrument %d: sector %d outside 0..%d", i, s, nSectors-1)
		}
	}
	return nil
}

func (k ReturnKind) check() error {
	if k != Simple && k != Log {
		return inputf("unknown return kind %d", int(k))
	}
	return nil
}

func (p MissingPolicy) check() error {
	if p != MissingError && p != MissingDropDay {
		return inputf("unknown missing-price policy %d", int(p))
	}
	return nil
}
