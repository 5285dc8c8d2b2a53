// Command duckdbcmp sets dashkit's connectors beside DuckDB on the same CSV
// file, in one process, alternating: the group-by device + hourly mean
// (connectors.Resampler on both cores against DuckDB with threads=2),
// with the outputs compared bucket by bucket, and the value aggregate
// (count, mean, min, max) beside the floor of that aggregate: the file read
// and split into two halves at a newline, each scanned for newlines and
// commas with its value parsed by strconv.ParseFloat, with no quotes,
// limits or typed errors. DuckDB is reached through its Go module (cgo)
// in this separate module, so it is never a dependency of the library.
//
//	go run ./internal/tools/cmd/gencsv -rows 3000000 -o /tmp/readings.csv
//	cd scripts/duckdbcmp && go run . -rounds 5 /tmp/readings.csv
package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/dashkit/dashkit/connectors"
)

type deviceReading struct {
	Value  float64             `csv:"value"`
	Device connectors.Category `csv:"device_id"`
	Time   time.Time           `csv:"timestamp"`
}

type reading struct {
	Value float64 `csv:"value"`
}

// key is one (device, hour) bucket.
type key struct {
	device string
	hour   int64 // Unix seconds of the hour's start
}

type cell struct {
	n   int64
	sum float64
}

func main() {
	rounds := flag.Int("rounds", 5, "alternating rounds")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: duckdbcmp [-rounds N] FILE.csv")
	}
	path := flag.Arg(0)
	fi, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("SET threads = 2"); err != nil {
		log.Fatal(err)
	}
	mb := float64(fi.Size()) / 1e6
	for r := range *rounds {
		t0 := time.Now()
		dk, err := dashkitResample(path)
		if err != nil {
			log.Fatal(err)
		}
		tDK := time.Since(t0)
		t0 = time.Now()
		dd, err := duckResample(db, path)
		if err != nil {
			log.Fatal(err)
		}
		tDD := time.Since(t0)
		diff := compare(dk, dd)
		t0 = time.Now()
		a, err := dashkitAggregate(path)
		if err != nil {
			log.Fatal(err)
		}
		tDKA := time.Since(t0)
		t0 = time.Now()
		n, mean, lo, hi, err := duckAggregate(db, path)
		if err != nil {
			log.Fatal(err)
		}
		tDDA := time.Since(t0)
		t0 = time.Now()
		fa, err := floorAggregate(path)
		if err != nil {
			log.Fatal(err)
		}
		tF := time.Since(t0)
		fmt.Printf("round %d  resample: dashkit %.0f MB/s, DuckDB %.0f MB/s (%.2fx), %d buckets, largest relative difference %.1e\n",
			r+1, mb/tDK.Seconds(), mb/tDD.Seconds(), tDD.Seconds()/tDK.Seconds(), len(dk), diff)
		fmt.Printf("round %d  aggregate: dashkit %.0f MB/s, floor %.0f MB/s (dashkit at %.0f%% of it), DuckDB %.0f MB/s (%.2fx); count %d/%d/%d mean %.6f/%.6f min %.4f/%.4f max %.4f/%.4f\n",
			r+1, mb/tDKA.Seconds(), mb/tF.Seconds(), 100*tF.Seconds()/tDKA.Seconds(), mb/tDDA.Seconds(), tDDA.Seconds()/tDKA.Seconds(), a.N, fa.N, n, a.Mean(), mean, a.Min, lo, a.Max, hi)
	}
}

func dashkitResample(path string) (map[key]cell, error) {
	const parts = 2
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
		return nil, err
	}
	for _, r := range rs[1:] {
		rs[0].Merge(r)
	}
	if err := rs[0].Err(); err != nil {
		return nil, err
	}
	out := make(map[key]cell)
	for _, k := range rs[0].Keys(connectors.Ascending[connectors.Category]) {
		for _, b := range rs[0].Series(k) {
			if b.N > 0 {
				out[key{string(k), b.Start.Unix()}] = cell{b.N, b.Sum}
			}
		}
	}
	return out, nil
}

func duckResample(db *sql.DB, path string) (map[key]cell, error) {
	rows, err := db.Query(`SELECT device_id, epoch(time_bucket(INTERVAL 1 hour, "timestamp"))::BIGINT, count(*), sum(value)
		FROM read_csv(?, header = true, columns = {'date': 'DATE', 'value': 'DOUBLE', 'category': 'VARCHAR', 'device_id': 'VARCHAR', 'timestamp': 'TIMESTAMP'})
		GROUP BY ALL`, path)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[key]cell)
	for rows.Next() {
		var k key
		var c cell
		if err := rows.Scan(&k.device, &k.hour, &c.n, &c.sum); err != nil {
			return nil, err
		}
		out[k] = c
	}
	return out, rows.Err()
}

