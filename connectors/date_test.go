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

// TestFastTimesAreTimeParse: the fast paths give the very time.Time values
// time.Parse gives (compared with ==, so the location counts too) at the
// ends of the calendar, across leap days and the epoch; and through the
// reader, times the fast path does not take — offsets and fractional seconds —
// are time.Parse's, zone and all.
func TestFastTimesAreTimeParse(t *testing.T) {
	for _, s := range []string{
		"0000-01-01T00:00:00Z", "0000-02-29T12:00:00Z", "0000-03-01T00:00:00Z", "0001-01-01T00:00:00Z",
		"1600-02-29T01:02:03Z", "1900-03-01T00:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
		"2000-02-29T23:59:59Z", "2026-10-16T22:34:00Z", "2038-01-19T03:14:08Z", "9999-12-31T23:59:59Z",
	} {
		fast, ok := parseRFC3339UTC([]byte(s))
		slow, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err, s)
		require.True(t, ok, s)
		require.True(t, fast == slow, "%s: %#v, time.Parse %#v", s, fast, slow)
		day, err := parseDate([]byte(s[:10]))
		require.NoError(t, err, s)
		want, _ := time.Parse("2006-01-02", s[:10])
		require.True(t, day == want, "%s: %#v, time.Parse %#v", s[:10], day, want)
	}
	type stamped struct {
		At time.Time `csv:"at"`
	}
	ins := []string{"2026-10-16T22:34:00+02:00", "2026-10-16T22:34:00.123456789Z", "2026-10-16T22:34:00.5-07:30",
		"2026-10-16T22:34:00Z"}
	r, err := NewCSV[stamped](strings.NewReader("at\n"+strings.Join(ins, "\n")+"\n"), CSVOptions{})
	require.NoError(t, err)
	var got []time.Time
	for chunk, err := range r.Chunks() {
		require.NoError(t, err)
		for _, row := range chunk {
			got = append(got, row.At)
		}
	}
	require.Len(t, got, len(ins))
	for i, s := range ins {
		want, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err, s)
		require.True(t, got[i].Equal(want), s)
		require.Equal(t, want.Format(time.RFC3339Nano), got[i].Format(time.RFC3339Nano), s)
		_, wantOff := want.Zone()
		_, gotOff := got[i].Zone()
		require.Equal(t, wantOff, gotOff, s)
	}
}
