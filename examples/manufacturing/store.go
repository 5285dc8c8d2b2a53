package main

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, with DATABASE_URL
	_ "modernc.org/sqlite"             // the embedded default, no cgo

	"github.com/dashkit/dashkit/connectors"
	"github.com/dashkit/dashkit/oee"
)

// store keeps production records and downtime events in SQL: an embedded
// SQLite file by default, PostgreSQL when DATABASE_URL is set. Every query
// is a constant with placeholders; the only identifier that varies, the
// schema-qualified table prefix, is checked when the store is made.
//
// The store connects on first use, within connectTimeout, and bounds every
// operation by timeout: a database that accepts connections and never
// answers costs a request seconds, never a hang. Until it first answers,
// every operation fails fast with the connection's error and tries again;
// once connected, database/sql reconnects by itself.
type store struct {
	driver, dsn    string
	schema         string // "" or a validated schema name
	prefix         string // "" or "schema."
	connectTimeout time.Duration
	timeout        time.Duration

	mu sync.Mutex // guards db while connecting
	db *sql.DB    // nil until the database first answers
}

// Timeouts of the store when options leave them zero.
const (
	defaultConnectTimeout = 3 * time.Second
	defaultDBTimeout      = 5 * time.Second
)

// newStore checks the configuration and connects to nothing.
func newStore(databaseURL, sqlitePath, schema string, connectTimeout, timeout time.Duration) (*store, error) {
	s := &store{driver: "sqlite", dsn: "file:" + sqlitePath + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)",
		connectTimeout: cmp.Or(connectTimeout, defaultConnectTimeout), timeout: cmp.Or(timeout, defaultDBTimeout)}
	if databaseURL != "" {
		s.driver, s.dsn = "pgx", databaseURL
	}
	if schema != "" {
		if !validIdent(schema) {
			return nil, fmt.Errorf("schema %q: letters, digits and _ only", schema)
		}
		s.schema, s.prefix = schema, schema+"."
	}
	return s, nil
}

