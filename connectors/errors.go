package connectors

import (
	"errors"
	"fmt"
	"time"
)

// Errors. Each is wrapped, with what went wrong where, by the errors the
// package returns: test for them with [errors.Is].
var (
	// Parsing a file or a response.

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

	// The limits of [FetchJSON].

	// ErrBodyTooLarge reports a response past [HTTPOptions.MaxBytes].
	ErrBodyTooLarge = errors.New("connectors: response body too large")
	// ErrRecordTooLarge reports one JSON value (a record, or a stray
	// string) past [HTTPOptions.MaxRecordBytes], found before it is
	// buffered whole.
	ErrRecordTooLarge = errors.New("connectors: JSON record too large")

	// The refusals of [FetchJSON], an untrusted-URL client.

	// ErrAddressNotAllowed is the cause when a connection would go to a
	// loopback, private, link-local, multicast or otherwise non-public
	// address that [HTTPOptions] does not allow. The check is made on the
	// address being dialled, after name resolution, so a name that
	// resolves (or rebinds) to such an address is refused too.
	ErrAddressNotAllowed = errors.New("connectors: address not allowed")
	// ErrHostNotAllowed is the cause when a URL, or a redirect, names a
	// host outside [HTTPOptions.AllowedHosts], or a scheme other than
	// http and https.
	ErrHostNotAllowed = errors.New("connectors: host not allowed")
	// ErrRedirect is the cause when a response redirects more often than
	// [HTTPOptions.MaxRedirects] allows (by default, at all).
	ErrRedirect = errors.New("connectors: redirect not followed")
)

// positiveOr is v, or def when v is zero or negative: the default of an
// option whose zero value means "the default".
func positiveOr[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

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
