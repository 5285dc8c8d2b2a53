package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
)

// selectionDashboard has a multiple filter of 60 values, a date range and a
// number range, and a panel depending on all three.
func selectionDashboard(t testing.TB, maxValues int) *Dashboard {
	t.Helper()
	var opts []components.Option
	for i := range 60 {
		opts = append(opts, components.Option{Value: fmt.Sprintf("s%02d", i)})
	}
	d, err := New("t", Options{
		MaxFilterValues: maxValues,
		Filters: []Filter{
			{Name: "sector", Options: opts, Multiple: true},
			{Name: "period", DateRange: true, Min: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Max: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
			{Name: "score", NumberRange: true, Bounds: [2]float64{-10, 100}},
		},
		Rows: []Row{{Panels: []Panel{{ID: "p", Title: "P", Filters: []string{"sector", "period", "score"},
			Data: func(context.Context, Params) (components.Component, error) { return components.MetricCard{}, nil }}}}},
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	return d
}

// Sets and ranges have one canonical query however the URL writes them:
// values in option order without duplicates, numbers in their shortest
// form, -0 as 0, open ends as the bounds.
func TestSelectionCanonicalForm(t *testing.T) {
	d := selectionDashboard(t, 0)
	p := d.panels["p"]
	for _, tc := range []struct{ in, want string }{
		{"sector=s03&sector=s01&sector=s02", "period_from=&period_to=&score_from=-10&score_to=100&sector=s01&sector=s02&sector=s03"},
		{"sector=s02&sector=s01&sector=s02&sector=s03&sector=s01", "period_from=&period_to=&score_from=-10&score_to=100&sector=s01&sector=s02&sector=s03"},
		{"score_to=50.50&score_from=-0", "period_from=&period_to=&score_from=0&score_to=50.5"},
		{"score_from=1e1&score_to=0x1p5", "period_from=&period_to=&score_from=10&score_to=32"},
		{"score_from=&score_to=", "period_from=&period_to=&score_from=-10&score_to=100"},
		{"score_from=7&score_to=7", "period_from=&period_to=&score_from=7&score_to=7"},
		{"period_to=2026-06-30&period_from=2026-03-01", "period_from=2026-03-01&period_to=2026-06-30&score_from=-10&score_to=100"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			q, err := url.ParseQuery(tc.in)
			require.NoError(t, err)
			v, err := d.parseView(q)
			require.NoError(t, err)
			require.Equal(t, tc.want, v.of(p).filters)
		})
	}
	v, err := d.parseView(url.Values{"score_from": {"2.5"}, "sector": {"s07", "s05"}})
	require.NoError(t, err)
	params := v.of(p).params
	from, to, ok := params.NumberRange("score")
	require.True(t, ok)
	require.Equal(t, [2]float64{2.5, 100}, [2]float64{from, to})
	require.Equal(t, []string{"s05", "s07"}, params.Values("sector"))
	_, _, ok = params.NumberRange("sector")
	require.False(t, ok, "not a number range")
}

// A set or a range outside what the filter allows is refused with a
// message that says which filter and why.
func TestSelectionRefusals(t *testing.T) {
	d := selectionDashboard(t, 3)
	for _, tc := range []struct{ in, msg string }{
		{"sector=s01&sector=s02&sector=s03&sector=s04", `filter "sector" holds at most 3 values, got 4: select fewer`},
		{"sector=s01&sector=nope", `filter "sector" has no option "nope"`},
		{"score_from=101", "score_from: 101 is outside -10 to 100"},
		{"score_from=-11", "score_from: -11 is outside -10 to 100"},
		{"score_from=NaN", `score_from: "NaN" is not a number`},
		{"score_to=Inf", `score_to: "Inf" is not a number`},
		{"score_to=1e400", `score_to: "1e400" is not a number`},
		{"score_from=5&score_to=4", "score: to is below from"},
		{"score_from=1&score_from=2", "score_from takes one number"},
		{"score=3", `unknown parameter "score"`},
		{"sector_from=s01", `unknown parameter "sector_from"`},
		{"period_from=2025-12-31", "outside the allowed range"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			q, err := url.ParseQuery(tc.in)
			require.NoError(t, err)
			_, err = d.parseView(q)
			require.ErrorIs(t, err, ErrBadFilter)
			require.Contains(t, err.Error(), tc.msg)
		})
	}
}

// The default cap is 50 values.
func TestSelectionDefaultCap(t *testing.T) {
	d := selectionDashboard(t, 0)
	q := url.Values{}
	for i := range 50 {
		q.Add("sector", fmt.Sprintf("s%02d", i))
	}
	_, err := d.parseView(q)
	require.NoError(t, err)
	q.Add("sector", "s50")
	_, err = d.parseView(q)
	require.ErrorIs(t, err, ErrBadFilter)
	require.Contains(t, err.Error(), "at most 50 values, got 51")
}

// FuzzSelectionQuery: any query either is refused with ErrBadFilter or
// gives a view whose canonical query parses back to the same view, and is
// its own canonical form (a fixed point); sets hold allowed values, ranges
// stay in bounds.
func FuzzSelectionQuery(f *testing.F) {
	for _, s := range []string{
		"sector=s03&sector=s01", "score_from=-0&score_to=1e1", "score_from=0x1p3", "period_from=2026-02-03&period_to=2026-02-03",
		"sector=s01&sector=s01", "score_to=-10", "score_from=99.99999999999999", "sector=", "score_from=%2B5",
	} {
		f.Add(s)
	}
	d := selectionDashboard(f, 0)
	p := d.panels["p"]
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		v, err := d.parseView(q)
		if err != nil {
			if !errors.Is(err, ErrBadFilter) {
				t.Fatalf("%q: error %v does not wrap ErrBadFilter", raw, err)
			}
			return
		}
		canon := v.of(p).filters
		q2, err := url.ParseQuery(canon)
		if err != nil {
			t.Fatalf("canonical %q does not parse: %v", canon, err)
		}
		v2, err := d.parseView(q2)
		if err != nil {
			t.Fatalf("canonical %q of %q refused: %v", canon, raw, err)
		}
		if again := v2.of(p).filters; again != canon {
			t.Fatalf("canonical form is not stable: %q -> %q -> %q", raw, canon, again)
		}
		r := v.numbers["score"]
		if r[0] < -10 || r[1] > 100 || r[1] < r[0] {
			t.Fatalf("%q: range %v outside its bounds", raw, r)
		}
		if len(v.values["sector"]) > DefaultMaxFilterValues {
			t.Fatalf("%q: %d values", raw, len(v.values["sector"]))
		}
		for _, s := range v.values["sector"] {
			if n, err := strconv.Atoi(strings.TrimPrefix(s, "s")); err != nil || n >= 60 || !strings.HasPrefix(s, "s") {
				t.Fatalf("%q: value %q is not an option", raw, s)
			}
		}
	})
}

