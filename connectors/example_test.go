package connectors_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/dashkit/dashkit/connectors"
)

// The original's chunked aggregate: count, mean, min and max of a column,
// across chunks.
func ExampleNewCSV() {
	type reading struct {
		Day    time.Time           `csv:"date,layout=2006-01-02"`
		Value  float64             `csv:"value"`
		Device connectors.Category `csv:"device_id"`
	}
	input := "date,device_id,value\n" +
		"2026-11-24,dev1,10.5\n" +
		"2026-11-24,dev2,12\n" +
		"2026-11-25,dev1,9.5\n"
	r, err := connectors.NewCSV[reading](strings.NewReader(input), connectors.CSVOptions{File: "readings.csv", ChunkSize: 2})
	if err != nil {
		panic(err)
	}
	var agg connectors.Agg
	for chunk, err := range r.Chunks() {
		if err != nil {
			panic(err)
		}
		for _, row := range chunk {
			agg.Add(row.Value)
		}
	}
	fmt.Printf("count %d, mean %.2f, min %.1f, max %.1f\n", agg.N, agg.Mean(), agg.Min, agg.Max)
	// Output: count 3, mean 10.67, min 9.5, max 12.0
}

// A bad value names its place.
func ExampleParseError() {
	type row struct {
		Value float64 `csv:"value"`
	}
	r, _ := connectors.NewCSV[row](strings.NewReader("value\n1\nx\n"), connectors.CSVOptions{File: "data.csv"})
	for _, err := range r.Chunks() {
		if err != nil {
			fmt.Println(err)
		}
	}
	// Output: data.csv:3:1 (value): strconv.ParseFloat: parsing "x": invalid syntax
}

// The original's device-hourly resample: group readings by device and
// resample each to hourly means.
func ExampleResampler() {
	r := connectors.NewResampler[string](time.Hour)
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	r.Add("dev1", t0.Add(10*time.Minute), 10)
	r.Add("dev1", t0.Add(50*time.Minute), 20)
	r.Add("dev1", t0.Add(130*time.Minute), 40)
	r.Add("dev2", t0.Add(5*time.Minute), 7)
	for _, dev := range r.Keys(connectors.Ascending[string]) {
		for _, b := range r.Series(dev) {
			fmt.Printf("%s %s n=%d mean=%v last=%v\n", dev, b.Start.Format("15:04"), b.N, b.Mean(), b.Last)
		}
	}
	// Output:
	// dev1 09:00 n=2 mean=15 last=20
	// dev1 10:00 n=0 mean=NaN last=0
	// dev1 11:00 n=1 mean=40 last=40
	// dev2 09:00 n=1 mean=7 last=7
}

// The original's 7-row rolling mean.
func ExampleRolling() {
	r := connectors.NewRolling(3)
	for _, x := range []float64{1, 2, 3, 10, 5} {
		r.Add(x)
		if r.Ready() {
			fmt.Printf("mean %.2f min %v max %v\n", r.Mean(), r.Min(), r.Max())
		}
	}
	// Output:
	// mean 2.00 min 1 max 3
	// mean 5.00 min 2 max 10
	// mean 6.00 min 3 max 10
}

// Downsample a series for a chart without losing its spike.
func ExampleLTTB() {
	x := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	y := []float64{1, 1, 1, 1, 9, 1, 1, 1, 1, 1}
	for _, i := range connectors.LTTB(x, y, 4) {
		fmt.Print(x[i], ":", y[i], " ")
	}
	fmt.Println()
	// Output: 0:1 4:9 5:1 9:1
}

// Data-quality rules report the rows that break them.
func ExampleChecker() {
	type reading struct {
		Device string
		Value  float64
	}
	c := connectors.NewChecker(
		connectors.Required("device", func(r reading) string { return r.Device }),
		connectors.Range("value", func(r reading) float64 { return r.Value }, 0, 100),
	)
	c.Check([]reading{{"dev1", 50}, {"", 20}, {"dev2", 140}})
	for _, v := range c.Violations() {
		fmt.Println(v)
	}
	// Output:
	// row 2: device required: missing
	// row 3: value range: 140 outside [0, 100]
}

