// Package readings writes the connectors benchmark file's rows — date
// (YYYY-MM-DD), value (normal, mean 50, sd 10), category (20 values),
// device_id (500 values), timestamp (RFC 3339, uniform over 30 days from
// 2026-10-01) — for internal/tools/cmd/gencsv and the connectors tests, so the
// file the benchmarks and the pandas baseline read is the one the tests
// check.
package readings

import (
	"bufio"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// Header is the file's header line.
const Header = "date,value,category,device_id,timestamp\n"

// Write writes the header and rows rows drawn from seed.
func Write(w io.Writer, rows int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 5))
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(Header)
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var line []byte
	for range rows {
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
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