// A chart that sets a filter may not depend on it: it would filter itself
// away. A cross-filter on a range takes its range from the X axis.
func TestCrossFilterOptionsRefused(t *testing.T) {
	data := func(context.Context, Params) (components.Component, error) { return components.MetricCard{}, nil }
	filters := []Filter{
		{Name: "sector", Options: []components.Option{{Value: "a"}}, Multiple: true},
		{Name: "score", NumberRange: true, Bounds: [2]float64{0, 1}},
	}
	for _, tc := range []struct {
		name  string
		panel Panel
		msg   string
	}{
		{"itself", Panel{ID: "p", Title: "P", Data: data, Filters: []string{"sector"}, CrossFilter: &CrossFilter{Filter: "sector"}}, "would filter the chart itself away"},
		{"range from y", Panel{ID: "p", Title: "P", Data: data, CrossFilter: &CrossFilter{Filter: "score", From: "y"}}, "takes its range From x"},
		{"unknown", Panel{ID: "p", Title: "P", Data: data, CrossFilter: &CrossFilter{Filter: "nope"}}, "does not have"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New("t", Options{Filters: filters, Rows: []Row{{Panels: []Panel{tc.panel}}}})
			require.ErrorIs(t, err, ErrInvalidOptions)
			require.Contains(t, err.Error(), tc.msg)
		})
	}
	for _, bounds := range [][2]float64{{1, 1}, {2, 1}} {
		_, err := New("t", Options{Filters: []Filter{{Name: "score", NumberRange: true, Bounds: bounds}}})
		require.ErrorIs(t, err, ErrInvalidOptions, "bounds %v", bounds)
	}
}
