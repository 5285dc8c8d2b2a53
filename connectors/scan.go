package connectors

import (
	"bytes"
	"errors"
	"io"
)

// scanner splits CSV input into records of fields. Lines without a quote
// take a fast path (one IndexByte for the line end, one per comma); a line
// with a quote is parsed by RFC 4180 rules, and may span several lines.
type scanner struct {
	r         io.Reader
	buf       []byte
	start     int // first unread byte
	end       int // end of valid data
	eof       bool
	line      int // line number of the record last returned (from 1)
	nextLine  int // line number of the next record
	comma     byte
	limit     int // split at most this many fields on the fast path; 0: all
	maxLine   int
	maxField  int
	fields    [][]byte
	scratch   []byte // unescaped quoted fields
	bomDone   bool
	lineStart int // offset of the record last returned within buf (for errors)
	// qpos is the offset in buf of the first quote at or after start, or
	// qend when buf[start:qend] holds none (see quoteAt).
	qpos, qend int
}

// scanBuffer is a scanner's first buffer, grown only for a longer record:
// large enough that a read costs little per byte, small enough that
// zeroing it per reader does not (1 MiB cost ~5% of a two-part scan).
const scanBuffer = 256 << 10

func newScanner(r io.Reader, comma byte, maxLine, maxField int) *scanner {
	return &scanner{r: r, buf: make([]byte, scanBuffer), comma: comma, maxLine: maxLine, maxField: maxField, nextLine: 1}
}

// fill reads more input, keeping buf[start:end]; it compacts and grows the
// buffer as needed, up to the line limit.
func (s *scanner) fill() error {
	if s.eof {
		return io.EOF
	}
	if s.start > 0 && s.start == s.end {
		s.start, s.end = 0, 0
		s.qpos, s.qend = 0, 0
	}
	if s.end == len(s.buf) {
		if s.start > 0 {
			s.end = copy(s.buf, s.buf[s.start:s.end])
			s.start = 0
			s.qpos, s.qend = 0, 0
		} else {
			if len(s.buf) >= s.maxLine+1 {
				return ErrTooLong
			}
			nb := make([]byte, min(2*len(s.buf), s.maxLine+1))
			s.end = copy(nb, s.buf[s.start:s.end])
			s.start = 0
			s.buf = nb
			s.qpos, s.qend = 0, 0
		}
	}
	n, err := s.r.Read(s.buf[s.end:])
	s.end += n
	if errors.Is(err, io.EOF) {
		s.eof = true
		if n == 0 {
			return io.EOF
		}
		return nil
	}
	return err
}

// next returns the next record's fields (valid until the next call) or
// io.EOF. Blank lines are skipped.
func (s *scanner) next() ([][]byte, error) {
	for {
		if !s.bomDone {
			if err := s.skipBOM(); err != nil {
				return nil, err
			}
		}
		data := s.buf[s.start:s.end]
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 && !s.eof {
			if len(data) > s.maxLine {
				return nil, s.lineErr(ErrTooLong)
			}
			if err := s.fill(); err != nil {
				if errors.Is(err, ErrTooLong) {
					return nil, s.lineErr(ErrTooLong)
				}
				if !errors.Is(err, io.EOF) {
					return nil, err
				}
			}
			continue
		}
		if nl < 0 {
			if len(data) == 0 {
				return nil, io.EOF
			}
			nl = len(data) // the last line has no newline
		}
		if nl > s.maxLine {
			return nil, s.lineErr(ErrTooLong)
		}
		line := data[:nl]
		if s.quoteAt() < s.start+nl {
			fields, consumed, lines, err := s.quoted(data)
			if errors.Is(err, errNeedMore) {
				if s.eof {
					return nil, s.lineErr(ErrQuote) // unterminated quote at the end
				}
				if len(data) > s.maxLine {
					return nil, s.lineErr(ErrTooLong)
				}
				if ferr := s.fill(); ferr != nil && !errors.Is(ferr, io.EOF) {
					if errors.Is(ferr, ErrTooLong) {
						return nil, s.lineErr(ErrTooLong)
					}
					return nil, ferr
				}
				continue
			}
			s.line = s.nextLine
			s.nextLine += lines
			s.lineStart = s.start
			s.start += consumed
			if err != nil {
				return nil, err
			}
			return fields, nil
		}
		s.line = s.nextLine
		s.nextLine++
		s.lineStart = s.start
		s.start += min(nl+1, len(data))
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		if len(line) == 0 {
			continue // a blank line
		}
		return s.split(line)
	}
}

// quoteAt returns the offset in buf of the first quote at or after start,
// or end if buf[start:end] holds none. One IndexByte over the buffer
// serves every line before that quote, where a search per line would read
// every byte a second time.
func (s *scanner) quoteAt() int {
	if s.qpos < s.start { // the quote found before was consumed
		s.qpos, s.qend = s.start, s.start
	}
	if s.qpos == s.qend && s.qend < s.end { // none so far: search the rest
		if i := bytes.IndexByte(s.buf[s.qend:s.end], '"'); i >= 0 {
			s.qpos = s.qend + i
		} else {
			s.qpos = s.end
		}
		s.qend = s.end
	}
	return s.qpos
}

