package connectors

import (
	"bytes"
	"os"
	"strconv"
	"sync"
	"testing"
)

// floorAggregate is the floor of the value-column aggregate: the file read
// whole per part with os.ReadFile-sized reads into one buffer, split at a
// newline into parts, and per line one IndexByte for the newline, one for
// the comma before the value and one after it, and strconv.ParseFloat. No
// quotes, limits, typed errors or bounded memory: what is left when all of
// that is taken away.
func floorAggregate(b *testing.B, data []byte, parts int) Agg {
	// Skip the header.
	data = data[bytes.IndexByte(data, '\n')+1:]
	aggs := make([]Agg, parts)
	var wg sync.WaitGroup
	lo := 0
	for p := range parts {
		hi := len(data) * (p + 1) / parts
		if p < parts-1 {
			hi += bytes.IndexByte(data[hi:], '\n') + 1
		} else {
			hi = len(data)
		}
		chunk := data[lo:hi]
		lo = hi
		wg.Go(func() {
			// chunk is only read here, so the closure holds a copy: were it
			// advanced in place, both goroutines' chunk headers would live
			// on the heap, likely in one cache line, written per line from
			// two cores (which held two parts to the speed of one).
			var a Agg
			chunk := chunk
			for len(chunk) > 0 {
				nl := bytes.IndexByte(chunk, '\n')
				if nl < 0 {
					nl = len(chunk)
				}
				line := chunk[:nl]
				c := bytes.IndexByte(line, ',')
				f := line[c+1:]
				if e := bytes.IndexByte(f, ','); e >= 0 {
					f = f[:e]
				}
				v, err := strconv.ParseFloat(string(f), 64)
				if err != nil {
					b.Error(err)
					return
				}
				a.Add(v)
				chunk = chunk[min(nl+1, len(chunk)):]
			}
			aggs[p] = a
		})
	}
	wg.Wait()
	var total Agg
	for _, a := range aggs {
		total.Merge(a)
	}
	return total
}

// BenchmarkAggregateFloor is the floor beside the aggregate in one run:
// the file in memory, scanned for newlines and commas and the value
// parsed, on one and two goroutines. Run with BenchmarkAggregate:
//
//	go test ./connectors -run '^$' -bench 'Aggregate(Floor)?$' -count 5
func BenchmarkAggregateFloor(b *testing.B) {
	path, size := sampleFile(b, 1_000_000)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, parts := range []int{1, 2} {
		b.Run("floor-parts-"+strconv.Itoa(parts), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				if a := floorAggregate(b, data, parts); a.N != 1_000_000 {
					b.Fatal(a.N)
				}
			}
		})
	}
}
