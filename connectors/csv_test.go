package connectors

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type reading struct {
	Date     time.Time `csv:"date,layout=2006-01-02"`
	Value    float64   `csv:"value"`
	Category Category  `csv:"category"`
	Device   string    `csv:"device_id"`
	Count    int64     `csv:"count"`
}

const header = "date,value,category,device_id,count\n"

func readAll(t *testing.T, input string, opts CSVOptions) ([]reading, *CSV[reading], error) {
	t.Helper()
	r, err := NewCSV[reading](strings.NewReader(input), opts)
	if err != nil {
		return nil, nil, err
	}
	var out []reading
	for chunk, err := range r.Chunks() {
		if err != nil {
			return out, r, err
		}
		out = append(out, chunk...)
	}
	return out, r, nil
}

func TestCSVReadsTypedRows(t *testing.T) {
	in := "\xEF\xBB\xBF" + strings.ReplaceAll(header, "\n", "\r\n") +
		"2026-01-02,1.5,a,d1,3\r\n" +
		"\r\n" + // a blank line
		`2026-01-03,"2.5","b ""quoted""","d2` + "\n" + `second line",4` + "\r\n" +
		"2026-01-04,-3e2,a,d3,5" // no final newline
	rows, r, err := readAll(t, in, CSVOptions{ChunkSize: 2})
	require.NoError(t, err)
	require.Len(t, rows, 3)
	require.Equal(t, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), rows[0].Date)
	require.Equal(t, 2.5, rows[1].Value)
	require.Equal(t, Category(`b "quoted"`), rows[1].Category)
	require.Equal(t, "d2\nsecond line", rows[1].Device, "a quoted field may span lines")
	require.Equal(t, -300.0, rows[2].Value)
	require.Equal(t, int64(3), r.Rows())
}

func TestCSVColumnsByHeaderNameInAnyOrder(t *testing.T) {
	in := "count,extra,device_id,value,category,date\n7,x,d9,0.5,z,2026-02-03\n"
	rows, _, err := readAll(t, in, CSVOptions{})
	require.NoError(t, err)
	require.Equal(t, reading{Date: time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC), Value: 0.5, Category: "z", Device: "d9", Count: 7}, rows[0])
}

func TestCSVMalformedInput(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		cause       error
		line, col   int
	}{
		{"unterminated quote", header + "2026-01-02,1,\"a,d1,3\n2026-01-03,2,b,d2,4\n", ErrQuote, 2, 0},
		{"bare quote", header + "2026-01-02,1,a\"b,d1,3\n", ErrQuote, 2, 3},
		{"wrong column count", header + "2026-01-02,1,a\n", ErrFieldCount, 2, 0},
		{"bad number", header + "2026-01-02,1,a,d1,3\n2026-01-03,x1,a,d1,3\n", nil, 3, 2},
		{"bad date", header + "2026-13-02,1,a,d1,3\n", nil, 2, 1},
		{"NaN", header + "2026-01-02,NaN,a,d1,3\n", ErrMissing, 2, 2},
		{"Inf", header + "2026-01-02,-Inf,a,d1,3\n", ErrMissing, 2, 2},
		{"1e400", header + "2026-01-02,1e400,a,d1,3\n", ErrMissing, 2, 2},
		{"empty number", header + "2026-01-02,,a,d1,3\n", ErrMissing, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readAll(t, tc.input, CSVOptions{File: "data.csv"})
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			require.Equal(t, "data.csv", pe.File)
			require.Equal(t, tc.line, pe.Line, "%v", err)
			require.Equal(t, tc.col, pe.Column, "%v", err)
			if tc.cause != nil {
				require.ErrorIs(t, err, tc.cause)
			}
		})
	}
}

