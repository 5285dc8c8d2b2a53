// Command gencsv writes the connectors benchmark file: rows of date
// (YYYY-MM-DD), value (float), category (20 values), device_id (500
// values) and timestamp (RFC 3339 over 30 days), from a seed. 10 million
// rows make about 540 MB. The pandas baseline (scripts/connectors_baseline.py)
// reads the same file.
//
//	go run ./internal/cmd/gencsv -rows 10000000 -o /tmp/readings.csv
package main

import (
	"bufio"
	"flag"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
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
	rng := rand.New(rand.NewPCG(*seed, 5))
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("date,value,category,device_id,timestamp\n")
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var line []byte
	for range *rows {
		ts := start.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
		line = line[:0]
		line = ts.AppendFormat(line, "2006-01-02")
		line = append(line, ',')
		line = strconv.AppendFloat(line, rng.NormFloat64()*10+50, 'f', 4, 64)
		line = append(line, ",cat"...)
		line = strconv.AppendInt(line, int64(rng.IntN(20)), 10)
		line = append(line, ",dev"...)
		line = strconv.AppendInt(line, int64(rng.IntN(500)), 10)
		line = append(line, ',')
		line = ts.AppendFormat(line, time.RFC3339)
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
