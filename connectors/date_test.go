package connectors

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Issue 15, point 9: the fast date paths accepted days past the end of the
// month (2023-02-31 became March 3). Each is now the error time.Parse would
// give, on both the date layout and the RFC 3339 fast path.
func TestFastDatePathsRefuseImpossibleDays(t *testing.T) {
	type stamped struct {
		At time.Time `csv:"at"`
	}
	for _, tc := range []struct {
		in   string
		want time.Time // zero: an error
	}{
		{"2023-02-31", time.Time{}},
		{"2023-02-29", time.Time{}},
		{"2023-04-31", time.Time{}},
		{"2024-02-29", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"2023-12-31", time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"2100-02-29", time.Time{}},
		{"2000-02-29", time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseDate([]byte(tc.in))
			if tc.want.IsZero() {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
			}
			_, ok := parseRFC3339UTC([]byte(tc.in + "T00:00:00Z"))
			require.Equal(t, !tc.want.IsZero(), ok, "fast RFC 3339 path")

			// Through the reader, the RFC 3339 layout falls back to
			// time.Parse, which refuses the day too.
			r, err := NewCSV[stamped](strings.NewReader("at\n"+tc.in+"T00:00:00Z\n"), CSVOptions{})
			require.NoError(t, err)
			var rows []stamped
			for chunk, err := range r.Chunks() {
				if tc.want.IsZero() {
					require.Error(t, err)
					return
				}
				require.NoError(t, err)
				rows = append(rows, chunk...)
			}
			require.Equal(t, []stamped{{tc.want}}, rows)
		})
	}
	_, ok := parseRFC3339UTC([]byte("2023-06-31T00:00:00Z"))
	require.False(t, ok, "2023-06-31T00:00:00Z")
}
