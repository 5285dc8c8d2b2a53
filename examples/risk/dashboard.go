package main

import (
	"context"
	"io/fs"
	"log/slog"
	"time"

	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
)

// refresh is how often the market moves and the panels update, as in the
// original's 5-second risk dashboard.
const refresh = 5 * time.Second

func newDashboard(f *feed, assets fs.FS, logger *slog.Logger) (*dashboard.Dashboard, error) {
	return dashboard.New("Portfolio Risk", dashboard.Options{
		Assets:          assets,
		Logger:          logger,
		RefreshInterval: refresh,
		Rows: []dashboard.Row{{Panels: []dashboard.Panel{
			{ID: "score", Title: "Portfolio risk", Width: 4, Data: f.scoreCard},
			{ID: "heatmap", Title: "Risk by sector and type", Width: 8, Data: f.heatmap},
		}}},
	})
}

func (f *feed) scoreCard(context.Context, dashboard.Params) (components.Component, error) {
	now, prev := f.snapshot(f.tick()), f.snapshot(f.tick()-1)
	return components.MetricCard{
		Title:    "Mean risk score",
		Value:    now.Mean,
		Format:   components.NumberFormat{Decimals: 1, Unit: "/ 100"},
		Subtitle: "Synthetic market, 11 sectors × 4 risk types",
		Trend:    &components.Trend{Change: now.Mean/prev.Mean - 1, Period: "vs previous tick", UpIsBad: true},
		Scheme:   components.SchemeWarning,
	}, nil
}

func (f *feed) heatmap(context.Context, dashboard.Params) (components.Component, error) {
	s := f.snapshot(f.tick())
	return components.Heatmap{
		Title:       "Risk score (0–100)",
		Description: "Risk score by sector (rows) and risk type (columns), 0 to 100",
		XLabels:     riskTypes,
		YLabels:     sectors,
		Values:      s.Scores,
		Format:      components.NumberFormat{Decimals: 0},
	}, nil
}