// TestCSVHugeLine: a 100 MB line (a stray quote, or garbage) is refused at
// the line limit, not read into memory.
func TestCSVHugeLine(t *testing.T) {
	huge := io.MultiReader(strings.NewReader(header+"2026-01-02,1,a,d1,3\n2026-01-02,"), io.LimitReader(zeros{}, 100<<20), strings.NewReader("\n"))
	r, err := NewCSV[reading](huge, CSVOptions{MaxLineBytes: 1 << 20})
	require.NoError(t, err)
	var got int
	for chunk, err := range r.Chunks() {
		if err != nil {
			require.ErrorIs(t, err, ErrTooLong)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			require.Equal(t, 3, pe.Line)
			break
		}
		got += len(chunk)
	}
	require.Equal(t, 0, got, "the chunk holding the good row ended with the error")

	stray := header + "2026-01-02,1,\"a,d1,3\n" + strings.Repeat("2026-01-02,1,a,d1,3\n", 200_000)
	_, _, err = readAll(t, stray, CSVOptions{MaxLineBytes: 64 << 10})
	require.ErrorIs(t, err, ErrTooLong, "a stray quote does not swallow the file")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

func TestCSVSkipBadRows(t *testing.T) {
	in := header + "2026-01-02,1,a,d1,3\n" + "2026-01-02,x,a,d1,3\n" + "2026-01-02,1,a\"b,d1,3\n" + "2026-01-02,1\n" + "2026-01-05,4,a,d1,3\n"
	rows, r, err := readAll(t, in, CSVOptions{BadRows: SkipBadRows})
	require.NoError(t, err)
	require.Len(t, rows, 2)
	require.Equal(t, 3, r.Skipped())
	require.Len(t, r.SkippedErrors(), 3)
	require.ErrorContains(t, r.SkippedErrors()[0], ":3:2 (value)")
}

func TestCSVMissingPolicies(t *testing.T) {
	in := header + "2026-01-02,NaN,a,d1,3\n" + "2026-01-03,,b,d2,\n" + "2026-01-04,2,c,d3,4\n"
	rows, r, err := readAll(t, in, CSVOptions{Missing: MissingDrop})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, 2, r.Skipped())

	rows, _, err = readAll(t, in, CSVOptions{Missing: MissingKeep})
	require.NoError(t, err)
	require.Len(t, rows, 3)
	require.True(t, math.IsNaN(rows[0].Value))
	require.True(t, math.IsNaN(rows[1].Value))
	require.Zero(t, rows[1].Count, "an empty integer is zero under MissingKeep")
}

func TestCSVSchemaErrors(t *testing.T) {
	_, err := NewCSV[reading](strings.NewReader("date,value\n"), CSVOptions{})
	require.ErrorIs(t, err, ErrSchema)
	require.ErrorContains(t, err, `no column "category"`)
	_, err = NewCSV[reading](strings.NewReader(""), CSVOptions{})
	require.ErrorIs(t, err, ErrSchema)
	type bad struct {
		C complex128 `csv:"c"`
	}
	_, err = NewCSV[bad](strings.NewReader("c\n"), CSVOptions{})
	require.ErrorIs(t, err, ErrSchema)
}

func TestCSVReuseChunks(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(header)
	for range 25 {
		b.WriteString("2026-01-02,1,a,d1,3\n")
	}
	r, err := NewCSV[reading](&b, CSVOptions{ChunkSize: 10, ReuseChunks: true})
	require.NoError(t, err)
	var sizes []int
	var first *reading
	for r.Next() {
		c := r.Chunk()
		if first == nil {
			first = &c[0]
		}
		require.Same(t, first, &c[0], "the same memory, chunk after chunk")
		sizes = append(sizes, len(c))
	}
	require.NoError(t, r.Err())
	require.Equal(t, []int{10, 10, 5}, sizes)
}

// FuzzCSV: no input panics, and a row either decodes or names its line.
func FuzzCSV(f *testing.F) {
	f.Add(header + "2026-01-02,1,a,d1,3\n")
	f.Add(header + "\"2026-01-02\",\"1\",\"a\"\"b\",\"d\nx\",3\r\n")
	f.Add("\xEF\xBB\xBF" + header + "2026-01-02,1e400,a,d1,3")
	f.Fuzz(func(t *testing.T, in string) {
		r, err := NewCSV[reading](strings.NewReader(in), CSVOptions{MaxLineBytes: 4096})
		if err != nil {
			return
		}
		for _, err := range r.Chunks() {
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line < 1 {
					t.Fatalf("an error without its line: %v", err)
				}
			}
		}
	})
}
