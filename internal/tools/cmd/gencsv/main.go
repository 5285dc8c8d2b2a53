// Command gencsv writes the connectors benchmark file: rows of date
// (YYYY-MM-DD), value (float), category (20 values), device_id (500
// values) and timestamp (RFC 3339 over 30 days), from a seed. 10 million
// rows make about 540 MB. The pandas baseline (scripts/connectors_baseline.py)
// reads the same file.
//
//	go run ./internal/tools/cmd/gencsv -rows 10000000 -o /tmp/readings.csv
package main

import (
	"flag"
	"log"
	"os"

	"github.com/dashkit/dashkit/internal/tools/readings"
)

func main() {
	out := flag.String("o", "readings.csv", "output file")
	rows := flag.Int("rows", 10_000_000, "rows")
	seed := flag.Uint64("seed", 1, "seed")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := readings.Write(f, *rows, *seed); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
