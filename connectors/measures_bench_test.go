package connectors

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkResampleMeasures is BenchmarkResample keeping two measures of
// each row (value, and the hour of the reading as a second field) in one
// pass with a MultiResampler, hourly in New York time.
func BenchmarkResampleMeasures(b *testing.B) {
	path, size := sampleFile(b, 1_000_000)
	type deviceReading struct {
		Value  float64   `csv:"value"`
		Device Category  `csv:"device_id"`
		Time   time.Time `csv:"timestamp"`
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Skip("no time zone database:", err)
	}
	for _, parts := range []int{1, 2} {
		b.Run(fmt.Sprintf("parts-%d", parts), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				rs := make([]*MultiResampler[Category], parts)
				for i := range rs {
					rs[i] = NewMultiResampler[Category](time.Hour, ny, "value", "minute")
				}
				err := ScanFile(context.Background(), path, parts, CSVOptions{ReuseChunks: true}, func(p int, chunk []deviceReading) error {
					for i := range chunk {
						rs[p].Add(chunk[i].Device, chunk[i].Time, chunk[i].Value, float64(chunk[i].Time.Minute()))
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range rs[1:] {
					rs[0].Merge(r)
				}
				if rs[0].Len() != 500 {
					b.Fatal(rs[0].Len())
				}
			}
			b.ReportMetric(float64(1_000_000*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
