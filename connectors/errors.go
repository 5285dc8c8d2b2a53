package connectors

import (
	"errors"
	"fmt"
)

// Errors.
var (
	// ErrSchema is wrapped by errors about the destination type or the
	// header: an unsupported field type, a required column missing.
	ErrSchema = errors.New("connectors: schema")
	// ErrTooLong is the cause when a field or a line exceeds its limit,
	// such as a stray quote swallowing the rest of a file.
	ErrTooLong = errors.New("connectors: field or line too long")
	// ErrQuote is the cause for a malformed quoted field.
	ErrQuote = errors.New("connectors: bad quote")
	// ErrFieldCount is the cause for a row with the wrong number of
	// fields.
	ErrFieldCount = errors.New("connectors: wrong number of fields")
	// ErrMissing is the cause for an empty, NaN or infinite value under
	// the MissingError policy.
	ErrMissing = errors.New("connectors: missing value")
)

// ParseError names where a row went wrong: file, line (from 1), column
// (from 1, 0 for the whole line) and field name, with the cause.
type ParseError struct {
	File   string
	Line   int
	Column int
	Field  string
	Err    error
}

// Error is "file:line:column (field): cause".
func (e *ParseError) Error() string {
	where := e.File
	if where == "" {
		where = "input"
	}
	if e.Column == 0 {
		return fmt.Sprintf("%s:%d: %v", where, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d:%d (%s): %v", where, e.Line, e.Column, e.Field, e.Err)
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }
