// Package connectors reads data for dashboards in bounded memory: typed,
// chunked CSV decoding (a fast path written for the job, several cores per
// file) and mergeable aggregates.
//
// # CSV
//
// [NewCSV] decodes records into a caller's struct through `csv:"name"` field
// tags, resolving columns by header name once. Rows arrive in chunks (10,000
// by default) through [CSV.Chunks] (an iter.Seq2) or [CSV.Next] /
// [CSV.Chunk] / [CSV.Err], with chunk memory reused on request. The reader
// handles RFC 4180 quotes (including newlines inside quotes), a UTF-8 BOM
// and CRLF. A bad row — an unterminated or bare quote, a wrong field count,
// a bad number or date — is a [*ParseError] naming file, line, column and
// field, or is skipped and counted ([SkipBadRows]). Line and field limits
// keep one stray quote from swallowing a file ([ErrTooLong]). Empty, NaN
// and infinite numbers (1e400 included) follow a [MissingPolicy]: error,
// drop the row, or keep NaN.
//
// [ScanFile] splits a file into byte ranges aligned on line ends and decodes
// them on several goroutines; per-part [Agg] partials then [Agg.Merge]
// exactly.
//
// Only the columns a struct names are split and parsed, so an aggregate of
// one column reads about 1 GB/s on two cores (see BENCHMARKS.md).
//
// Not yet here: SQL and HTTP JSON sources, many-file processing with
// progress, rolling windows, group-by with resampling, LTTB and data-quality
// checks.
package connectors