// compare fails unless both hold the same buckets with the same counts,
// and returns the largest relative difference of their sums.
func compare(a, b map[key]cell) float64 {
	if len(a) != len(b) {
		log.Fatalf("dashkit has %d buckets, DuckDB %d", len(a), len(b))
	}
	worst := 0.0
	keys := make([]key, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y key) int {
		if x.device != y.device {
			if x.device < y.device {
				return -1
			}
			return 1
		}
		return int(x.hour - y.hour)
	})
	for _, k := range keys {
		x, y := a[k], b[k]
		if x.n != y.n {
			log.Fatalf("bucket %v: dashkit counts %d, DuckDB %d", k, x.n, y.n)
		}
		worst = max(worst, math.Abs(x.sum-y.sum)/max(math.Abs(y.sum), 1e-300))
	}
	if worst > 1e-9 {
		log.Fatalf("sums differ by %v relative", worst)
	}
	return worst
}

func dashkitAggregate(path string) (connectors.Agg, error) {
	aggs := make([]connectors.Agg, 2)
	err := connectors.ScanFile(context.Background(), path, 2, connectors.CSVOptions{ReuseChunks: true}, func(p int, chunk []reading) error {
		a := aggs[p] // a local per chunk, as in the floor: no shared cache line
		for i := range chunk {
			a.Add(chunk[i].Value)
		}
		aggs[p] = a
		return nil
	})
	var total connectors.Agg
	for _, a := range aggs {
		total.Merge(a)
	}
	return total, err
}

// floorAggregate is the floor: two goroutines, each reading its half of
// the file in 256 KiB blocks (as dashkit reads; with 1 MiB blocks, larger
// than a core's L2, the floor ran ~11% slower), one IndexByte per newline
// and two per value, strconv.ParseFloat.
func floorAggregate(path string) (connectors.Agg, error) {
	f, err := os.Open(path)
	if err != nil {
		return connectors.Agg{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return connectors.Agg{}, err
	}
	size := fi.Size()
	var aggs [2]connectors.Agg
	var errs [2]error
	var wg sync.WaitGroup
	for h := range 2 {
		wg.Go(func() {
			// The half's aggregate lives on this goroutine's stack until
			// it ends: two Aggs side by side in aggs, written per line from
			// two cores, would share a cache line and slow both halves.
			var a connectors.Agg
			defer func() { aggs[h] = a }()
			// A half starts after the first newline at or past its
			// offset (the header for the first) and ends at the first
			// newline at or past the next half's offset.
			start, end := size*int64(h)/2, size*int64(h+1)/2
			buf := make([]byte, 256<<10)
			off, carry, skipping := start, 0, true
			for {
				n, rerr := f.ReadAt(buf[carry:], off)
				off += int64(n)
				data := buf[:carry+n]
				lineStart := off - int64(len(data))
				for {
					nl := bytes.IndexByte(data, '\n')
					if nl < 0 {
						break
					}
					line := data[:nl]
					data = data[nl+1:]
					if skipping {
						skipping = false
						continue
					}
					field := line[bytes.IndexByte(line, ',')+1:]
					if e := bytes.IndexByte(field, ','); e >= 0 {
						field = field[:e]
					}
					v, err := strconv.ParseFloat(string(field), 64)
					if err != nil {
						errs[h] = err
						return
					}
					a.Add(v)
					lineStart += int64(nl + 1)
					if lineStart > end {
						return
					}
				}
				carry = copy(buf, data)
				if rerr != nil || n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	aggs[0].Merge(aggs[1])
	return aggs[0], errors.Join(errs[:]...)
}

func duckAggregate(db *sql.DB, path string) (n int64, mean, lo, hi float64, err error) {
	err = db.QueryRow(`SELECT count(value), avg(value), min(value), max(value)
		FROM read_csv(?, header = true, columns = {'date': 'DATE', 'value': 'DOUBLE', 'category': 'VARCHAR', 'device_id': 'VARCHAR', 'timestamp': 'TIMESTAMP'})`, path).Scan(&n, &mean, &lo, &hi)
	return
}
