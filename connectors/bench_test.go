package connectors

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/dashkit/dashkit/internal/tools/readings"
)

// writeSample writes rows of the benchmark file's shape (the generator
// internal/tools/cmd/gencsv uses).
func writeSample(w io.Writer, rows int, seed uint64) error { return readings.Write(w, rows, seed) }

type sample struct {
	Date     time.Time `csv:"date,layout=2006-01-02"`
	Value    float64   `csv:"value"`
	Category Category  `csv:"category"`
	Device   Category  `csv:"device_id"`
	Time     time.Time `csv:"timestamp"`
}

func sampleFile(b testing.TB, rows int) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "sample.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeSample(f, rows, 1); err != nil {
		b.Fatal(err)
	}
	fi, _ := f.Stat()
	f.Close()
	return path, fi.Size()
}

// BenchmarkAggregate is the original's chunked aggregate (count, mean,
// min, max of value) on 1,000,000 rows of the benchmark's shape, typed
// (every column decoded), side by side with encoding/csv reading the same
// file and parsing only the value column.
func BenchmarkAggregate(b *testing.B) {
	path, size := sampleFile(b, 1_000_000)
	type valueOnly struct {
		Value float64 `csv:"value"`
	}
	for _, parts := range []int{1, 2} {
		b.Run(fmt.Sprintf("dashkit-value-column-parts-%d", parts), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				partial := make([]Agg, parts)
				err := ScanFile(context.Background(), path, parts, CSVOptions{ReuseChunks: true}, func(p int, chunk []valueOnly) error {
					a := partial[p] // a local per chunk: no cache line shared by two cores
					for i := range chunk {
						a.Add(chunk[i].Value)
					}
					partial[p] = a
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, parts := range []int{1, 2} {
		b.Run(fmt.Sprintf("dashkit-all-columns-parts-%d", parts), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				partial := make([]Agg, parts)
				err := ScanFile(context.Background(), path, parts, CSVOptions{ReuseChunks: true}, func(p int, chunk []sample) error {
					a := partial[p] // a local per chunk: no cache line shared by two cores
					for i := range chunk {
						a.Add(chunk[i].Value)
					}
					partial[p] = a
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				var total Agg
				for _, a := range partial {
					total.Merge(a)
				}
				if total.N != 1_000_000 {
					b.Fatal(total.N)
				}
			}
		})
	}
	b.Run("encoding-csv-value-only", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			f, _ := os.Open(path)
			r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
			r.ReuseRecord = true
			_, _ = r.Read()
			var a Agg
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				v, _ := strconv.ParseFloat(rec[1], 64)
				a.Add(v)
			}
			f.Close()
		}
	})
}

// BenchmarkResample is the original's group-by device + hourly resample on
// 1,000,000 rows of the benchmark's shape, on one and two cores.
func BenchmarkResample(b *testing.B) {
	path, size := sampleFile(b, 1_000_000)
	type deviceReading struct {
		Value  float64   `csv:"value"`
		Device Category  `csv:"device_id"`
		Time   time.Time `csv:"timestamp"`
	}
	for _, parts := range []int{1, 2} {
		b.Run(fmt.Sprintf("parts-%d", parts), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				rs := make([]*Resampler[Category], parts)
				for i := range rs {
					rs[i] = NewResampler[Category](time.Hour)
				}
				err := ScanFile(context.Background(), path, parts, CSVOptions{ReuseChunks: true}, func(p int, chunk []deviceReading) error {
					for i := range chunk {
						rs[p].Add(chunk[i].Device, chunk[i].Time, chunk[i].Value)
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
		})
	}
}
