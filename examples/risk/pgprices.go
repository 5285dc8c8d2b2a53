package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL through database/sql

	"github.com/dashkit/dashkit/connectors"
	"github.com/dashkit/dashkit/internal/tools/riskdata"
)

// pgPrices keeps the market's daily prices in PostgreSQL, one row per day
// with every instrument's price in a float8[] (253 rows of 50,000 prices
// rather than 12.6 million rows). Queries are constants with placeholders;
// the schema name, the only identifier that varies, is checked.
type pgPrices struct {
	db    *sql.DB
	table string
}

// Bounds on the database: connecting at start, and each statement but the
// initial load (which may seed 253 days of every instrument).
const (
	connectTimeout = 5 * time.Second
	stmtTimeout    = 5 * time.Second
)

// openPrices connects within connectTimeout: a database that accepts
// connections and never answers is an error wrapping
// connectors.ErrUnreachable, not a hang, so the example exits saying why
// (its prices live in the database; it has nothing to serve without them).
func openPrices(ctx context.Context, databaseURL, schema string) (*pgPrices, error) {
	if schema != "" && !validIdent(schema) {
		return nil, fmt.Errorf("schema %q: lower-case letters, digits and _ only", schema)
	}
	db, err := connectors.Connect(ctx, "pgx", databaseURL, connectTimeout)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, stmtTimeout)
	defer cancel()
	table := "risk_prices"
	if schema != "" {
		if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
			db.Close()
			return nil, err
		}
		table = schema + "." + table
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+table+` (day BIGINT PRIMARY KEY, prices FLOAT8[] NOT NULL)`); err != nil {
		db.Close()
		return nil, err
	}
	return &pgPrices{db: db, table: table}, nil
}

func validIdent(s string) bool {
	if s == "" || len(s) > 48 || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// load returns the last `days` days of prices, seeding the table with the
// synthetic history first when it holds fewer.
func (p *pgPrices) load(ctx context.Context, n, days int, seed uint64) (data []float64, last int64, err error) {
	var count int
	if err := p.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+p.table).Scan(&count); err != nil {
		return nil, 0, err
	}
	if count < days {
		hist, _ := riskdata.Prices(days, n, seed)
		tx, err := p.db.BeginTx(ctx, nil)
		if err != nil {
			return nil, 0, err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+p.table); err != nil {
			return nil, 0, err
		}
		for d := range days {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+p.table+` (day, prices) VALUES ($1, $2)`, int64(d), hist[d*n:(d+1)*n]); err != nil {
				return nil, 0, fmt.Errorf("seed day %d: %w", d, err)
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, 0, err
		}
	}
	rows, err := p.db.QueryContext(ctx, `SELECT day, prices FROM (SELECT day, prices FROM `+p.table+` ORDER BY day DESC LIMIT $1) recent ORDER BY day`, days)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	data = make([]float64, 0, days*n)
	types := pgtype.NewMap() // database/sql cannot scan float8[] by itself
	for rows.Next() {
		var row []float64
		if err := rows.Scan(&last, types.SQLScanner(&row)); err != nil {
			return nil, 0, err
		}
		if len(row) != n {
			return nil, 0, fmt.Errorf("day %d holds %d prices; the market has %d instruments (-instruments)", last, len(row), n)
		}
		data = append(data, row...)
	}
	return data, last, rows.Err()
}

// append stores one new day, within stmtTimeout: a database gone quiet
// mid-run fails the day's write (and /readyz) instead of stalling the
// market.
func (p *pgPrices) append(ctx context.Context, day int64, prices []float64) error {
	ctx, cancel := context.WithTimeout(ctx, stmtTimeout)
	defer cancel()
	_, err := p.db.ExecContext(ctx, `INSERT INTO `+p.table+` (day, prices) VALUES ($1, $2)`, day, prices)
	return err
}

func (p *pgPrices) close() error { return p.db.Close() }

// newMarketFrom builds a market on prices loaded from PostgreSQL.
func newMarketFrom(ctx context.Context, p *pgPrices, n, days int, seed uint64) (*market, error) {
	data, last, err := p.load(ctx, n, days, seed)
	if err != nil {
		return nil, err
	}
	m, err := newMarketOn(data, n, days, seed)
	if err != nil {
		return nil, err
	}
	m.day = last
	m.rng = rand.New(rand.NewPCG(seed, uint64(last)))
	m.persist = func(day int64, row []float64) error { return p.append(ctx, day, row) }
	return m, nil
}