// skipBOM drops a UTF-8 byte-order mark at the start of the input.
func (s *scanner) skipBOM() error {
	for s.end-s.start < 3 && !s.eof {
		if err := s.fill(); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
	}
	if bytes.HasPrefix(s.buf[s.start:s.end], []byte("\xEF\xBB\xBF")) {
		s.start += 3
	}
	s.bomDone = true
	return nil
}

// split splits an unquoted line at the separator into s.fields; the
// columns after the last one decoded are not split (the rest of the line
// is the last field). Any field longer than maxField is ErrTooLong.
func (s *scanner) split(line []byte) ([][]byte, error) {
	fields, limit := s.fields[:0], s.limit
	if limit == 0 {
		limit = -1 // all
	}
	for len(fields) != limit {
		c := bytes.IndexByte(line, s.comma)
		if c < 0 {
			break
		}
		if c > s.maxField {
			return nil, ErrTooLong
		}
		fields = append(fields, line[:c])
		line = line[c+1:]
	}
	if len(line) > s.maxField {
		return nil, ErrTooLong
	}
	s.fields = append(fields, line)
	return s.fields, nil
}

var errNeedMore = errors.New("need more input")

// quoted parses one record that holds a quote, from the start of data. It
// returns the fields, the bytes consumed (including the line end) and the
// number of lines the record spans; errNeedMore when the record is not
// complete in data.
func (s *scanner) quoted(data []byte) ([][]byte, int, int, error) {
	s.fields = s.fields[:0]
	s.scratch = s.scratch[:0]
	var spans []span
	i, lines := 0, 1
	for {
		from := len(s.scratch)
		if i < len(data) && data[i] == '"' {
			i++
			for {
				q := bytes.IndexByte(data[i:], '"')
				if q < 0 {
					return nil, 0, 0, errNeedMore
				}
				lines += bytes.Count(data[i:i+q], []byte{'\n'})
				s.scratch = append(s.scratch, data[i:i+q]...)
				i += q + 1
				if i < len(data) && data[i] == '"' { // "" is a quote
					s.scratch = append(s.scratch, '"')
					i++
					continue
				}
				if i == len(data) && !s.eof {
					return nil, 0, 0, errNeedMore
				}
				break
			}
			if len(s.scratch)-from > s.maxField {
				return nil, 0, 0, ErrTooLong
			}
			spans = append(spans, span{from, len(s.scratch)})
			switch {
			case i == len(data):
				return s.finish(spans), i, lines, nil
			case data[i] == s.comma:
				i++
				continue
			case data[i] == '\n':
				return s.finish(spans), i + 1, lines, nil
			case data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n':
				return s.finish(spans), i + 2, lines, nil
			case data[i] == '\r' && i+1 == len(data) && !s.eof:
				return nil, 0, 0, errNeedMore
			default:
				return nil, i + skipLine(data[i:]), lines, &quoteErr{col: len(spans)}
			}
		}
		// An unquoted field: up to the comma or the line end; a quote in it
		// is a bare quote.
		j := i
		for j < len(data) && data[j] != s.comma && data[j] != '\n' {
			if data[j] == '"' {
				return nil, i + skipLine(data[i:]), lines, &quoteErr{col: len(spans) + 1}
			}
			j++
		}
		if j == len(data) && !s.eof {
			return nil, 0, 0, errNeedMore
		}
		f := data[i:j]
		if j < len(data) && data[j] == '\n' && len(f) > 0 && f[len(f)-1] == '\r' {
			f = f[:len(f)-1]
		}
		if len(f) > s.maxField {
			return nil, 0, 0, ErrTooLong
		}
		s.scratch = append(s.scratch, f...)
		spans = append(spans, span{from, len(s.scratch)})
		if j == len(data) {
			return s.finish(spans), j, lines, nil
		}
		if data[j] == '\n' {
			return s.finish(spans), j + 1, lines, nil
		}
		i = j + 1
	}
}

// span is a field's bytes in the scratch buffer.
type span struct{ from, to int }

func (s *scanner) finish(spans []span) [][]byte {
	for _, sp := range spans {
		s.fields = append(s.fields, s.scratch[sp.from:sp.to])
	}
	return s.fields
}

// skipLine is the length of data up to and including its first newline.
func skipLine(data []byte) int {
	if n := bytes.IndexByte(data, '\n'); n >= 0 {
		return n + 1
	}
	return len(data)
}

type quoteErr struct{ col int }

func (e *quoteErr) Error() string { return ErrQuote.Error() }
func (e *quoteErr) Unwrap() error { return ErrQuote }

func (s *scanner) lineErr(err error) error {
	return &ParseError{Line: s.nextLine, Err: err}
}
