// Package connectors reads data for dashboards in bounded memory — CSV
// files (one or many, on several cores), SQL queries and JSON APIs — into
// a caller's structs in chunks, and processes the streams: mergeable
// aggregates, rolling windows, group-by with resampling, LTTB downsampling
// and data-quality checks.
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
// them on several goroutines; [ScanFiles] reads many files ([Glob]) a few
// at a time with [Progress] in files, bytes and rows. Per-part partials
// then merge.
//
// Only the columns a struct names are split and parsed, so an aggregate of
// one column reads about 1 GB/s on two cores (see BENCHMARKS.md).
//
// # SQL and HTTP
//
// [Query] streams a parameterized database/sql query into structs through
// `sql:"name"` tags; values travel as arguments, never in the query text.
// [Connect] opens a database and pings it within a timeout, so a database
// that accepts connections and never answers is [ErrUnreachable] at start
// rather than a hang.
// [FetchJSON] streams a JSON array or NDJSON body through `json` tags, with
// retries (jittered backoff, Retry-After) on 5xx, 429 and timeouts. It
// treats its URL as untrusted: by default it connects only to public
// addresses — checked on the address dialled, so DNS rebinding does not
// help — follows no redirects, bounds each attempt and the whole fetch in
// time, and bounds one record's size before buffering it, so a hostile
// server can neither reach internal services nor exhaust the heap.
// [HTTPOptions] opens what a deployment needs: AllowedHosts,
// MaxRedirects, AllowLoopback, AllowNetworks.
//
// # Sets in SQL
//
// A dashboard selection is often a set (several sectors, facilities,
// regions: dashboard's Params.Values). It still travels as arguments. With
// PostgreSQL (pgx), one array argument:
//
//	connectors.Query[Row](ctx, db, `SELECT … FROM positions WHERE sector = ANY($1)`, opts, sectors)
//
// With SQLite (or any driver without arrays), one placeholder per value,
// generated from the count by [Placeholders], the values by [Args]:
//
//	q := `SELECT … FROM positions WHERE sector IN (` + connectors.Placeholders(len(sectors)) + `)`
//	connectors.Query[Row](ctx, db, q, opts, connectors.Args(sectors)...)
//
// The text added is only "?" and ", ": no value is ever written into SQL.
// An empty set usually means "no filter": leave the condition out rather
// than query IN (NULL), which matches nothing.
//
// # Processors
//
// [Agg] (count, sum, mean, min, max, variance) and [Resampler] (group by a
// key, resample to a fixed interval: count, sum, mean, last) are partials
// that merge across chunks, parts and files. A [MultiResampler] keeps
// several named fields per bucket in one pass (count, sum, min, max, last
// of each; a [Measure] picks one out of a [Stat]). Buckets are UTC-aligned
// by default; [NewResamplerIn] and [NewMultiResampler] align them in a
// time zone (calendar days across DST, hours on the local hour). Package
// plot turns either into a chart or a card in one call. [Rolling] is a sliding
// window; [DropMissing] drops rows holding NaN; [LTTB] downsamples a series
// for a chart; a [Checker] runs [Rule]s — [Required], [Range], [OneOf],
// [Increasing], [Unique] — and reports violating rows rather than dropping
// them.
package connectors
