package connectors

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// scanAll reads every record of in with a scanner whose buffer starts at
// bufSize bytes and whose reader returns a few bytes at a time, so records
// and quotes straddle refills, compactions and growths of the buffer.
func scanAll(in string, bufSize int) ([][]string, error) {
	s := newScanner(iotest.HalfReader(strings.NewReader(in)), ',', 1<<20, 1<<20)
	s.buf = make([]byte, bufSize)
	var out [][]string
	for {
		fields, err := s.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		rec := make([]string, len(fields))
		for i, f := range fields {
			rec[i] = string(f)
		}
		out = append(out, rec)
	}
}

// csvReadAll is encoding/csv's reading of in, up to its first error.
func csvReadAll(in string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(in))
	r.FieldsPerRecord = -1
	var out [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

// requireSameRecords: the scanner splits in into the records encoding/csv
// does, and fails where it fails.
func requireSameRecords(t *testing.T, in string, bufSize int) {
	t.Helper()
	got, err := scanAll(in, bufSize)
	want, werr := csvReadAll(in)
	if (err == nil) != (werr == nil) {
		t.Fatalf("%q (buffer %d): scanner error %v, encoding/csv %v", in, bufSize, err, werr)
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("%q (buffer %d):\nscanner      %q\nencoding/csv %q", in, bufSize, got, want)
	}
}

// TestScannerQuotesAcrossRefills: lines without quotes take the fast path
// only while no quote lies ahead of them in the buffer; a quote found in
// one refill and consumed, or moved by a compaction, must not let a
// quoted record through the fast path (which would split "a,b" at its
// comma and keep its quotes).
func TestScannerQuotesAcrossRefills(t *testing.T) {
	inputs := []string{
		"a,b\n1,\"x,y\"\n2,3\n\"4\",5\n6,7\n8,\"multi\nline,\"\"q\"\"\"\n9,10\n",
		strings.Repeat("plain,row,here\n", 20) + "q,\"a,b\"\n" + strings.Repeat("x,y\n", 30) + "\"\"\"\",z\n" + strings.Repeat("1,2\n", 7),
		"\"a\"\n\"b\"\n\"c\nd\"\n",
		"a,b,c\n1,2,\"unterminated\n3,4,5\n",
		"a,b\n1,x\"y\n2,3\n",
		"a,b\n\n\n1,2\n\n\"3\",4",
	}
	for _, in := range inputs {
		for bufSize := 4; bufSize <= 64; bufSize++ {
			requireSameRecords(t, in, bufSize)
		}
	}
}

// FuzzScannerMatchesEncodingCSV holds the scanner (all fields split) to
// encoding/csv on inputs without carriage returns or a byte-order mark,
// which the two treat differently by design, for any starting buffer size.
func FuzzScannerMatchesEncodingCSV(f *testing.F) {
	f.Add("a,b\n1,\"x,y\"\n2,3\n", uint8(5))
	f.Add("\"a\"\"b\",c\n\"d\ne\",f\n", uint8(3))
	f.Add("a\"b,c\n", uint8(8))
	f.Add("x,y\n\n\"z\"", uint8(1))
	f.Fuzz(func(t *testing.T, in string, size uint8) {
		if strings.ContainsRune(in, '\r') || strings.HasPrefix(in, "\xEF\xBB\xBF") {
			return
		}
		requireSameRecords(t, in, 1+int(size%64))
	})
}
