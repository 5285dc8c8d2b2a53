package connectors

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCheckerReportsViolationsWithRows(t *testing.T) {
	in := `date,value,category,device_id,timestamp
2026-10-01,50,cat1,dev1,2026-10-01T00:00:00Z
2026-10-01,,cat1,dev2,2026-10-01T00:01:00Z
2026-10-01,150,cat1,dev1,2026-10-01T00:02:00Z
2026-10-01,51,catX,,2026-10-01T00:03:00Z
2026-10-01,52,cat2,dev1,2026-10-01T00:02:30Z
2026-10-01,53,cat2,dev1,2026-10-01T00:02:00Z
2026-10-01,54,cat2,dev3,2026-10-01T00:04:00Z
`
	r, err := NewCSV[sample](strings.NewReader(in), CSVOptions{Missing: MissingKeep, ChunkSize: 3})
	require.NoError(t, err)
	c := NewChecker(
		Required("device_id", func(s sample) Category { return s.Device }),
		Required("value", func(s sample) float64 { return s.Value }),
		Range("value", func(s sample) float64 { return s.Value }, 0, 100),
		OneOf("category", func(s sample) Category { return s.Category }, "cat1", "cat2"),
		Increasing("timestamp", func(s sample) time.Time { return s.Time }, false),
		Unique("device_id+timestamp", func(s sample) string { return string(s.Device) + "@" + s.Time.Format(time.RFC3339) }),
	)
	kept := 0
	for chunk, err := range r.Chunks() {
		require.NoError(t, err)
		kept += len(chunk) - c.Check(chunk)
	}
	require.Equal(t, int64(7), c.Rows())
	var got []string
	for _, v := range c.Violations() {
		got = append(got, v.String())
	}
	require.Equal(t, []string{
		"row 2: value required: missing",
		"row 2: value range: NaN outside [0, 100]",
		"row 3: value range: 150 outside [0, 100]",
		"row 4: device_id required: missing",
		"row 4: category allowed values: catX not allowed",
		"row 5: timestamp monotonic: 2026-10-01T00:02:30Z not after 2026-10-01T00:03:00Z",
		"row 6: timestamp monotonic: 2026-10-01T00:02:00Z not after 2026-10-01T00:03:00Z",
		"row 6: device_id+timestamp duplicate: dev1@2026-10-01T00:02:00Z first seen at row 3",
	}, got)
	require.Equal(t, 2, kept, "rows 1 and 7 are clean")
	require.Equal(t, int64(8), c.Total())
	require.Equal(t, int64(2), c.Counts()["value range"])

	// Past MaxKept, violations are counted, not kept.
	lim := NewChecker(Range("v", func(x float64) float64 { return x }, 0, 1))
	lim.MaxKept = 2
	require.Equal(t, 3, lim.Check([]float64{5, math.NaN(), -1, 0.5}))
	require.Len(t, lim.Violations(), 2)
	require.Equal(t, int64(3), lim.Total())

	strict := NewChecker(Increasing("t", func(t time.Time) time.Time { return t }, true))
	now := time.Now()
	require.Equal(t, 1, strict.Check([]time.Time{now, now, now.Add(time.Second)}))
}

func TestDropMissing(t *testing.T) {
	type rec struct{ A, B float64 }
	nan := math.NaN()
	in := []rec{{1, 2}, {nan, 2}, {3, nan}, {4, 5}}
	out, dropped := DropMissing(in, func(r rec) float64 { return r.A })
	require.Equal(t, 1, dropped)
	require.Len(t, out, 3)
	out, dropped = DropMissing(out, func(r rec) float64 { return r.A }, func(r rec) float64 { return r.B })
	require.Equal(t, 1, dropped)
	require.Equal(t, []rec{{1, 2}, {4, 5}}, out)
	same, dropped := DropMissing([]rec{{nan, nan}})
	require.Len(t, same, 1)
	require.Zero(t, dropped)
}
