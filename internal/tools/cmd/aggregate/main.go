// Command aggregate runs the connectors' versions of the original's two
// computations over a CSV file on both cores and prints time, throughput
// and peak memory, to set beside scripts/connectors_baseline.py: the
// chunked aggregate (count, mean, min, max of value), or with -resample the
// per-device hourly mean. Run each in its own process so peak memory is its
// own.
//
//	go run ./internal/tools/cmd/aggregate /tmp/readings.csv
//	go run ./internal/tools/cmd/aggregate -resample /tmp/readings.csv
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"syscall"
	"time"

	"github.com/dashkit/dashkit/connectors"
)

type reading struct {
	Value float64 `csv:"value"`
}

type deviceReading struct {
	Value  float64             `csv:"value"`
	Device connectors.Category `csv:"device_id"`
	Time   time.Time           `csv:"timestamp"`
}

func main() {
	resample := flag.Bool("resample", false, "group by device_id and resample to hourly means")
	parts := flag.Int("parts", 2, "byte ranges read in parallel")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: aggregate [-resample] FILE.csv")
	}
	path := flag.Arg(0)
	fi, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	var report string
	if *resample {
		report, err = hourly(path, *parts)
	} else {
		report, err = aggregate(path, *parts)
	}
	if err != nil {
		log.Fatal(err)
	}
	d := time.Since(start)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	what := "chunked aggregate"
	if *resample {
		what = "group-by device + hourly resample"
	}
	fmt.Printf("dashkit %s: %.2f s, %.0f MB/s, peak RSS %d MB\n", what, d.Seconds(), float64(fi.Size())/d.Seconds()/1e6, ru.Maxrss/1024)
	fmt.Println(report)
}

func aggregate(path string, parts int) (string, error) {
	aggs := make([]connectors.Agg, parts)
	err := connectors.ScanFile(context.Background(), path, parts, connectors.CSVOptions{ReuseChunks: true}, func(p int, chunk []reading) error {
		for i := range chunk {
			aggs[p].Add(chunk[i].Value)
		}
		return nil
	})
	var total connectors.Agg
	for _, a := range aggs {
		total.Merge(a)
	}
	return fmt.Sprintf("  count %d  mean %.6f  min %.4f  max %.4f", total.N, total.Mean(), total.Min, total.Max), err
}

func hourly(path string, parts int) (string, error) {
	rs := make([]*connectors.Resampler[connectors.Category], parts)
	for i := range rs {
		rs[i] = connectors.NewResampler[connectors.Category](time.Hour)
	}
	err := connectors.ScanFile(context.Background(), path, parts, connectors.CSVOptions{ReuseChunks: true}, func(p int, chunk []deviceReading) error {
		for i := range chunk {
			rs[p].Add(chunk[i].Device, chunk[i].Time, chunk[i].Value)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, r := range rs[1:] {
		rs[0].Merge(r)
	}
	if err := rs[0].Err(); err != nil {
		return "", err
	}
	// The same summary the pandas script prints: non-empty buckets and the
	// mean of their means.
	var n int
	var sum float64
	for _, k := range rs[0].Keys(connectors.Ascending[connectors.Category]) {
		for _, b := range rs[0].Series(k) {
			if m := b.Mean(); !math.IsNaN(m) {
				n++
				sum += m
			}
		}
	}
	return fmt.Sprintf("  buckets %d  mean of means %.6f", n, sum/float64(n)), nil
}
