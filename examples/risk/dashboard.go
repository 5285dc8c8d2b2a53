package main

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/risk"
)

// refresh is how often the market moves and the panels update unless
// REFRESH_INTERVAL says otherwise, as in the original's 5-second risk
// dashboard.
const refresh = 5 * time.Second

// varLimit is the desk's 1-day 99% VaR limit, as a multiple of the VaR at
// start, so the limit line sits in view whatever the portfolio size.
const varLimitFactor = 1.25

type app struct {
	m     *market
	limit float64
}

func newDashboard(m *market, base dashboard.Options) (*dashboard.Dashboard, error) {
	s, err := m.current(context.Background())
	if err != nil {
		return nil, err
	}
	f99, _ := s.report.Figure(0.99, 1)
	ap := &app{m: m, limit: varLimitFactor * f99.HistoricalVaR}
	var sectorOpts []components.Option
	for _, name := range sectorNames {
		sectorOpts = append(sectorOpts, components.Option{Value: name})
	}
	base.RefreshInterval = cmp.Or(base.RefreshInterval, refresh) // REFRESH_INTERVAL, else the market's tick
	base.FilterPermission = auth.ModifyFilters
	base.ExportPermission = auth.ExportData
	// Sectors are a set: none chosen is every sector; a manager picks
	// several on the heatmap (drag across rows, shift-click to add one).
	base.Filters = []dashboard.Filter{{Name: "sector", Label: "Sector", Options: sectorOpts, Multiple: true}}
	base.Rows = []dashboard.Row{
		{Panels: []dashboard.Panel{
			{ID: "var", Title: "1-day VaR (99%)", Width: 3, Data: ap.varCard},
			{ID: "es", Title: "Expected Shortfall (97.5%)", Width: 3, Filters: []string{"sector"}, Data: ap.esCard},
			{ID: "value", Title: "Portfolio value", Width: 3, Data: ap.valueCard},
			{ID: "backtest", Title: "Backtest (99%, 152 days)", Width: 3, Data: ap.backtestCard},
		}},
		{Panels: []dashboard.Panel{
			{ID: "heatmap", Title: "Risk by sector and type", Width: 6, Data: ap.heatmap,
				CrossFilter: &dashboard.CrossFilter{Filter: "sector", From: "y"}},
			{ID: "timeline", Title: "VaR timeline", Width: 6, Data: ap.timeline},
		}},
		{Panels: []dashboard.Panel{
			{ID: "top", Title: "Top 20 risk contributors", Width: 7, Filters: []string{"sector"}, Export: true, Data: ap.top},
			{ID: "stress", Title: "Stress tests", Width: 5, Data: ap.stress},
		}},
	}
	return dashboard.New("Portfolio Risk", base)
}

var money = components.NumberFormat{Style: components.StyleCurrency, Compact: true, Decimals: 2}

// change compares a figure with what the cards showed at the previous
// update, named by how long ago that was; nil before the second update.
func change(s *snapshot, pick func(*shown) float64) *components.Trend {
	if s.before == nil || pick(s.before) == 0 {
		return nil
	}
	ago := time.Duration(s.tick-s.before.tick) * s.step
	return &components.Trend{Change: pick(s.shown())/pick(s.before) - 1, Period: "vs " + ago.String() + " ago", UpIsBad: true}
}

func (a *app) varCard(ctx context.Context, _ dashboard.Params) (components.Component, error) {
	s, err := a.m.current(ctx)
	if err != nil {
		return nil, err
	}
	f, _ := s.report.Figure(0.99, 1)
	scheme := components.SchemePrimary
	if f.HistoricalVaR > a.limit {
		scheme = components.SchemeDanger
	}
	return components.MetricCard{
		Title: "Historical · 252-day window", Value: f.HistoricalVaR, Format: money,
		Subtitle:  fmt.Sprintf("Limit %s · normal %s · 10-day %s", money.Format(a.limit), money.Format(f.NormalVaR), money.Format(mustFigure(s, 0.99, 10).HistoricalVaR)),
		Trend:     change(s, func(v *shown) float64 { return v.var99 }),
		Scheme:    scheme,
		Sparkline: s.timeline.var99[max(0, len(s.timeline.var99)-40):],
	}, nil
}

func mustFigure(s *snapshot, c float64, h int) risk.Figure {
	f, _ := s.report.Figure(c, h)
	return f
}

