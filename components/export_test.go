package components_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
)

// TestRecordsUseTheColumnsFormat: exported numbers follow the column's
// format, locale-free: a revenue sum with float noise is written with the
// format's two decimals, a percentage as its fraction, a compact column in
// full, and a column that asks for it in full precision.
func TestRecordsUseTheColumnsFormat(t *testing.T) {
	a, b := 0.1, 0.2
	tbl := components.Table{Columns: []components.Column{
		{Key: "revenue", Numbers: []float64{3721415.499999999, -0.001}, Format: components.NumberFormat{Style: components.StyleCurrency, Decimals: 2}},
		{Key: "share", Numbers: []float64{0.052341, math.NaN()}, Format: components.NumberFormat{Style: components.StylePercent, Decimals: 1}},
		{Key: "orders", Numbers: []float64{2400000, 12}, Format: components.NumberFormat{Compact: true, Decimals: 1}},
		{Key: "price", Numbers: []float64{a + b, 1}, ExportDecimals: -1},
		{Key: "units", Numbers: []float64{1234.4, 7}, Format: components.NumberFormat{Unit: "pcs"}},
	}}
	rec, err := tbl.Records()
	require.NoError(t, err)
	require.Equal(t, [][]string{
		{"revenue", "share", "orders", "price", "units"},
		{"3721415.50", "0.052", "2400000", "0.30000000000000004", "1234"},
		{"0.00", "", "12", "1", "7"},
	}, rec)
}
