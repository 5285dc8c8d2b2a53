package components

import (
	"math"
	"strconv"
)

// niceStep returns the smallest step of the form 1, 2 or 5 × 10ⁿ that is at
// least raw.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if s := m * mag; s >= raw*(1-1e-9) {
			return s
		}
	}
	return 10 * mag
}

// niceScale spans [lo, hi] with about ticks intervals of a 1-2-5 step: it
// returns the axis' first and last tick and the step between ticks, each
// a multiple of the step. An empty span is widened around its value.
func niceScale(lo, hi float64, ticks int) (first, last, step float64) {
	if lo > hi {
		lo, hi = hi, lo
	}
	switch {
	case lo == 0 && hi == 0:
		hi = 1
	case lo == hi:
		d := math.Abs(lo) / 10
		lo, hi = lo-d, hi+d
	}
	step = niceStep((hi - lo) / float64(max(ticks, 1)))
	first = math.Floor(lo/step+1e-9) * step
	last = math.Ceil(hi/step-1e-9) * step
	return clean(first, step), clean(last, step), step
}

// clean rounds v, a multiple of step, to the digits step has, so that
// 0.1+0.2 is written 0.3.
func clean(v, step float64) float64 {
	d := stepDecimals(step)
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
	if r == 0 {
		return 0 // no -0
	}
	return r
}

// stepDecimals is the number of digits after the point that a 1-2-5 step
// needs: 0 for 200, 1 for 0.5, 2 for 0.05.
func stepDecimals(step float64) int {
	for d := 0; d < 12; d++ {
		x := step * math.Pow(10, float64(d))
		if math.Abs(x-math.Round(x)) < 1e-6*math.Max(1, x) {
			return d
		}
	}
	return 12
}

// valueAxis is a value axis over [lo, hi] with nice 1-2-5 ticks, labelled
// by f at the ticks' precision (see [NumberFormat.Tick]). NaN bounds (no
// data) leave the scale to ECharts.
func valueAxis(lo, hi float64, f NumberFormat) axis {
	a := axis{Type: "value", AxisLabel: &labelOpt{Formatter: tickFormatter(f)}}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return a
	}
	first, last, step := niceScale(lo, hi, 5)
	a.Min, a.Max, a.Interval = ptr(first), ptr(last), ptr(step)
	return a
}

// extent returns the smallest and largest number of the values, NaNs
// skipped; both NaN when there are none.
func extent(values ...[]float64) (lo, hi float64) {
	lo, hi = math.NaN(), math.NaN()
	for _, vs := range values {
		for _, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			if math.IsNaN(lo) || v < lo {
				lo = v
			}
			if math.IsNaN(hi) || v > hi {
				hi = v
			}
		}
	}
	return lo, hi
}

// withZero widens [lo, hi] to include zero.
func withZero(lo, hi float64) (float64, float64) {
	if math.IsNaN(lo) {
		return lo, hi
	}
	return math.Min(lo, 0), math.Max(hi, 0)
}

// Tick writes v, one tick of an axis whose ticks are step apart, with as
// few digits as it needs and never more than the step needs: a compact
// number takes the suffix of its own size, so ticks 200 million apart read
// "-$1.2B", "-$1B", "$600M" and "$0"; percent ticks 0.5% apart read "1%" and
// "1.5%". Decimals is ignored; everything else is as in [NumberFormat.Format].
func (f NumberFormat) Tick(v, step float64) string {
	g := f
	g.Decimals = tickDecimals(f, v, step)
	return g.Format(v)
}

// tickDecimals is the number of decimals Tick writes v with.
func tickDecimals(f NumberFormat, v, step float64) int {
	if math.IsNaN(v) || math.IsInf(v, 0) || step <= 0 || math.IsNaN(step) || math.IsInf(step, 0) {
		return max(f.Decimals, 0)
	}
	unit := 1.0
	a := math.Abs(v)
	switch {
	case f.Style == StylePercent:
		unit = 0.01
	case f.Compact:
		for _, s := range compactSteps() {
			if a >= s.limit*(1-1e-12) {
				unit = s.limit
				break
			}
		}
	}
	most := stepDecimals(step / unit)
	x := a / unit
	for d := 0; d < most; d++ {
		p := math.Pow(10, float64(d))
		if math.Abs(x*p-math.Round(x*p)) < 1e-6*math.Max(1, x*p) {
			return d
		}
	}
	return most
}