// esCard is the portfolio's ES; with sectors selected, it says how much
// of it they contribute (their components of the ES split).
func (a *app) esCard(ctx context.Context, p dashboard.Params) (components.Component, error) {
	s, err := a.m.current(ctx)
	if err != nil {
		return nil, err
	}
	f := mustFigure(s, 0.975, 1)
	sub := "Normal " + money.Format(f.NormalES) + " · 99% VaR " + money.Format(mustFigure(s, 0.99, 1).HistoricalVaR)
	if chosen := p.Values("sector"); len(chosen) > 0 && s.split.Total != 0 {
		part := 0.0
		for _, name := range chosen {
			if i := slices.Index(sectorNames, name); i >= 0 && i < len(s.split.BySector) {
				part += s.split.BySector[i]
			}
		}
		sub = fmt.Sprintf("%s: %s of it (%.1f%%)", strings.Join(chosen, ", "), money.Format(part), 100*part/s.split.Total)
	}
	return components.MetricCard{
		Title: "Acerbi–Tasche · 252-day window", Value: f.HistoricalES, Format: money,
		Subtitle: sub,
		Trend:    change(s, func(v *shown) float64 { return v.es975 }),
		Scheme:   components.SchemeWarning,
	}, nil
}

func (a *app) valueCard(ctx context.Context, _ dashboard.Params) (components.Component, error) {
	s, err := a.m.current(ctx)
	if err != nil {
		return nil, err
	}
	last := s.report.PnL[len(s.report.PnL)-1]
	return components.MetricCard{
		Title: fmt.Sprintf("%s instruments, %d sectors", strconv.Itoa(a.m.n), len(sectorNames)), Value: s.report.Value, Format: money,
		Subtitle: "Day's P&L " + money.Format(last),
		Trend:    &components.Trend{Change: last / s.report.Value, Period: "today"},
		Scheme:   components.SchemeSuccess,
	}, nil
}

func (a *app) backtestCard(ctx context.Context, _ dashboard.Params) (components.Component, error) {
	s, err := a.m.current(ctx)
	if err != nil {
		return nil, err
	}
	b := s.backtest
	scheme := map[risk.Zone]components.Scheme{risk.Green: components.SchemeSuccess, risk.Yellow: components.SchemeWarning, risk.Red: components.SchemeDanger}[b.Zone]
	return components.MetricCard{
		Title: "Exceptions", Value: float64(b.Exceptions),
		Subtitle: fmt.Sprintf("Basel zone %s · expected %.1f · Kupiec p = %.2f", b.Zone, b.Expected*float64(b.Observations), b.PValue),
		Scheme:   scheme,
	}, nil
}

// heatmap shows the sector matrix in its own units — share of the split,
// days to liquidate, expected loss, operational score — each column
// coloured on its own range, so sectors differ visibly in every column; a
// missing input stays missing.
func (a *app) heatmap(ctx context.Context, _ dashboard.Params) (components.Component, error) {
	s, err := a.m.current(ctx)
	if err != nil {
		return nil, err
	}
	// Each column's format shows the smallest difference between sectors.
	column := func(j int) []float64 {
		out := make([]float64, len(s.matrix))
		for i, row := range s.matrix {
			out[i] = row[j]
		}
		return out
	}
	return components.Heatmap{
		Description: "Risk by sector (rows) and risk type (columns), each in its own unit and coloured on its own range: Market is the sector's " + s.split.Label() + " share, as in the contributors table; Liquidity is days to liquidate; Credit is expected loss; Operational is a score. Click a row, or drag across rows, to filter the contributors; shift-click adds or removes a row.",
		XLabels:     risk.RiskTypes(), YLabels: sectorNames, Values: s.matrix,
		ColumnFormats: []components.NumberFormat{
			components.NumberFormat{Style: components.StylePercent, Decimals: 1}.Distinct(column(0)),
			components.NumberFormat{Decimals: 1, Unit: "d"}.Distinct(column(1)),
			{Style: components.StyleCurrency, Compact: true, Decimals: 1},
			{Decimals: 0},
		},
		ScaleByColumn: true,
	}, nil
}

