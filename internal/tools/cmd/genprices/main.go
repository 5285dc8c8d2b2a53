// Command genprices writes the synthetic price matrix of package riskdata as
// raw little-endian float64 (days × instruments, row-major), for the pandas
// baseline (scripts/risk_baseline.py), and prints dashkit's historical VaR
// and ES of the equally weighted portfolio on it, to compare with pandas'.
//
//	go run ./internal/tools/cmd/genprices -o /tmp/prices.f64
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math"
	"os"

	"gonum.org/v1/gonum/mat"

	"github.com/dashkit/dashkit/internal/tools/riskdata"
	"github.com/dashkit/dashkit/risk"
)

func main() {
	out := flag.String("o", "prices.f64", "output file")
	days := flag.Int("days", 253, "days")
	n := flag.Int("n", 50_000, "instruments")
	seed := flag.Uint64("seed", 42, "seed")
	flag.Parse()

	data, _ := riskdata.Prices(*days, *n, *seed)
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var b [8]byte
	for _, v := range data {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		if _, err := w.Write(b[:]); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	pos, err := risk.EqualPositions(*n, 1)
	if err != nil {
		log.Fatal(err)
	}
	pnl, err := risk.PortfolioPnL(context.Background(), mat.NewDense(*days, *n, data), pos, risk.MissingError)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s: %d days × %d instruments (%.1f MB)\n", *out, *days, *n, float64(len(data)*8)/1e6)
	for _, c := range []float64{0.95, 0.99} {
		v, es, err := risk.Historical(pnl, c, risk.HistoricalOptions{})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("dashkit %.0f%%: VaR %.10f  ES (Acerbi–Tasche) %.10f\n", c*100, v, es)
	}
}
