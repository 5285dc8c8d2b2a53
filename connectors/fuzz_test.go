package connectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for the parsers a request reaches (issue 15). Each runs its
// seed corpus as a normal test; `go test -fuzz FuzzX ./connectors/` explores.

// FuzzDecodeJSON feeds FetchJSON's body decoder any bytes, with small caps:
// it never panics; records past MaxRecordBytes are ErrRecordTooLarge; and
// a JSON array that encoding/json accepts whole (within the caps) decodes
// to the same records.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`[{"device":"a","value":1},{"device":"b","value":2.5}]`))
	f.Add([]byte("{\"device\":\"a\",\"value\":1}\n{\"device\":\"b\",\"value\":-3e2}\n"))
	f.Add([]byte(`  [ ]  `))
	f.Add([]byte(`[{"device":"a","value":1}] {"device":"b"}`))
	f.Add([]byte(`[null, {"DEVICE":"x","value":1e400}]`))
	f.Add([]byte(`{"device":"` + strings.Repeat("a", 300) + `"}`))
	f.Add([]byte(`[{"device":"a","value":1},`))
	f.Add([]byte("\xef\xbb\xbf[]"))
	f.Add([]byte(`"just a string"`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		opts := HTTPOptions{ChunkSize: 3, MaxBytes: 4096, MaxRecordBytes: 256}.withDefaults()
		var got []apiReading
		var failed error
		decodeJSON("fuzz", bytes.NewReader(body), opts, func(chunk []apiReading, err error) bool {
			if err != nil {
				failed = err
				return false
			}
			if len(chunk) == 0 || len(chunk) > opts.ChunkSize {
				t.Fatalf("a chunk of %d records", len(chunk))
			}
			got = append(got, chunk...)
			return true
		})
		if len(body) > int(opts.MaxBytes) && failed == nil {
			t.Fatalf("a body of %d bytes past MaxBytes decoded", len(body))
		}
		trimmed := bytes.TrimLeft(body, " \t\r\n")
		if len(trimmed) == 0 || trimmed[0] != '[' || len(body) > int(opts.MaxBytes) {
			return
		}
		var want []apiReading
		if err := json.Unmarshal(body, &want); err != nil {
			return
		}
		if failed != nil {
			if errors.Is(failed, ErrRecordTooLarge) {
				return // one element is past the cap: refusing it is the point
			}
			t.Fatalf("encoding/json accepts %q; decodeJSON: %v", body, failed)
		}
		if len(got) != len(want) {
			t.Fatalf("%d records, encoding/json %d", len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("record %d: %+v, encoding/json %+v", i, got[i], want[i])
			}
		}
	})
}

// FuzzDecodeNDJSON: an NDJSON body — one JSON value per line, blank
// lines allowed — that encoding/json accepts line by line decodes to the
// same records, in the same order, whatever the chunking; or, when a line
// is longer than MaxRecordBytes, fails with ErrRecordTooLarge. Whatever
// the body, decodeJSON never panics and every failure names the body.
func FuzzDecodeNDJSON(f *testing.F) {
	f.Add([]byte("{\"device\":\"a\",\"value\":1}\n{\"device\":\"b\",\"value\":-3e2}\n"))
	f.Add([]byte("{\"device\":\"a\"}\r\n\r\n{\"value\":2}"))
	f.Add([]byte("null\n{}\n  {\"device\":\"\\u2028\"}  \n"))
	f.Add([]byte("{\"device\":\"a\"}\n{\"device\":\"" + strings.Repeat("b", 300) + "\"}\n"))
	f.Add([]byte("{\"device\":\"a\"} {\"device\":\"b\"}\n"))
	f.Add([]byte("{\"device\":1}\n"))
	f.Add([]byte("{\"device\":\"a\",\n\"value\":1}\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		opts := HTTPOptions{ChunkSize: 2, MaxBytes: 4096, MaxRecordBytes: 256}.withDefaults()
		var got []apiReading
		var failed error
		decodeJSON("fuzz://ndjson", bytes.NewReader(body), opts, func(chunk []apiReading, err error) bool {
			if err != nil {
				failed = err
				return false
			}
			got = append(got, chunk...)
			return true
		})
		if failed != nil && !strings.Contains(failed.Error(), "fuzz://ndjson") {
			t.Fatalf("error %v does not name the body", failed)
		}
		if len(body) > int(opts.MaxBytes) {
			return
		}
		if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
			return // an array: FuzzDecodeJSON's
		}
		// The oracle: encoding/json, one line at a time.
		var want []apiReading
		long := false
		for line := range bytes.Lines(body) {
			line = bytes.Trim(line, " \t\r\n") // JSON's whitespace, not Unicode's
			if len(line) == 0 {
				continue
			}
			var r apiReading
			if err := json.Unmarshal(line, &r); err != nil {
				return // not NDJSON of readings
			}
			long = long || len(line) > int(opts.MaxRecordBytes)
			want = append(want, r)
		}
		if long {
			if !errors.Is(failed, ErrRecordTooLarge) {
				t.Fatalf("a line past MaxRecordBytes: %v", failed)
			}
			return
		}
		if failed != nil {
			t.Fatalf("encoding/json accepts every line of %q; decodeJSON: %v", body, failed)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d records, encoding/json %d", body, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("record %d: %+v, encoding/json %+v", i, got[i], want[i])
			}
		}
	})
}

