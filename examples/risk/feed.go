package main

import (
	"math"
	"math/rand/v2"
	"time"
)

var (
	sectors   = []string{"Energy", "Materials", "Industrials", "Consumer Disc.", "Consumer Staples", "Health Care", "Financials", "Technology", "Communication", "Utilities", "Real Estate"}
	riskTypes = []string{"Market", "Credit", "Liquidity", "Operational"}
)

// feed is a synthetic market: every tick (a refresh interval of wall time)
// has its own state, derived from the seed and the tick number alone, so
// every replica and every viewer sees the same numbers for the same tick.
type feed struct {
	seed uint64
	now  func() time.Time
}

func newFeed(seed uint64, now func() time.Time) *feed { return &feed{seed: seed, now: now} }

func (f *feed) tick() int64 { return f.now().UnixNano() / int64(refresh) }

type snapshot struct {
	Mean   float64     // mean of Scores
	Scores [][]float64 // [sector][risk type], 0..100
}

// snapshot builds the state of one tick: a slowly drifting base level per
// cell (a sine of the tick with a per-cell phase) plus a little noise.
func (f *feed) snapshot(tick int64) snapshot {
	base := rand.New(rand.NewPCG(f.seed, 0))
	noise := rand.New(rand.NewPCG(f.seed, uint64(tick)))
	s := snapshot{Scores: make([][]float64, len(sectors))}
	total := 0.0
	for i := range sectors {
		s.Scores[i] = make([]float64, len(riskTypes))
		for j := range riskTypes {
			level, phase := 20+60*base.Float64(), 2*math.Pi*base.Float64()
			v := level + 10*math.Sin(float64(tick)/12+phase) + 4*noise.NormFloat64()
			s.Scores[i][j] = math.Round(min(max(v, 0), 100))
			total += s.Scores[i][j]
		}
	}
	s.Mean = total / float64(len(sectors)*len(riskTypes))
	return s
}
