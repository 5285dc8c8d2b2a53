package connectors

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"strings"
	"time"
	"unsafe"
)

// Placeholders returns n SQL placeholders, "?, ?, …, ?", for a generated
// "IN (…)" list of n arguments (see "Sets in SQL" in the package doc); for
// n ≤ 0 it returns "NULL", so "x IN (NULL)" is valid SQL that matches no
// row. The text depends on n alone, never on a value.
func Placeholders(n int) string {
	if n <= 0 {
		return "NULL"
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Args returns values as database/sql arguments, in order, for a query
// whose "IN (…)" list [Placeholders] wrote.
func Args[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// ErrUnreachable is the cause when [Connect] opens a database handle but
// the database does not answer its ping in time.
var ErrUnreachable = errors.New("connectors: database unreachable")

// DefaultConnectTimeout is how long [Connect] waits for a database's
// first answer when given no timeout.
const DefaultConnectTimeout = 5 * time.Second

// Connect opens a database through database/sql (sql.Open with driverName
// and dsn) and pings it within timeout (zero means
// [DefaultConnectTimeout]), so a program learns at start whether its
// database answers: sql.Open itself connects to nothing, and a first query
// against a database that accepts connections and never answers (a
// firewall that drops, a stopped VM) waits as long as its context lets it.
//
// A ping that fails or times out is an error wrapping ErrUnreachable, and
// the handle is closed. A service that should start without its database
// calls Connect again later (on its next tick, its next request) and
// reports not-ready until it succeeds; the handle, once returned,
// reconnects by itself as database/sql does.
func Connect(ctx context.Context, driverName, dsn string, timeout time.Duration) (*sql.DB, error) {
	if timeout <= 0 {
		timeout = DefaultConnectTimeout
	}
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("connectors: open %s: %w", driverName, err)
	}
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		if ctx.Err() != nil { // the caller gave up, not the database
			return nil, fmt.Errorf("connectors: connect %s: %w", driverName, ctx.Err())
		}
		return nil, fmt.Errorf("%w: %s did not answer within %v: %w", ErrUnreachable, driverName, timeout, err)
	}
	return db, nil
}

// SQLOptions configure [Query].
type SQLOptions struct {
	// ChunkSize is the number of rows per chunk; zero means 10,000.
	ChunkSize int
	// ReuseChunks reuses one chunk's memory for the next.
	ReuseChunks bool
}

// Query runs a parameterized query through database/sql and streams its
// rows into T in chunks. Columns map to T's fields by `sql:"name"` tags
// (matched case-insensitively against the result's column names; a column
// without a field is an error, so a SELECT * cannot silently grow). The
// query text is the caller's constant: values go in args, never into the
// text. Cancelling ctx stops the query.
//
//	for chunk, err := range connectors.Query[Reading](ctx, db, `SELECT device, ts, value FROM readings WHERE ts >= $1`, connectors.SQLOptions{}, since) { … }
func Query[T any](ctx context.Context, db *sql.DB, query string, opts SQLOptions, args ...any) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		if opts.ChunkSize <= 0 {
			opts.ChunkSize = 10_000
		}
		offsets, err := sqlFields[T]()
		if err != nil {
			yield(nil, err)
			return
		}
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			yield(nil, fmt.Errorf("connectors: query: %w", err))
			return
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			yield(nil, err)
			return
		}
		type target struct {
			offset uintptr
			typ    reflect.Type
		}
		targets := make([]target, len(cols))
		for i, c := range cols {
			f, ok := offsets[strings.ToLower(c)]
			if !ok {
				yield(nil, fmt.Errorf("%w: column %q has no `sql` field in %s", ErrSchema, c, reflect.TypeFor[T]()))
				return
			}
			targets[i] = target{f.Offset, f.Type}
		}
		dest := make([]any, len(cols))
		chunk := make([]T, 0, opts.ChunkSize)
		row := 0
		for rows.Next() {
			row++
			chunk = append(chunk, *new(T))
			base := unsafe.Pointer(&chunk[len(chunk)-1])
			for i, t := range targets {
				dest[i] = reflect.NewAt(t.typ, unsafe.Add(base, t.offset)).Interface()
			}
			if err := rows.Scan(dest...); err != nil {
				yield(nil, fmt.Errorf("connectors: row %d: %w", row, err))
				return
			}
			if len(chunk) == opts.ChunkSize {
				if !yield(chunk, nil) {
					return
				}
				if opts.ReuseChunks {
					chunk = chunk[:0]
				} else {
					chunk = make([]T, 0, opts.ChunkSize)
				}
			}
		}
		if err := rows.Err(); err != nil {
			yield(nil, fmt.Errorf("connectors: rows: %w", err))
			return
		}
		if len(chunk) > 0 {
			yield(chunk, nil)
		}
	}
}

// sqlFields maps lower-cased `sql` tag names to T's fields.
func sqlFields[T any]() (map[string]reflect.StructField, error) {
	fields, err := taggedFields[T]("sql")
	if err != nil {
		return nil, err
	}
	out := make(map[string]reflect.StructField, len(fields))
	for _, f := range fields {
		out[strings.ToLower(f.tag)] = f.StructField
	}
	return out, nil
}