// FuzzCSVHostile reads hostile CSV under the options a server would use
// for uploads — bad rows skipped, small line and field limits, chunk
// memory reused — with every supported field type: it never panics or
// loops, every kept error names its line, and every row counted was read
// from some line.
func FuzzCSVHostile(f *testing.F) {
	const head = "date,at,value,n,ok,cat,s\n"
	f.Add(head+"2026-01-02,2026-01-02T03:04:05Z,1.5,3,true,a,x\n", byte(','))
	f.Add(head+"2023-02-31,2023-06-31T00:00:00Z,1e400,9223372036854775808,maybe,\"a\"\"b\",\"\n\"\n", byte(','))
	f.Add(strings.ReplaceAll(head, ",", ";")+"2026-01-02;2026-01-02T03:04:05+02:00;NaN;-1;0;;\r\n", byte(';'))
	f.Add(head+"\"unterminated,2026-01-02T03:04:05Z,1,1,1,a,b\n2026-01-02,x,1,1,1,a,b\n", byte(','))
	f.Add(head+strings.Repeat("9", 600)+",,,,,,\n,,,\n"+strings.Repeat(",", 100)+"\n", byte(','))
	f.Add("\xef\xbb\xbf"+head+"2026-01-02,2026-01-02T03:04:05Z,1,1,1,\xff\xfe,\x00\n", byte(','))
	f.Add(head+"a\"b,c\"d\"\",1,1,1,1,1\n\"\"\"\",,,,,,\n", byte(','))
	type row struct {
		Date  time.Time `csv:"date,layout=2006-01-02"`
		At    time.Time `csv:"at"`
		Value float64   `csv:"value"`
		N     int64     `csv:"n"`
		OK    bool      `csv:"ok"`
		Cat   Category  `csv:"cat"`
		S     string    `csv:"s"`
	}
	f.Fuzz(func(t *testing.T, in string, comma byte) {
		if comma == '"' || comma == '\n' || comma == '\r' {
			comma = ','
		}
		r, err := NewCSV[row](strings.NewReader(in), CSVOptions{Comma: comma, ChunkSize: 2, ReuseChunks: true,
			BadRows: SkipBadRows, Missing: MissingKeep, MaxLineBytes: 512, MaxFieldBytes: 128})
		if err != nil {
			return
		}
		lines := int64(strings.Count(in, "\n") + 1)
		for _, err := range r.Chunks() {
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line < 1 || int64(pe.Line) > lines {
					t.Fatalf("an error without its line: %v", err)
				}
			}
		}
		if r.Rows()+int64(r.Skipped()) > lines {
			t.Fatalf("%d rows and %d skipped from %d lines", r.Rows(), r.Skipped(), lines)
		}
		for _, err := range r.SkippedErrors() {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("a skipped row's error without its line: %v", err)
			}
		}
	})
}

// FuzzFastDates holds the allocation-free date paths to time.Parse: the
// same dates (the same time.Time values, location included), the same
// errors (2023-02-31 is one).
func FuzzFastDates(f *testing.F) {
	for _, s := range []string{"2023-02-31", "2024-02-29", "2023-06-31", "0000-01-01", "9999-12-31", "2023-13-01", "2023-00-10", "2023-1-01", "+023-01-01", "2023-01-0a"} {
		f.Add(s, "T00:00:00Z")
	}
	f.Add("2026-01-02", "T23:59:59Z")
	f.Add("2026-01-02", "T24:00:00Z")
	f.Add("2026-01-02", "T12:60:00Z")
	f.Fuzz(func(t *testing.T, date, clock string) {
		got, err := parseDate([]byte(date))
		want, werr := time.Parse("2006-01-02", date)
		if (err == nil) != (werr == nil) || (err == nil && got != want) {
			t.Fatalf("parseDate(%q) = %v, %v; time.Parse: %v, %v", date, got, err, want, werr)
		}
		s := date + clock
		if fast, ok := parseRFC3339UTC([]byte(s)); ok {
			slow, err := time.Parse(time.RFC3339, s)
			if err != nil || fast != slow {
				t.Fatalf("parseRFC3339UTC(%q) = %v; time.Parse: %v, %v", s, fast, slow, err)
			}
		}
	})
}
