package main

import (
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// simulator makes the embedded dashboards' figures move as a live
// service's would: orders accumulate, open orders and latency wander
// around their usual level, revenue grows by channel. Each read advances it
// by the whole seconds since the last one, so values change on every
// refresh and stay the same between two reads of one refresh.
type simulator struct {
	mu      sync.Mutex
	rng     *rand.Rand
	last    time.Time
	orders  float64
	open    float64
	latency float64 // ms
	revenue [3]float64
}

// figures are the simulator's values at one moment.
type figures struct {
	Orders, Open, Latency float64
	Revenue               [3]float64
}

func newSimulator(seed uint64, now time.Time) *simulator {
	return &simulator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), last: now,
		orders: 1234, open: 56, latency: 180, revenue: [3]float64{420, 310, 150}}
}

// at advances the simulator to now and returns its figures.
func (s *simulator) at(now time.Time) figures {
	s.mu.Lock()
	defer s.mu.Unlock()
	for steps := 0; now.Sub(s.last) >= time.Second && steps < 3600; steps++ {
		s.last = s.last.Add(time.Second)
		s.orders += float64(s.rng.IntN(3))
		s.open = math.Max(0, s.open+0.1*(56-s.open)+float64(s.rng.IntN(5)-2))
		s.latency = math.Min(480, math.Max(60, s.latency+0.1*(180-s.latency)+s.rng.NormFloat64()*12))
		for i := range s.revenue {
			s.revenue[i] += s.rng.Float64() * 0.2
		}
	}
	return figures{Orders: s.orders, Open: math.Round(s.open), Latency: math.Round(s.latency), Revenue: s.revenue}
}
