package connectors_test

import (
	"fmt"
	"strings"
	"time"

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
