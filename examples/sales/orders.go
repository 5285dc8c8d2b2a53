package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"github.com/dashkit/dashkit/connectors"
)

// Order is one row of orders.csv. The csv tags name the columns; times are
// RFC 3339.
type Order struct {
	At       time.Time           `csv:"created_at"`
	Region   connectors.Category `csv:"region"`
	Product  connectors.Category `csv:"product"`
	Quantity float64             `csv:"quantity"`
	Revenue  float64             `csv:"revenue"`
}

// loadOrders reads the orders file on two cores, in chunks.
func loadOrders(ctx context.Context, path string) ([]Order, error) {
	parts := make([][]Order, 2)
	err := connectors.ScanFile(ctx, path, len(parts), connectors.CSVOptions{}, func(part int, chunk []Order) error {
		parts[part] = append(parts[part], chunk...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("orders %s: %w", path, err)
	}
	return slices.Concat(parts...), nil
}

// region is a sales region: its value in URLs and code, its label for
// people.
type region struct{ Value, Label string }

// regions are the shop's regions.
func regions() []region {
	return []region{{"north", "North"}, {"south", "South"}, {"east", "East"}, {"west", "West"}}
}

// writeSampleOrders writes n orders of the last 14 days before end, so the
// example runs without data of your own.
func writeSampleOrders(path string, n int, end time.Time) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, 2))
	fmt.Fprintln(w, "created_at,region,product,quantity,revenue")
	span := 14 * 24 * time.Hour
	regions := regions()
	for range n {
		at := end.Add(-time.Duration(rng.Int64N(int64(span)))).UTC()
		r := rng.IntN(len(regions))
		p := 1 + rng.IntN(40)
		q := 1 + rng.IntN(5)
		price := 5 + float64(p)*2.5
		fmt.Fprintf(w, "%s,%s,product-%02d,%d,%.2f\n", at.Format(time.RFC3339), regions[r].Value, p, q, float64(q)*price*(0.9+0.2*rng.Float64()))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
