package connectors

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"unsafe"
)

// BadRows says what a malformed row does.
type BadRows int

// The policies. The zero value is FailOnBadRow.
const (
	// FailOnBadRow stops at the first bad row with its *ParseError.
	FailOnBadRow BadRows = iota
	// SkipBadRows skips bad rows and counts them (CSV.Skipped), keeping
	// the first few errors (CSV.SkippedErrors).
	SkipBadRows
)

// CSVOptions configure a [CSV] reader. The zero value is a working default.
type CSVOptions struct {
	// File names the input in errors.
	File string
	// Comma separates fields; zero means ','.
	Comma byte
	// ChunkSize is the number of rows per chunk; zero means 10,000.
	ChunkSize int
	// ReuseChunks reuses one chunk's memory for the next: the chunk is
	// then valid only until the next call. Off by default.
	ReuseChunks bool
	// BadRows chooses between failing and skipping malformed rows.
	BadRows BadRows
	// Missing says what empty, NaN and infinite numbers (1e400 included)
	// do; the zero value is an error.
	Missing MissingPolicy
	// MaxLineBytes bounds a record (several lines if quoted), so a stray
	// quote cannot swallow the file; zero means 1 MiB.
	MaxLineBytes int
	// MaxFieldBytes bounds one field; zero means 64 KiB.
	MaxFieldBytes int
}

// maxKeptErrors is how many skipped rows' errors a reader keeps.
const maxKeptErrors = 100

// CSV decodes CSV records into structs of type T, in chunks. Columns are
// resolved by header name once, from T's `csv:"name"` tags (with
// `,layout=…` for times; default RFC 3339, and 2006-01-02 parsed without
// allocation). Supported field types: float64, float32, int, int64, int32,
// bool, string, time.Time and [Category].
//
//	r, err := connectors.NewCSV[Reading](f, connectors.CSVOptions{File: name})
//	for chunk, err := range r.Chunks() { … }
type CSV[T any] struct {
	opts    CSVOptions
	sc      *scanner
	b       *binder
	intern  interner
	chunk   []T
	err     error
	skipped int
	kept    []error
	rows    int64
	done    bool
}

// NewCSV reads the header and binds T's fields to its columns. A missing
// column, a duplicate tag or an unsupported field type is an error wrapping
// ErrSchema.
func NewCSV[T any](r io.Reader, opts CSVOptions) (*CSV[T], error) {
	if opts.Comma == 0 {
		opts.Comma = ','
	}
	opts.ChunkSize = positiveOr(opts.ChunkSize, 10_000)
	opts.MaxLineBytes = positiveOr(opts.MaxLineBytes, 1<<20)
	opts.MaxFieldBytes = positiveOr(opts.MaxFieldBytes, 64<<10)
	c := &CSV[T]{opts: opts, intern: interner{m: make(map[string]string)}}
	b, err := bindType[T](&c.intern)
	if err != nil {
		return nil, err
	}
	c.b = b
	c.sc = newScanner(r, opts.Comma, opts.MaxLineBytes, opts.MaxFieldBytes)
	header, err := c.sc.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: %s: no header", ErrSchema, c.name())
		}
		return nil, c.wrap(err, 0, "")
	}
	if err := b.bindHeader(header); err != nil {
		return nil, fmt.Errorf("%s: %w", c.name(), err)
	}
	for _, f := range b.fields {
		c.sc.limit = max(c.sc.limit, f.column+1)
	}
	return c, nil
}

func (c *CSV[T]) name() string {
	if c.opts.File == "" {
		return "input"
	}
	return c.opts.File
}

// wrap names the place of err.
func (c *CSV[T]) wrap(err error, col int, field string) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.File = c.opts.File
		return pe
	}
	var qe *quoteErr
	if errors.As(err, &qe) {
		col = qe.col
	}
	return &ParseError{File: c.opts.File, Line: c.sc.line, Column: col, Field: field, Err: err}
}