// Stream a parameterized query's rows into structs, in chunks.
func ExampleQuery() {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE readings (device TEXT, value REAL);
		INSERT INTO readings VALUES ('dev1', 10), ('dev2', 12), ('dev1', 14)`); err != nil {
		panic(err)
	}
	type reading struct {
		Device string  `sql:"device"`
		Value  float64 `sql:"value"`
	}
	var agg connectors.Agg
	for chunk, err := range connectors.Query[reading](ctx, db,
		`SELECT device, value FROM readings WHERE device = $1`, connectors.SQLOptions{}, "dev1") {
		if err != nil {
			panic(err)
		}
		for _, r := range chunk {
			agg.Add(r.Value)
		}
	}
	fmt.Println(agg.N, agg.Mean())
	// Output: 2 12
}

// A selection of several values becomes one placeholder per value: the
// SQL text holds "?" only, the values travel as arguments. (With
// PostgreSQL, `WHERE device = ANY($1)` takes the slice as one argument.)
func ExamplePlaceholders() {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE readings (device TEXT, value REAL);
		INSERT INTO readings VALUES ('dev1', 10), ('dev2', 12), ('dev3', 14), ('x'' OR 1=1 --', 99)`); err != nil {
		panic(err)
	}
	type reading struct {
		Device string  `sql:"device"`
		Value  float64 `sql:"value"`
	}
	selected := []string{"dev1", "dev3", "nope' OR 1=1 --"}
	q := `SELECT device, value FROM readings WHERE device IN (` + connectors.Placeholders(len(selected)) + `) ORDER BY device`
	fmt.Println(q)
	for chunk, err := range connectors.Query[reading](ctx, db, q, connectors.SQLOptions{}, connectors.Args(selected)...) {
		if err != nil {
			panic(err)
		}
		for _, r := range chunk {
			fmt.Println(r.Device, r.Value)
		}
	}
	// Output:
	// SELECT device, value FROM readings WHERE device IN (?, ?, ?) ORDER BY device
	// dev1 10
	// dev3 14
}

// Connect at start within a timeout; a service that should start without
// its database keeps the error for its readiness check and tries again
// later.
func ExampleConnect() {
	ctx := context.Background()
	db, err := connectors.Connect(ctx, "sqlite", ":memory:", 2*time.Second)
	if errors.Is(err, connectors.ErrUnreachable) {
		fmt.Println("not ready:", err) // report it on /readyz, retry on the next tick
		return
	}
	if err != nil {
		panic(err) // a bad driver name or DSN: a configuration error
	}
	defer db.Close()
	var answer int
	if err := db.QueryRowContext(ctx, `SELECT 6 * 7`).Scan(&answer); err != nil {
		panic(err)
	}
	fmt.Println(answer)
	// Output: 42
}

// Stream a JSON API's array (or NDJSON) into structs.
func ExampleFetchJSON() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `[{"device":"dev1","value":3},{"device":"dev2","value":4}]`)
	}))
	defer api.Close()
	type reading struct {
		Device string  `json:"device"`
		Value  float64 `json:"value"`
	}
	// The test server listens on 127.0.0.1: loopback is refused unless
	// allowed.
	opts := connectors.HTTPOptions{Timeout: 5 * time.Second, AllowLoopback: true}
	for chunk, err := range connectors.FetchJSON[reading](context.Background(), api.URL, opts) {
		if err != nil {
			panic(err)
		}
		fmt.Println(chunk)
	}
	// Output: [{dev1 3} {dev2 4}]
}

// A URL a user typed is untrusted: FetchJSON dials only public addresses
// unless told otherwise, checking the address it connects to, so a name
// that resolves to a cloud metadata service or to localhost is refused
// before anything is sent.
func ExampleFetchJSON_untrusted() {
	opts := connectors.HTTPOptions{
		AllowedHosts:   []string{"api.example.com", "*.metrics.example.com"},
		MaxRedirects:   2,                // each hop checked again
		TotalTimeout:   20 * time.Second, // every attempt and wait together
		MaxRecordBytes: 64 << 10,         // one record; the body streams
	}
	type reading struct {
		Value float64 `json:"value"`
	}
	refused := func(url string, opts connectors.HTTPOptions) {
		for _, err := range connectors.FetchJSON[reading](context.Background(), url, opts) {
			fmt.Println(errors.Is(err, connectors.ErrAddressNotAllowed), errors.Is(err, connectors.ErrHostNotAllowed))
		}
	}
	refused("http://169.254.169.254/latest/meta-data/", connectors.HTTPOptions{}) // link-local
	refused("http://127.0.0.1:8080/", connectors.HTTPOptions{})                   // loopback
	refused("https://evil.example.net/", opts)                                    // not an allowed host
	// Output:
	// true false
	// true false
	// false true
}

// Many files in parallel, one partial per file, merged at the end.
func ExampleScanFiles() {
	dir, err := os.MkdirTemp("", "readings")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	for i, body := range []string{"value\n1\n2\n", "value\n3\n", "value\n4\n5\n6\n"} {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("day-%d.csv", i)), []byte(body), 0o600); err != nil {
			panic(err)
		}
	}
	paths, err := connectors.Glob(filepath.Join(dir, "day-*.csv"))
	if err != nil {
		panic(err)
	}
	type reading struct {
		Value float64 `csv:"value"`
	}
	parts := make([]connectors.Agg, len(paths))
	var last connectors.Progress
	err = connectors.ScanFiles(context.Background(), paths, connectors.FilesOptions{
		Progress: func(p connectors.Progress) { last = p },
	}, func(file int, chunk []reading) error {
		for _, r := range chunk {
			parts[file].Add(r.Value)
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	var total connectors.Agg
	for _, p := range parts {
		total.Merge(p)
	}
	fmt.Printf("%d rows, sum %v; %d of %d files\n", total.N, total.Sum, last.FilesDone, last.Files)
	// Output: 6 rows, sum 21; 3 of 3 files
}