func (a *app) timeline(ctx context.Context, _ dashboard.Params) (components.Component, error) {
	s, err := a.m.current(ctx)
	if err != nil {
		return nil, err
	}
	n := len(s.timeline.var99)
	days := s.report.Days[len(s.report.Days)-n:]
	cats := make([]string, n)
	loss := make([]float64, n)
	pnl := s.report.PnL[len(s.report.PnL)-n:]
	for i := range n {
		cats[i] = "D" + strconv.Itoa(days[i]-days[0]+1)
		loss[i] = -pnl[i]
	}
	var events []components.Event
	for _, d := range s.backtest.ExceptionDays {
		events = append(events, components.Event{Series: 2, Index: d, Label: "Exception"})
	}
	return components.Line{
		Description: "One-day historical VaR at 95% and 99% over a trailing 100-day window, the day's loss, the limit, and backtest exceptions.",
		Categories:  cats,
		Series: []components.Series{
			{Name: "VaR 95% · 100-day window", Values: s.timeline.var95},
			{Name: "VaR 99% · 100-day window", Values: s.timeline.var99, Area: true},
			{Name: "Loss", Values: loss},
		},
		YFormat: components.NumberFormat{Style: components.StyleCurrency, Compact: true, Decimals: 1},
		Limits:  []components.Limit{{Name: "Limit " + money.Format(a.limit), Value: a.limit}},
		Events:  events,
		Zoom:    true,
	}, nil
}

func (a *app) top(ctx context.Context, p dashboard.Params) (components.Component, error) {
	s, err := a.m.current(ctx)
	if err != nil {
		return nil, err
	}
	chosen := p.Values("sector")
	split := s.split
	var picked []risk.Contributor
	if len(chosen) == 0 {
		picked = split.Top
	} else {
		in := make(map[int]bool, len(chosen))
		for _, name := range chosen {
			in[slices.Index(sectorNames, name)] = true
		}
		all, err := split.Contributions.Top(len(split.Component))
		if err != nil {
			return nil, err
		}
		for _, c := range all {
			if in[a.m.sectors[c.Instrument]] {
				picked = append(picked, c)
				if len(picked) == 20 {
					break
				}
			}
		}
	}
	names, sectors, links := make([]string, len(picked)), make([]string, len(picked)), make([]string, len(picked))
	comp, share, pos := make([]float64, len(picked)), make([]float64, len(picked)), make([]float64, len(picked))
	for i, c := range picked {
		names[i] = fmt.Sprintf("INS-%05d", c.Instrument)
		sectors[i] = sectorNames[a.m.sectors[c.Instrument]]
		// Drill down: the sector's own view of this dashboard, relative so
		// it works under any mount prefix.
		links[i] = "?" + url.Values{"sector": {sectors[i]}}.Encode()
		comp[i], share[i], pos[i] = c.Component, c.Share, a.m.positions[c.Instrument]
	}
	caption := "All sectors"
	if len(chosen) > 0 {
		caption = strings.Join(chosen, ", ")
	}
	// The components of the split add up to the ES card's figure.
	measure := split.Measure.String()
	return components.Table{
		Caption: fmt.Sprintf("%s · %s, %d days (components add up to %s)", caption, split.Label(), len(s.report.PnL), money.Format(split.Total)),
		Columns: []components.Column{
			{Key: "instrument", Title: "Instrument", Text: names},
			{Key: "sector", Title: "Sector", Text: sectors, Links: links},
			{Key: "position", Title: "Position", Numbers: pos, Format: money},
			{Key: "component_" + strings.ToLower(measure), Title: "Component " + measure, Numbers: comp, Format: components.NumberFormat{Style: components.StyleCurrency}},
			{Key: "share", Title: "Share of " + measure, Numbers: share, Format: components.NumberFormat{Style: components.StylePercent, Decimals: 2}.Distinct(share),
				Highlights: []components.Highlight{{Value: 0.002, Tone: components.ToneWarning}, {Value: 0.004, Tone: components.ToneDanger}}},
		},
	}, nil
}

func (a *app) stress(ctx context.Context, _ dashboard.Params) (components.Component, error) {
	s, err := a.m.current(ctx)
	if err != nil {
		return nil, err
	}
	names := []string{fmt.Sprintf("Worst day (D%d)", s.report.WorstDay+1)}
	pnl := []float64{-s.report.WorstDayLoss}
	for _, r := range s.report.Stress {
		names = append(names, r.Name)
		pnl = append(pnl, r.PnL)
	}
	return components.Bar{
		Description: "P&L of the portfolio under each stress scenario and on its worst historical day.",
		Categories:  names,
		Series:      []components.Series{{Name: "P&L", Values: pnl}},
		Horizontal:  true,
		Format:      components.NumberFormat{Style: components.StyleCurrency, Compact: true},
	}, nil
}