// Next decodes the next chunk; false at the end or on an error (see Err).
func (c *CSV[T]) Next() bool {
	if c.done {
		return false
	}
	if c.opts.ReuseChunks && c.chunk != nil {
		c.chunk = c.chunk[:0]
	} else {
		c.chunk = make([]T, 0, c.opts.ChunkSize)
	}
	ncols := 0
	for _, f := range c.b.fields {
		ncols = max(ncols, f.column+1)
	}
	for len(c.chunk) < c.opts.ChunkSize {
		fields, err := c.sc.next()
		if err != nil && errors.Is(err, io.EOF) {
			c.done = true
			break
		}
		if err != nil {
			var qe *quoteErr
			if c.opts.BadRows == SkipBadRows && (errors.As(err, &qe) || errors.Is(err, ErrTooLong) && c.sc.line > 0) && !errors.As(err, new(*ParseError)) {
				c.skip(c.wrap(err, 0, ""))
				continue
			}
			c.err, c.done = c.wrap(err, 0, ""), true
			return false
		}
		if len(fields) < ncols {
			if !c.bad(c.wrap(fmt.Errorf("%w: %d fields, need at least %d", ErrFieldCount, len(fields), ncols), 0, "")) {
				return false
			}
			continue
		}
		c.chunk = append(c.chunk, *new(T))
		if !c.decode(unsafe.Pointer(&c.chunk[len(c.chunk)-1]), fields) {
			c.chunk = c.chunk[:len(c.chunk)-1]
			if c.done {
				return false
			}
			continue
		}
		c.rows++
	}
	return len(c.chunk) > 0 || (c.err == nil && !c.done)
}

// decode fills one row; false when the row is left out (dropped, skipped,
// or failed: then c.done is set).
func (c *CSV[T]) decode(row unsafe.Pointer, fields [][]byte) bool {
	for i := range c.b.fields {
		f := &c.b.fields[i]
		raw := fields[f.column]
		if f.float64 { // the common case, called directly
			if v, ok := fastFloat64(raw); ok {
				*(*float64)(unsafe.Add(row, f.offset)) = v
				continue
			}
		}
		err := errMissing
		if len(raw) > 0 {
			err = f.set(unsafe.Add(row, f.offset), raw)
		}
		if err == nil {
			continue
		}
		if errors.Is(err, errMissing) {
			switch c.opts.Missing {
			case MissingKeep:
				if f.float {
					setNaN(unsafe.Add(row, f.offset), f.float32)
				}
				continue // other types keep their zero value
			case MissingDrop:
				c.skipped++
				return false
			}
		}
		c.bad(c.wrap(err, f.column+1, f.name))
		return false
	}
	return true
}

func setNaN(p unsafe.Pointer, is32 bool) {
	if is32 {
		*(*float32)(p) = float32(math.NaN())
		return
	}
	*(*float64)(p) = math.NaN()
}

// bad handles a bad row by policy; false means stop.
func (c *CSV[T]) bad(err error) bool {
	if c.opts.BadRows == SkipBadRows {
		c.skip(err)
		return true
	}
	c.err, c.done = err, true
	return false
}

func (c *CSV[T]) skip(err error) {
	c.skipped++
	if len(c.kept) < maxKeptErrors {
		c.kept = append(c.kept, err)
	}
}

// Chunk returns the chunk Next decoded.
func (c *CSV[T]) Chunk() []T { return c.chunk }

// Err returns the error that stopped the reader, if any.
func (c *CSV[T]) Err() error { return c.err }

// Rows is the number of rows decoded so far.
func (c *CSV[T]) Rows() int64 { return c.rows }

// Skipped is the number of rows skipped (bad rows under SkipBadRows, and
// rows dropped for missing values under MissingDrop).
func (c *CSV[T]) Skipped() int { return c.skipped }

// SkippedErrors returns the errors of the first skipped rows (up to 100).
func (c *CSV[T]) SkippedErrors() []error { return c.kept }

// Chunks iterates over the chunks; an error ends the iteration as its last
// value.
func (c *CSV[T]) Chunks() iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		for c.Next() {
			if len(c.chunk) == 0 {
				continue
			}
			if !yield(c.chunk, nil) {
				return
			}
		}
		if c.err != nil {
			yield(nil, c.err)
		}
	}
}
