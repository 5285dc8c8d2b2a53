package risk

import (
	"fmt"
	"math"
)

// RiskTypes returns the names of the columns of [SectorMatrix], in order:
// Market, Liquidity, Credit, Operational. Each call returns a new slice,
// so a caller may change it without affecting anyone else.
func RiskTypes() []string {
	return []string{"Market", "Liquidity", "Credit", "Operational"}
}

// MatrixInputs are the non-market inputs of the sector × risk-type matrix.
// Every per-instrument slice is either nil (the input is not available: the
// column is missing) or one value per instrument, NaN where unknown (a sector
// with any unknown value gets a missing cell, never a zero).
type MatrixInputs struct {
	// ADV is each instrument's average daily traded value, in the
	// positions' currency.
	ADV []float64
	// Participation is the share of ADV that can be sold per day without
	// moving the price; zero means 0.1 (10%).
	Participation float64
	// EAD, PD and LGD are each instrument's exposure at default,
	// probability of default (one year) and loss given default.
	EAD, PD, LGD []float64
	// Operational is a caller-supplied score per sector (NaN unknown).
	Operational []float64
}

// SectorMatrix builds the sector × risk-type matrix for the risk heatmap,
// rows by sector and columns as [RiskTypes]:
//
//   - Market: the sector's share of parametric VaR, Σ component_i / VaR
//     (Euler allocation; negative for a hedging sector).
//   - Liquidity: days to liquidate the sector's gross positions at the
//     participation rate, Σ|position_i| / (participation · Σ ADV_i).
//   - Credit: expected loss, Σ EAD_i · PD_i · LGD_i, in currency.
//   - Operational: the caller's score.
//
// The columns have different units; a heatmap normally colours each column
// on its own scale or shows scores. NaN marks a missing cell. contrib may be
// any split — delta-normal, or historical VaR or ES — so the Market column
// adds up to one with the figure it splits. Positions, components or totals
// that are not finite, infinite inputs, sectors out of range and
// mismatched lengths wrap [ErrInput].
func SectorMatrix(contrib Contributions, positions []float64, sectors []int, nSectors int, in MatrixInputs) ([][]float64, error) {
	part, err := checkMatrix(contrib, positions, sectors, nSectors, in)
	if err != nil {
		return nil, err
	}
	m := make([][]float64, nSectors)
	gross, adv, el := make([]float64, nSectors), make([]float64, nSectors), make([]float64, nSectors)
	for s := range m {
		m[s] = []float64{0, 0, 0, math.NaN()}
	}
	for i, s := range sectors {
		if s < 0 || s >= nSectors {
			return nil, inputf("instrument %d: sector %d outside 0..%d", i, s, nSectors-1)
		}
		if contrib.Total != 0 {
			m[s][0] += contrib.Component[i] / contrib.Total
		}
		gross[s] += math.Abs(positions[i])
		if in.ADV != nil {
			if a := in.ADV[i]; a <= 0 || math.IsInf(a, 0) {
				return nil, inputf("instrument %d: ADV %v must be positive and finite (NaN for unknown)", i, a)
			}
			adv[s] += in.ADV[i] // NaN propagates: a missing cell
		}
		if in.EAD != nil && in.PD != nil && in.LGD != nil {
			el[s] += in.EAD[i] * in.PD[i] * in.LGD[i]
		}
	}
	for s := range m {
		switch {
		case in.ADV == nil || math.IsNaN(adv[s]):
			m[s][1] = math.NaN()
		case adv[s] == 0: // a sector with no instruments
			m[s][1] = 0
		default:
			m[s][1] = gross[s] / (part * adv[s])
		}
		if in.EAD == nil || in.PD == nil || in.LGD == nil {
			m[s][2] = math.NaN()
		} else {
			m[s][2] = el[s]
		}
		if in.Operational != nil {
			m[s][3] = in.Operational[s]
		}
	}
	for s := range m {
		for j, v := range m[s] {
			if math.IsInf(v, 0) {
				return nil, overflow(fmt.Sprintf("the %s cell of sector %d", RiskTypes()[j], s))
			}
		}
	}
	return m, nil
}

// checkMatrix validates SectorMatrix's input and returns the
// participation rate with its default.
func checkMatrix(contrib Contributions, positions []float64, sectors []int, nSectors int, in MatrixInputs) (float64, error) {
	n := len(positions)
	if len(sectors) != n || len(contrib.Component) != n {
		return 0, inputf("%d positions, %d sector assignments, %d components", n, len(sectors), len(contrib.Component))
	}
	if err := checkSectors(sectors, n, nSectors); err != nil {
		return 0, err
	}
	if err := checkFinite("position", positions); err != nil {
		return 0, err
	}
	if err := checkFinite("component", contrib.Component); err != nil {
		return 0, err
	}
	if !finite(contrib.Total) {
		return 0, inputf("total %v", contrib.Total)
	}
	for name, s := range map[string][]float64{"EAD": in.EAD, "PD": in.PD, "LGD": in.LGD} {
		for i, v := range s {
			if math.IsInf(v, 0) {
				return 0, inputf("instrument %d: %s %v (NaN for unknown)", i, name, v)
			}
		}
	}
	for j, v := range in.Operational {
		if math.IsInf(v, 0) {
			return 0, inputf("sector %d: operational score %v (NaN for unknown)", j, v)
		}
	}
	for name, s := range map[string][]float64{"ADV": in.ADV, "EAD": in.EAD, "PD": in.PD, "LGD": in.LGD} {
		if s != nil && len(s) != n {
			return 0, inputf("%s has %d values for %d instruments", name, len(s), n)
		}
	}
	if in.Operational != nil && len(in.Operational) != nSectors {
		return 0, inputf("%d operational scores for %d sectors", len(in.Operational), nSectors)
	}
	part := in.Participation
	if part == 0 {
		part = 0.1
	}
	if !(part > 0 && part <= 1) || math.IsNaN(part) {
		return 0, inputf("participation %v outside (0, 1]", part)
	}
	return part, nil
}
