package risk

import (
	"cmp"
	"container/heap"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// Contributions are a parametric (delta-normal) VaR decomposed by Euler
// allocation (Jorion 2007, ch. 7), from the covariance of each instrument's
// return with the portfolio's P&L:
//
//	β_i        = Cov(r_i, P&L) / σ²_P&L
//	marginal_i = z · Cov(r_i, P&L) / σ_P&L        (∂VaR / ∂position_i)
//	component_i = position_i · marginal_i          (Σ_i component_i = z·σ_P&L = VaR)
//
// with z = Φ⁻¹(c) and the sample covariance (divisor n−1), computed from the
// returns in one O(N·T) pass: the N × N covariance matrix is never formed.
// The mean is taken as zero in VaR, as [Normal] does by default, so the
// components sum to the parametric VaR exactly (up to rounding, 1e-9
// relative in the tests).
//
// Incremental VaR is the exact change of VaR when a position is removed,
// VaR − z·√(σ²_P − 2·x_i·Cov(r_i, P) + x_i²·σ²_i); it does not add up to
// VaR. It needs each instrument's variance, so the one-pass form computes it
// only on request ([ReportInput.Incremental]); it is nil otherwise.
//
// The same type holds a historical split of VaR or ES
// ([HistoricalContributions]): Method and Measure say which figure Total is
// and how Component splits it; Scenarios then lists the scenarios and
// weights the figure is made of, and Marginal and Incremental are nil.
type Contributions struct {
	// Method is how the figure was estimated: MethodDeltaNormal (the zero
	// value) or MethodHistorical.
	Method Method
	// Measure is the figure split: MeasureVaR (the zero value) or
	// MeasureES.
	Measure    Measure
	Confidence float64
	// Quantile is the quantile type of a historical VaR.
	Quantile Quantile
	// Total is the figure split, a positive loss: z·σ of the portfolio's
	// P&L for delta-normal VaR, the historical VaR or ES otherwise. The
	// components sum to it (1e-9 relative in the tests).
	Total       float64
	Marginal    []float64
	Component   []float64
	Incremental []float64
	// Scenarios are the historical scenarios the figure is a weighted
	// loss of: Total = −Σ Weight·P&L(Scenario); nil for delta-normal.
	Scenarios []ScenarioWeight
}

// Method is how a risk figure is estimated.
type Method int

// The methods. The zero value is MethodDeltaNormal.
const (
	// MethodDeltaNormal is the variance–covariance method: z·σ.
	MethodDeltaNormal Method = iota
	// MethodHistorical is historical simulation over the P&L scenarios.
	MethodHistorical
)

// String names the method: "delta-normal" or "historical".
func (m Method) String() string {
	switch m {
	case MethodDeltaNormal:
		return "delta-normal"
	case MethodHistorical:
		return "historical"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Measure is a risk measure.
type Measure int

// The measures. The zero value is MeasureVaR.
const (
	// MeasureVaR is Value at Risk.
	MeasureVaR Measure = iota
	// MeasureES is Expected Shortfall.
	MeasureES
)

// String names the measure: "VaR" or "ES".
func (m Measure) String() string {
	switch m {
	case MeasureVaR:
		return "VaR"
	case MeasureES:
		return "ES"
	}
	return fmt.Sprintf("Measure(%d)", int(m))
}

// Label says which figure the contributions split, for captions:
// "component ES 97.5%, historical" or "component VaR 99%, delta-normal".
func (c Contributions) Label() string {
	return fmt.Sprintf("component %s %s%%, %s", c.Measure, strconv.FormatFloat(100*c.Confidence, 'f', -1, 64), c.Method)
}

// normalParts are what the delta-normal split takes from a scan with
// stats, the same at every level: the portfolio's mean and standard
// deviation of P&L. Instrument i's covariance with the P&L is
// (cross_i − mean·Σr_i)/(T−1), computed in each level's loop from the
// scan's sums rather than stored (one vector less per report).
type normalParts struct {
	s        *scan
	mean, sd float64
}

// newNormalParts computes the parts from a scan with stats. P&L so large
// that a variance overflows is an error.
func newNormalParts(s *scan) (normalParts, error) {
	T := float64(len(s.pnl))
	meanP := 0.0
	for _, v := range s.pnl {
		meanP += v / T
	}
	// Deviations scaled by the largest, so that their squares do not
	// overflow before the root is taken.
	scale := 0.0
	for _, v := range s.pnl {
		scale = max(scale, math.Abs(v-meanP))
	}
	if scale == 0 || math.IsInf(scale, 0) {
		scale = 1
	}
	ss := 0.0
	for _, v := range s.pnl {
		d := (v - meanP) / scale
		ss += d * d
	}
	np := normalParts{s: s, mean: meanP, sd: scale * math.Sqrt(ss/(T-1))}
	if !finite(np.sd) {
		return normalParts{}, overflow("the portfolio's standard deviation")
	}
	return np, nil
}

// split is the Euler allocation at confidence c: marginal_i =
// z·cov_i/σ, component_i = position_i · marginal_i.
func (np normalParts) split(positions []float64, c float64, vec func(int) []float64) (Contributions, error) {
	z := stdNormal.Quantile(c)
	n := len(positions)
	out := Contributions{Confidence: c, Total: z * np.sd, Marginal: vec(n), Component: vec(n)}
	if !finite(out.Total) {
		return Contributions{}, overflow("the portfolio's standard deviation")
	}
	if np.sd == 0 {
		clear(out.Marginal)
		clear(out.Component)
		return out, nil
	}
	T := float64(len(np.s.pnl))
	inv := 1 / (T - 1)
	k := z / np.sd
	cross, sumR := np.s.cross[:n], np.s.sumR[:n]
	m, comp := out.Marginal[:n], out.Component[:n]
	for i, p := range positions {
		m[i] = k * ((cross[i] - np.mean*sumR[i]) * inv)
		comp[i] = p * m[i]
	}
	if !allFinite(m) || !allFinite(comp) {
		return Contributions{}, overflow("a delta-normal contribution")
	}
	if np.s.sumR2 != nil {
		out.Incremental = vec(n)
		varP := np.sd * np.sd
		sumR2 := np.s.sumR2[:n]
		for i, p := range positions {
			cov := (cross[i] - np.mean*sumR[i]) * inv
			mean := sumR[i] / T
			out.Incremental[i] = incremental(z, varP, p, cov, (sumR2[i]-T*mean*mean)*inv)
		}
		if !allFinite(out.Incremental) {
			return Contributions{}, overflow("a delta-normal contribution")
		}
	}
	return out, nil
}

// incremental is VaR minus the VaR without a position x whose return has
// covariance cov with the portfolio and variance v.
func incremental(z, varP, x, cov, v float64) float64 {
	rest := varP - 2*x*cov + x*x*v
	return z*math.Sqrt(varP) - z*math.Sqrt(math.Max(rest, 0))
}

// BySector sums components by sector: sectors maps each instrument to
// 0..n−1. The sector sums add up to Total as the components do. A sector
// out of range or an assignment of the wrong length wraps [ErrInput].
func (c Contributions) BySector(sectors []int, n int) ([]float64, error) {
	if err := checkSectors(sectors, len(c.Component), n); err != nil {
		return nil, err
	}
	return c.sectorSums(sectors, n)
}

// sectorSums is BySector for sectors already checked.
func (c Contributions) sectorSums(sectors []int, n int) ([]float64, error) {
	out := sumBySector(c.Component, sectors, n)
	if !allFinite(out) {
		if err := checkFinite("component", c.Component); err != nil {
			return nil, err
		}
		return nil, overflow("a sector's sum")
	}
	return out, nil
}

// Contributor is one instrument's share of a split figure.
type Contributor struct {
	Instrument int
	Component  float64
	Marginal   float64 // zero for historical splits
	Share      float64 // Component / Total
}

// Top returns the k largest components, largest first; ties by instrument
// index, so the order is deterministic. It selects with a bounded heap,
// O(N log k). k larger than the number of instruments returns them all; a
// negative k wraps [ErrInput].
func (c Contributions) Top(k int) ([]Contributor, error) {
	if k < 0 {
		return nil, inputf("top %d contributors", k)
	}
	if c.Marginal != nil && len(c.Marginal) != len(c.Component) {
		return nil, inputf("%d marginals for %d components", len(c.Marginal), len(c.Component))
	}
	if !finite(c.Total) || !allFinite(c.Component) || !allFinite(c.Marginal) {
		return nil, inputf("total %v, components or marginals are not all finite", c.Total)
	}
	return c.top(k)
}

// top is Top for a k ≥ 0 and a split known to be finite (a report's,
// whose splits are checked as they are made).
func (c Contributions) top(k int) ([]Contributor, error) {
	k = min(k, len(c.Component))
	if k == 0 {
		return nil, nil
	}
	h := &rankHeap{component: c.Component, idx: make([]int, 0, k)}
	for i := range k {
		heap.Push(h, i)
	}
	// The root ranks lowest of the k so far; a later instrument (a larger
	// index) takes its place only with a strictly larger component, so
	// most of the scan is one comparison with the root's component.
	low := c.Component[h.idx[0]]
	for i := k; i < len(c.Component); i++ {
		if v := c.Component[i]; v > low {
			h.idx[0] = i
			heap.Fix(h, 0)
			low = c.Component[h.idx[0]]
		}
	}
	// Largest first: a ranks above b.
	slices.SortFunc(h.idx, func(a, b int) int {
		if h.below(b, a) {
			return -1
		}
		if h.below(a, b) {
			return 1
		}
		return cmp.Compare(a, b)
	})
	out := make([]Contributor, len(h.idx))
	for j, i := range h.idx {
		share := 0.0
		if c.Total != 0 {
			share = c.Component[i] / c.Total
		}
		if !finite(share) {
			return nil, overflow("a share")
		}
		out[j] = Contributor{Instrument: i, Component: c.Component[i], Share: share}
		if c.Marginal != nil {
			out[j].Marginal = c.Marginal[i]
		}
	}
	return out, nil
}

// rankHeap is a min-heap (container/heap) of instrument indices by
// component: its root is the lowest-ranked of the k best so far.
type rankHeap struct {
	component []float64
	idx       []int
}

// below reports whether instrument a ranks below b: a smaller component,
// or an equal one and a larger index.
func (h *rankHeap) below(a, b int) bool {
	ca, cb := h.component[a], h.component[b]
	if ca != cb {
		return ca < cb
	}
	return a > b
}

func (h *rankHeap) Len() int           { return len(h.idx) }
func (h *rankHeap) Less(i, j int) bool { return h.below(h.idx[i], h.idx[j]) }
func (h *rankHeap) Swap(i, j int)      { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }
func (h *rankHeap) Push(x any)         { h.idx = append(h.idx, x.(int)) }
func (h *rankHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}

// ContributionsFromCovariance is the Euler allocation of delta-normal VaR
// for a small portfolio given its covariance matrix of returns (daily,
// instruments × instruments) and positions: marginal_i = z·(Σx)_i/σ_P,
// σ_P = √(xᵀΣx). It is the textbook form; [NewReport] reaches the same
// numbers from prices without forming Σ.
func ContributionsFromCovariance(cov *mat.SymDense, positions []float64, c float64) (Contributions, error) {
	if err := checkConfidence(c); err != nil {
		return Contributions{}, err
	}
	if cov == nil || cov.SymmetricDim() != len(positions) || len(positions) == 0 {
		return Contributions{}, inputf("covariance and %d positions do not match", len(positions))
	}
	if err := checkFinite("position", positions); err != nil {
		return Contributions{}, err
	}
	x := mat.NewVecDense(len(positions), slices.Clone(positions))
	var sx mat.VecDense
	sx.MulVec(cov, x)
	v := mat.Dot(x, &sx)
	if !(v >= 0) || math.IsInf(v, 0) {
		return Contributions{}, inputf("portfolio variance %v: the covariance is not positive semi-definite or not finite", v)
	}
	sd := math.Sqrt(v)
	z := stdNormal.Quantile(c)
	out := Contributions{Confidence: c, Total: z * sd, Marginal: make([]float64, len(positions)), Component: make([]float64, len(positions)), Incremental: make([]float64, len(positions))}
	if sd == 0 {
		return out, nil
	}
	for i, p := range positions {
		out.Marginal[i] = z * sx.AtVec(i) / sd
		out.Component[i] = p * out.Marginal[i]
		out.Incremental[i] = incremental(z, v, p, sx.AtVec(i), cov.At(i, i))
		if !finite(out.Marginal[i], out.Component[i], out.Incremental[i]) {
			return Contributions{}, overflow("a contribution")
		}
	}
	return out, nil
}
