package dashboardtest_test

import (
	"context"
	"math"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/dashboard/dashboardtest"
)

func salesDashboard(t *testing.T, calls *atomic.Int64) *dashboard.Dashboard {
	t.Helper()
	d, err := dashboard.New("Sales", dashboard.Options{
		RefreshInterval: 10 * time.Second,
		Filters: []dashboard.Filter{{Name: "region", Label: "Region", Options: []components.Option{
			{Value: "north", Label: "North"}, {Value: "south", Label: "South"},
		}}},
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "revenue", Title: "Revenue", Filters: []string{"region"}, Data: func(ctx context.Context, p dashboard.Params) (components.Component, error) {
				n := calls.Add(1)
				t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
				return components.Line{Times: []time.Time{t0, t0.Add(time.Hour)}, Series: []components.Series{{Name: p.Value("region"), Values: []float64{float64(n), math.NaN()}}}}, nil
			}},
			{ID: "orders", Title: "Orders", Data: func(context.Context, dashboard.Params) (components.Component, error) {
				return components.MetricCard{Title: "Orders", Value: 42}, nil
			}},
		}}},
	})
	require.NoError(t, err)
	return d
}

func TestRenderChecksTheQueryAndGivesBothForms(t *testing.T) {
	var calls atomic.Int64
	d := salesDashboard(t, &calls)
	t.Cleanup(func() { _ = d.Close(context.Background()) })

	res, err := dashboardtest.Render(t.Context(), d, "revenue", "region=south")
	require.NoError(t, err)
	line := res.Component.(components.Line)
	require.Equal(t, "south", line.Series[0].Name)
	require.Equal(t, components.KindChart, res.Update.Kind)
	require.Equal(t, "revenue", res.Update.Panel)
	require.NotEmpty(t, res.Update.Hash)
	var opt struct {
		Series []struct {
			Name string `json:"name"`
			Data []struct {
				Value [2]any `json:"value"`
			} `json:"data"`
		} `json:"series"`
	}
	require.NoError(t, res.Option(&opt))
	require.Equal(t, "south", opt.Series[0].Name)
	require.Nil(t, opt.Series[0].Data[1].Value[1], "a NaN is a gap (null) in the option")

	_, err = dashboardtest.Render(t.Context(), d, "revenue", "region=west")
	require.ErrorIs(t, err, dashboard.ErrBadFilter)
	_, err = dashboardtest.Render(t.Context(), d, "nope", "")
	require.ErrorIs(t, err, dashboard.ErrNoPanel)

	res, err = dashboardtest.Render(t.Context(), d, "orders", "region=south")
	require.NoError(t, err)
	require.Equal(t, components.KindHTML, res.Update.Kind)
	require.Contains(t, res.Update.HTML, "42")
	require.Error(t, res.Option(&opt))
}

func TestCallBuildsParamsFromTheQuery(t *testing.T) {
	res, err := dashboardtest.Call(t.Context(), func(_ context.Context, p dashboard.Params) (components.Component, error) {
		from, to := p.Range("day")
		return components.MetricCard{Title: p.Value("region") + " " + from.Format(time.DateOnly), Value: float64(to.Day())}, nil
	}, "region=north&day_from=2026-03-01&day_to=2026-03-31")
	require.NoError(t, err)
	card := res.Component.(components.MetricCard)
	require.Equal(t, "north 2026-03-01", card.Title)
	require.Equal(t, 31.0, card.Value)
	require.Equal(t, dashboardtest.PanelID, res.Update.Panel)

	_, err = dashboardtest.Call(t.Context(), nil, "day_from=March")
	require.ErrorIs(t, err, dashboard.ErrBadFilter)
}

// TestEventsDriveIntervalsWithAFakeClock: five refresh intervals of a
// panel whose content changes each time deliver six updates (the first
// computation, then one per interval), while a constant panel delivers one;
// under synctest the 50 seconds take no real time.
func TestEventsDriveIntervalsWithAFakeClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int64
		d := salesDashboard(t, &calls)
		defer func() { require.NoError(t, d.Close(context.Background())) }()
		start := time.Now()
		// Start on an interval boundary, so the window holds exactly 5.
		time.Sleep(start.Truncate(10 * time.Second).Add(10 * time.Second).Sub(start))
		events, err := dashboardtest.Events(t.Context(), d, "region=north", 50*time.Second-time.Millisecond)
		require.NoError(t, err)
		byPanel := map[string]int{}
		seen := map[string]bool{}
		for _, e := range events {
			byPanel[e.Update.Panel]++
			require.False(t, seen[e.ID], "each update moves the stream's position: %q again", e.ID)
			seen[e.ID] = true
		}
		require.Equal(t, map[string]int{"revenue": 5, "orders": 1}, byPanel)

		_, err = dashboardtest.Events(t.Context(), d, "region=west", time.Second)
		require.ErrorContains(t, err, "400")
	})
}
