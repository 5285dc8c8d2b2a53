package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dashkit/dashkit/oee"
)

var facilities = []string{"Lyon", "Porto", "Gdańsk", "Monterrey", "Pune", "Nagoya", "Columbus", "Brno", "Izmir", "Querétaro", "Suzhou", "Cluj", "Rosario", "Ostrava", "Penang"}

const machinesPerFacility = 6 // two lines of three

var reasons = []string{"breakdown", "electrical", "setup", "changeover", "material", "jam", "blocked", "adjustment"}

// simulator produces an hour of plant life per step: a record per machine
// and its stops. Each facility has its own habits (a seeded profile), so the
// comparison chart has something to compare.
type simulator struct {
	st   *store
	rng  *rand.Rand
	now  time.Time // simulated clock: the end of the last hour produced
	prof []profile
}

type profile struct {
	stopsPerHour, longStopShare, speed, scrap float64
}

func newSimulator(st *store, seed uint64, start time.Time) *simulator {
	rng := rand.New(rand.NewPCG(seed, 11))
	s := &simulator{st: st, rng: rng, now: start}
	for range facilities {
		s.prof = append(s.prof, profile{
			stopsPerHour:  1 + 3*rng.Float64(),
			longStopShare: 0.2 + 0.4*rng.Float64(),
			speed:         0.80 + 0.17*rng.Float64(),
			scrap:         0.002 + 0.03*rng.Float64(),
		})
	}
	return s
}

// step produces the next simulated hour for every machine.
func (s *simulator) step(ctx context.Context) error {
	start, end := s.now, s.now.Add(time.Hour)
	var recs []oee.Record
	var evs []oee.Event
	for f, fac := range facilities {
		p := s.prof[f]
		for m := range machinesPerFacility {
			machine := fmt.Sprintf("M%d", m+1)
			line := fmt.Sprintf("Line %d", m/3+1)
			// Stops: at most one per 12-minute slot, so they never overlap.
			down := time.Duration(0)
			for slot := range 5 {
				if s.rng.Float64() > p.stopsPerHour/5 {
					continue
				}
				d := time.Duration(1+s.rng.IntN(4)) * time.Minute
				reason := reasons[5+s.rng.IntN(3)] // minor-stop reasons
				if s.rng.Float64() < p.longStopShare {
					d = time.Duration(5+s.rng.IntN(6)) * time.Minute
					reason = reasons[s.rng.IntN(5)]
				}
				at := start.Add(time.Duration(slot)*12*time.Minute + time.Minute)
				evs = append(evs, oee.Event{Facility: fac, Machine: machine, Start: at, End: at.Add(d), Reason: reason})
				down += d
			}
			breaks := 5 * time.Minute
			run := time.Hour - breaks - down
			ict := 6 * time.Second
			total := int64(float64(run) / float64(ict) * p.speed * (0.95 + 0.05*s.rng.Float64()))
			rejects := int64(float64(total) * p.scrap * (0.5 + s.rng.Float64()))
			startup := min(rejects, int64(s.rng.IntN(3)))
			recs = append(recs, oee.Record{Facility: fac, Line: line, Machine: machine, Start: start, End: end,
				PlannedBreaks: breaks, IdealCycleTime: ict, TotalCount: total, StartupRejects: startup, ProductionRejects: rejects - startup})
		}
	}
	if err := s.st.insert(ctx, recs, evs); err != nil {
		return err
	}
	s.now = end
	return nil
}
