package connectors

import (
	"context"
	"database/sql"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/dashkit/dashkit/internal/tools/testenv"
)

type row struct {
	Device string  `sql:"device"`
	N      int64   `sql:"n"`
	Value  float64 `sql:"value"`
}

func TestQuerySQLite(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "r.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	_, err = db.ExecContext(ctx, `CREATE TABLE readings (device TEXT, n INTEGER, value REAL)`)
	require.NoError(t, err)
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	for i := range 25_000 {
		_, err := tx.ExecContext(ctx, `INSERT INTO readings VALUES ($1, $2, $3)`, "d"+string(rune('a'+i%5)), i, float64(i)/2)
		require.NoError(t, err)
	}
	require.NoError(t, tx.Commit())

	var sizes []int
	var sum float64
	for chunk, err := range Query[row](ctx, db, `SELECT device, n, value FROM readings WHERE n >= $1 ORDER BY n`, SQLOptions{ChunkSize: 10_000}, 5_000) {
		require.NoError(t, err)
		sizes = append(sizes, len(chunk))
		for _, r := range chunk {
			sum += r.Value
		}
	}
	require.Equal(t, []int{10_000, 10_000}, sizes)
	require.InDelta(t, float64(5000+24999)*20000/2/2, sum, 1e-6)

	// A value that looks like SQL stays a value.
	for chunk, err := range Query[row](ctx, db, `SELECT device, n, value FROM readings WHERE device = $1`, SQLOptions{}, "x' OR '1'='1") {
		require.NoError(t, err)
		require.Empty(t, chunk)
	}
	// A value that does not fit its field is an error naming the row across
	// chunk boundaries.
	var scanErr error
	for _, err := range Query[row](ctx, db, `SELECT device, n, CASE WHEN n = 12345 THEN NULL ELSE value END AS value FROM readings ORDER BY n`, SQLOptions{ChunkSize: 1000}) {
		if err != nil {
			scanErr = err
		}
	}
	require.ErrorContains(t, scanErr, "row 12346")
	// A column without a field is an error, not a silent drop.
	for _, err := range Query[row](ctx, db, `SELECT device, n, value, n AS extra FROM readings`, SQLOptions{}) {
		require.ErrorIs(t, err, ErrSchema)
		break
	}
}

// TestQueryPostgresStreamsMillionRowsInFlatMemory: one million rows arrive in
// chunks of 10,000 while the heap stays flat, and cancelling stops the
// query.
func TestQueryPostgresStreamsMillionRowsInFlatMemory(t *testing.T) {
	db, err := sql.Open("pgx", testenv.PostgresURL(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	const q = `SELECT 'dev' || (g % 500) AS device, g AS n, g * 0.5 AS value FROM generate_series(1, $1::int) AS g`
	var rows int64
	var chunks int
	// Live heap (after a collection, so garbage from earlier tests and
	// from pgx does not count) before and during the stream: a million
	// rows held at once would add about 50 MB.
	live := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := live()
	var peak uint64
	for chunk, err := range Query[row](ctx, db, q, SQLOptions{ReuseChunks: true}, 1_000_000) {
		require.NoError(t, err)
		rows += int64(len(chunk))
		chunks++
		if chunks%10 == 0 {
			peak = max(peak, live())
		}
	}
	require.Equal(t, int64(1_000_000), rows)
	require.Equal(t, 100, chunks)
	growth := int64(peak) - int64(base)
	require.Less(t, growth, int64(8<<20), "a million rows never sit in memory at once (live heap grew %d MB)", growth>>20)

	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	var got error
	for _, err := range Query[row](cctx, db, `SELECT 'x' AS device, g AS n, pg_sleep(0.01)::text::float8 * 0 AS value FROM generate_series(1, 1000) AS g`, SQLOptions{ChunkSize: 10}) {
		if err != nil {
			got = err
			break
		}
	}
	require.Error(t, got, "cancelling the context stops the query")
}

// TestQueryPostgresSetAsOneArray: a dashboard's set of values goes to
// PostgreSQL as one array argument, `= ANY($1)`, as the package doc says;
// a value that looks like SQL stays a value.
func TestQueryPostgresSetAsOneArray(t *testing.T) {
	db, err := sql.Open("pgx", testenv.PostgresURL(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	q := `SELECT device, n, value FROM (VALUES ('a', 1, 1.5), ('b', 2, 2.5), ('c', 3, 3.5)) AS r(device, n, value) WHERE device = ANY($1) ORDER BY n`
	var got []string
	for chunk, err := range Query[row](context.Background(), db, q, SQLOptions{}, []string{"c", "a", "x' OR '1'='1"}) {
		require.NoError(t, err)
		for _, r := range chunk {
			got = append(got, r.Device)
		}
	}
	require.Equal(t, []string{"a", "c"}, got)
}

func TestPlaceholders(t *testing.T) {
	require.Equal(t, "NULL", Placeholders(0))
	require.Equal(t, "?", Placeholders(1))
	require.Equal(t, "?, ?, ?", Placeholders(3))
	require.Equal(t, []any{"a", "b"}, Args([]string{"a", "b"}))
}
