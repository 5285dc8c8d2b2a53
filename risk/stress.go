package risk

import "math"

// Scenario is a stress test: a shock (a simple return, −0.2 for −20%) per
// instrument, per sector, or to every instrument; the most specific wins:
// an instrument's own shock, else its sector's, else All.
type Scenario struct {
	Name         string
	All          float64
	BySector     map[int]float64
	ByInstrument map[int]float64
}

// StressResult is a scenario's P&L, in total and by sector.
type StressResult struct {
	Name     string
	PnL      float64
	BySector []float64 // nil without sectors
}

// Stress applies a scenario to positions. sectors (may be nil) maps each
// instrument to 0..nSectors−1. Shocks below −1 (a price below zero) or not
// finite, positions that are not finite, sectors or instruments out of
// range and a P&L that overflows wrap [ErrInput].
func Stress(s Scenario, positions []float64, sectors []int, nSectors int) (StressResult, error) {
	check := func(v float64, what string) error {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < -1 {
			return inputf("scenario %q: %s shock %v: want a finite return of at least −1", s.Name, what, v)
		}
		return nil
	}
	if nSectors < 0 {
		return StressResult{}, inputf("%d sectors", nSectors)
	}
	if err := checkFinite("position", positions); err != nil {
		return StressResult{}, err
	}
	if err := check(s.All, "overall"); err != nil {
		return StressResult{}, err
	}
	for j, v := range s.BySector {
		if j < 0 || j >= nSectors {
			return StressResult{}, inputf("scenario %q: sector %d outside 0..%d", s.Name, j, nSectors-1)
		}
		if err := check(v, "sector"); err != nil {
			return StressResult{}, err
		}
	}
	for i, v := range s.ByInstrument {
		if i < 0 || i >= len(positions) {
			return StressResult{}, inputf("scenario %q: instrument %d outside 0..%d", s.Name, i, len(positions)-1)
		}
		if err := check(v, "instrument"); err != nil {
			return StressResult{}, err
		}
	}
	if sectors != nil {
		if err := checkSectors(sectors, len(positions), nSectors); err != nil {
			return StressResult{}, err
		}
	}
	res := StressResult{Name: s.Name}
	var bySector []float64 // each sector's shock: its own, else All
	if sectors != nil {
		res.BySector = make([]float64, nSectors)
		bySector = make([]float64, nSectors)
		for j := range bySector {
			bySector[j] = s.All
			if v, ok := s.BySector[j]; ok {
				bySector[j] = v
			}
		}
	}
	for i, p := range positions {
		shock := s.All
		if sectors != nil {
			shock = bySector[sectors[i]]
		}
		if len(s.ByInstrument) > 0 {
			if v, ok := s.ByInstrument[i]; ok {
				shock = v
			}
		}
		res.PnL += p * shock
		if sectors != nil {
			res.BySector[sectors[i]] += p * shock
		}
	}
	if !finite(res.PnL) || checkFinite("sector P&L", res.BySector) != nil {
		return StressResult{}, overflow("the scenario's P&L")
	}
	return res, nil
}

// WorstDay is the built-in historical scenario: the day of the largest
// loss in the P&L series, and that loss.
func WorstDay(pnl []float64) (day int, loss float64, err error) {
	if len(pnl) == 0 {
		return 0, 0, inputf("no P&L")
	}
	day = 0
	for t, v := range pnl {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, inputf("P&L observation %d is %v", t, v)
		}
		if v < pnl[day] {
			day = t
		}
	}
	return day, -pnl[day], nil
}
