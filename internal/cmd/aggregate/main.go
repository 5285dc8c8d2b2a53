// Command aggregate runs the connectors' chunked aggregate (count, mean,
// min, max of value) over a CSV file on both cores and prints its time,
// throughput and peak memory, to set beside scripts/connectors_baseline.py.
//
//	go run ./internal/cmd/aggregate /tmp/readings.csv
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"syscall"
	"time"

	"github.com/dashkit/dashkit/connectors"
)

type reading struct {
	Value float64 `csv:"value"`
}

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: aggregate FILE.csv")
	}
	path := os.Args[1]
	fi, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	parts := make([]connectors.Agg, 2)
	err = connectors.ScanFile(context.Background(), path, 2, connectors.CSVOptions{ReuseChunks: true}, func(p int, chunk []reading) error {
		for i := range chunk {
			parts[p].Add(chunk[i].Value)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	var total connectors.Agg
	for _, a := range parts {
		total.Merge(a)
	}
	d := time.Since(start)
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("dashkit chunked aggregate: %.2f s, %.0f MB/s, peak RSS %d MB\n", d.Seconds(), float64(fi.Size())/d.Seconds()/1e6, ru.Maxrss/1024)
	fmt.Printf("  count %d  mean %.6f  min %.4f  max %.4f\n", total.N, total.Mean(), total.Min, total.Max)
}