// openStore makes a store and connects it now.
func openStore(ctx context.Context, databaseURL, sqlitePath, schema string) (*store, error) {
	s, err := newStore(databaseURL, sqlitePath, schema, 0, 0)
	if err != nil {
		return nil, err
	}
	if _, err := s.conn(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// conn returns the database, connecting and creating the schema first if
// no attempt has succeeded yet.
func (s *store) conn(ctx context.Context) (*sql.DB, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db != nil {
		return s.db, nil
	}
	db, err := connectors.Connect(ctx, s.driver, s.dsn, s.connectTimeout)
	if err != nil {
		return nil, err
	}
	if s.driver == "sqlite" {
		db.SetMaxOpenConns(1) // one writer; SQLite serialises anyway
	}
	if err := s.createSchema(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	s.db = db
	return db, nil
}

func (s *store) createSchema(ctx context.Context, db *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if s.schema != "" {
		if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+s.schema); err != nil {
			return err
		}
	}
	for _, stmt := range []string{
		`CREATE TABLE IF NOT EXISTS ` + s.prefix + `records (
			facility TEXT NOT NULL, line TEXT NOT NULL, machine TEXT NOT NULL,
			start_unix BIGINT NOT NULL, end_unix BIGINT NOT NULL,
			planned_breaks_s BIGINT NOT NULL, ideal_cycle_ms BIGINT NOT NULL,
			total BIGINT NOT NULL, startup_rejects BIGINT NOT NULL, production_rejects BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS records_start ON ` + s.prefix + `records (start_unix)`,
		`CREATE TABLE IF NOT EXISTS ` + s.prefix + `events (
			facility TEXT NOT NULL, machine TEXT NOT NULL,
			start_unix BIGINT NOT NULL, end_unix BIGINT NOT NULL,
			reason TEXT NOT NULL, planned BOOLEAN NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS events_start ON ` + s.prefix + `events (start_unix)`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	return nil
}

// op returns the database and a context bounded by the store's timeout.
func (s *store) op(ctx context.Context) (*sql.DB, context.Context, context.CancelFunc, error) {
	db, err := s.conn(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	return db, ctx, cancel, nil
}

func validIdent(s string) bool {
	if s == "" || len(s) > 48 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return !strings.ContainsAny(s[:1], "0123456789")
}

func (s *store) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	return s.db.Close()
}

// latest returns the end of the newest record (zero without records).
func (s *store) latest(ctx context.Context) (time.Time, error) {
	db, ctx, cancel, err := s.op(ctx)
	if err != nil {
		return time.Time{}, err
	}
	defer cancel()
	var end sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(end_unix) FROM `+s.prefix+`records`).Scan(&end); err != nil {
		return time.Time{}, err
	}
	if !end.Valid {
		return time.Time{}, nil
	}
	return time.Unix(end.Int64, 0).UTC(), nil
}

// insert writes records and events in one transaction.
func (s *store) insert(ctx context.Context, recs []oee.Record, evs []oee.Event) error {
	db, ctx, cancel, err := s.op(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rs, err := tx.PrepareContext(ctx, `INSERT INTO `+s.prefix+`records VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`)
	if err != nil {
		return err
	}
	defer rs.Close()
	for _, r := range recs {
		if _, err := rs.ExecContext(ctx, r.Facility, r.Line, r.Machine, r.Start.Unix(), r.End.Unix(),
			int64(r.PlannedBreaks/time.Second), r.IdealCycleTime.Milliseconds(), r.TotalCount, r.StartupRejects, r.ProductionRejects); err != nil {
			return err
		}
	}
	es, err := tx.PrepareContext(ctx, `INSERT INTO `+s.prefix+`events VALUES ($1, $2, $3, $4, $5, $6)`)
	if err != nil {
		return err
	}
	defer es.Close()
	for _, e := range evs {
		if _, err := es.ExecContext(ctx, e.Facility, e.Machine, e.Start.Unix(), e.End.Unix(), e.Reason, e.Planned); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// window streams the records and events of [from, to) into a calculator,
// in chunks, as connectors would deliver them.
func (s *store) window(ctx context.Context, c *oee.Calculator, from, to time.Time) error {
	db, ctx, cancel, err := s.op(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	rows, err := db.QueryContext(ctx, `SELECT facility, line, machine, start_unix, end_unix, planned_breaks_s, ideal_cycle_ms, total, startup_rejects, production_rejects
		FROM `+s.prefix+`records WHERE start_unix >= $1 AND start_unix < $2`, from.Unix(), to.Unix())
	if err != nil {
		return err
	}
	chunk := make([]oee.Record, 0, 1024)
	for rows.Next() {
		var r oee.Record
		var start, end, breaks, ict int64
		if err := rows.Scan(&r.Facility, &r.Line, &r.Machine, &start, &end, &breaks, &ict, &r.TotalCount, &r.StartupRejects, &r.ProductionRejects); err != nil {
			rows.Close()
			return err
		}
		r.Start, r.End = time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
		r.PlannedBreaks, r.IdealCycleTime = time.Duration(breaks)*time.Second, time.Duration(ict)*time.Millisecond
		if chunk = append(chunk, r); len(chunk) == cap(chunk) {
			if err := c.AddRecords(ctx, chunk); err != nil {
				rows.Close()
				return err
			}
			chunk = chunk[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if err := c.AddRecords(ctx, chunk); err != nil {
		return err
	}
	erows, err := db.QueryContext(ctx, `SELECT facility, machine, start_unix, end_unix, reason, planned
		FROM `+s.prefix+`events WHERE start_unix >= $1 AND start_unix < $2`, from.Unix(), to.Unix())
	if err != nil {
		return err
	}
	defer erows.Close()
	evs := make([]oee.Event, 0, 1024)
	for erows.Next() {
		var e oee.Event
		var start, end int64
		if err := erows.Scan(&e.Facility, &e.Machine, &start, &end, &e.Reason, &e.Planned); err != nil {
			return err
		}
		e.Start, e.End = time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
		if evs = append(evs, e); len(evs) == cap(evs) {
			if err := c.AddEvents(ctx, evs); err != nil {
				return err
			}
			evs = evs[:0]
		}
	}
	if err := erows.Err(); err != nil {
		return err
	}
	return c.AddEvents(ctx, evs)
}

// ping checks the database for /readyz, within two seconds.
func (s *store) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	db, err := s.conn(ctx)
	if err != nil {
		return err
	}
	return db.PingContext(ctx)
}
