package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dashkit/dashkit/auth"
	"github.com/dashkit/dashkit/components"
	"github.com/dashkit/dashkit/dashboard"
	"github.com/dashkit/dashkit/oee"
)

// defaultRefresh is how often the plant moves (one simulated hour) and the
// panels update, as in the original's 10-second operations dashboard.
const defaultRefresh = 10 * time.Second

// window is how much simulated history the KPIs cover.
const window = 24 * time.Hour

type plant struct {
	st      *store
	alerter *oee.Alerter
	history int           // simulated hours to create on first start
	refresh time.Duration // how often the plant moves and the panels update
	logger  *slog.Logger
	started atomic.Bool // the database has answered and the simulator runs

	mu       sync.Mutex // guards the simulator, the memo, the alert log and the last failure
	sim      *simulator // nil until the database first answers
	memo     *view
	alerts   []components.Alert // active alerts, newest first
	failed   error              // the last database failure, answered again for retryAfter
	failedAt time.Time
}

// retryAfter is how long a database failure is answered from memory before
// the database is asked again: panels that ask together while it is down
// fail together, at once, instead of waiting their turn for a timeout.
const retryAfter = time.Second

// errNotStarted is the readiness error until the database first answers.
var errNotStarted = errors.New("the database has not answered since the start")

// view is one tick's computation, shared by every panel.
type view struct {
	at     time.Time
	report *oee.Report
}

func newPlant(st *store, history int, refresh time.Duration, logger *slog.Logger) (*plant, error) {
	al, err := oee.NewAlerter([]oee.Rule{
		{Name: "oee-low", Metric: oee.MetricOEE, Threshold: 0.60, Clear: 0.65, Severity: oee.Critical},
		{Name: "quality-low", Metric: oee.MetricQuality, Threshold: 0.97, Clear: 0.975, Severity: oee.Warning},
		{Name: "downtime-high", Metric: oee.MetricUnplannedDowntime, Above: true, Threshold: 600, Clear: 480, Severity: oee.Warning},
	})
	if err != nil {
		return nil, err
	}
	return &plant{st: st, alerter: al, history: history, refresh: cmp.Or(refresh, defaultRefresh), logger: logger}, nil
}

// start connects to the database and, on its first start, fills it with
// history. It is called at start, and again by every tick and panel until
// it succeeds.
func (p *plant) start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.startLocked(ctx)
}

func (p *plant) startLocked(ctx context.Context) error {
	if p.sim != nil {
		return nil
	}
	if err := p.recentFailureLocked(); err != nil {
		return err
	}
	last, err := p.st.latest(ctx)
	if err != nil {
		return p.failLocked(err)
	}
	fresh := last.IsZero()
	if fresh {
		last = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	sim := newSimulator(p.st, 7, last)
	if fresh {
		start := time.Now()
		for range p.history {
			if err := sim.step(ctx); err != nil {
				return p.failLocked(fmt.Errorf("simulate history: %w", err))
			}
		}
		p.logger.Info("simulated plant history", "hours", p.history, "elapsed", time.Since(start).Round(time.Millisecond))
	}
	p.sim, p.failed = sim, nil
	p.started.Store(true)
	return nil
}

// failLocked records a database failure: the memo goes, so panels show
// the error rather than an older hour as if it were current.
func (p *plant) failLocked(err error) error {
	p.memo, p.failed, p.failedAt = nil, err, time.Now()
	return err
}

func (p *plant) recentFailureLocked() error {
	if p.failed != nil && time.Since(p.failedAt) < retryAfter {
		return p.failed
	}
	return nil
}

// run moves the plant every refresh until ctx ends; while the database is
// down each tick tries again, so the plant recovers without a restart.
func (p *plant) run(ctx context.Context) {
	t := time.NewTicker(p.refresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := p.step(ctx); err != nil && ctx.Err() == nil {
				p.logger.Warn("simulator", "error", err)
			}
		}
	}
}

// step advances the plant one simulated hour and evaluates the alert rules.
func (p *plant) step(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.startLocked(ctx); err != nil {
		return err
	}
	p.failed = nil // a tick always asks the database
	if err := p.sim.step(ctx); err != nil {
		return p.failLocked(err)
	}
	v, err := p.computeLocked(ctx)
	if err != nil {
		return err
	}
	var subjects []oee.Subject
	for _, f := range facilities {
		subjects = append(subjects, oee.Subject{Facility: f, Totals: v.report.Facilities[f]})
	}
	for _, m := range v.report.Machines {
		subjects = append(subjects, oee.Subject{Facility: m.Facility, Machine: m.Machine, Totals: m.Totals})
	}
	for _, a := range p.alerter.Evaluate(subjects) {
		where := a.Facility
		if a.Machine != "" {
			where += " / " + a.Machine
		}
		if a.Cleared {
			p.alerts = slices.DeleteFunc(p.alerts, func(x components.Alert) bool { return x.Source == where && x.Message == messageFor(a) })
			continue
		}
		sev := map[oee.Severity]components.Severity{oee.Critical: components.SeverityCritical, oee.Warning: components.SeverityWarning, oee.Info: components.SeverityInfo}[a.Severity]
		p.alerts = slices.Insert(p.alerts, 0, components.Alert{Severity: sev, Message: messageFor(a), Source: where, Time: v.at})
	}
	return nil
}

// messageFor names the rule's condition, so a cleared alert finds its line.
func messageFor(a oee.Alert) string {
	switch a.Metric {
	case oee.MetricUnplannedDowntime:
		return fmt.Sprintf("Unplanned downtime above %.0f min in %v", a.Threshold, window)
	default:
		return fmt.Sprintf("%s below %.1f%%", a.Metric, a.Threshold*100)
	}
}

func (p *plant) current(ctx context.Context) (*view, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.startLocked(ctx); err != nil {
		return nil, err
	}
	return p.computeLocked(ctx)
}

func (p *plant) computeLocked(ctx context.Context) (*view, error) {
	if p.memo != nil && p.memo.at.Equal(p.sim.now) {
		return p.memo, nil
	}
	if err := p.recentFailureLocked(); err != nil {
		return nil, err
	}
	c, err := oee.NewCalculator(oee.Options{})
	if err != nil {
		return nil, err
	}
	if err := p.st.window(ctx, c, p.sim.now.Add(-window), p.sim.now); err != nil {
		return nil, p.failLocked(err)
	}
	r, err := c.Report(ctx)
	if err != nil {
		return nil, err
	}
	p.memo = &view{at: p.sim.now, report: r}
	return p.memo, nil
}

var pct = components.NumberFormat{Style: components.StylePercent, Decimals: 1}

func newDashboard(p *plant, base dashboard.Options) (*dashboard.Dashboard, error) {
	var facilityOpts []components.Option
	for _, f := range facilities {
		facilityOpts = append(facilityOpts, components.Option{Value: f})
	}
	wc := oee.WorldClass()
	kpi := func(id, title string, target float64, value func(oee.Totals) float64) dashboard.Panel {
		return dashboard.Panel{ID: id, Title: title, Width: 3, Data: func(ctx context.Context, _ dashboard.Params) (components.Component, error) {
			v, err := p.current(ctx)
			if err != nil {
				return nil, err
			}
			x := value(v.report.Global)
			scheme := components.SchemeSuccess
			if x < target {
				scheme = components.SchemeWarning
			}
			return components.MetricCard{Title: "Global, last 24 h", Value: x, Format: pct, Scheme: scheme,
				Subtitle: "World class " + pct.Format(target),
				Trend:    &components.Trend{Change: x/target - 1, Period: "vs world class"}}, nil
		}}
	}
	base.RefreshInterval = cmp.Or(base.RefreshInterval, p.refresh) // REFRESH_INTERVAL, else the plant's tick
	base.FilterPermission, base.ExportPermission = auth.ModifyFilters, auth.ExportData
	// Facilities are a set: a manager compares several (drag across the
	// comparison chart's bars, shift-click to add or remove one); the
	// default view is the first facility.
	base.Filters = []dashboard.Filter{{Name: "facility", Label: "Facility", Options: facilityOpts, Multiple: true, Default: []string{facilities[0]}}}
	base.Rows = []dashboard.Row{
		{Panels: []dashboard.Panel{
			kpi("oee", "OEE", wc.OEE(), oee.Totals.OEE),
			kpi("availability", "Availability", wc.Availability, oee.Totals.Availability),
			kpi("performance", "Performance", wc.Performance, oee.Totals.Performance),
			kpi("quality", "Quality", wc.Quality, oee.Totals.Quality),
		}},
		{Panels: []dashboard.Panel{
			{ID: "comparison", Title: "Efficiency by facility", Width: 8, Data: p.comparison,
				CrossFilter: &dashboard.CrossFilter{Filter: "facility"}},
			{ID: "pareto", Title: "Unplanned downtime by reason", Width: 4, Data: p.pareto},
		}},
		{Panels: []dashboard.Panel{
			{ID: "machines", Title: "Facility machines", Width: 6, Filters: []string{"facility"}, Export: true, Data: p.machines},
			{ID: "waterfall", Title: "Facility loss waterfall (hours)", Width: 3, Filters: []string{"facility"}, Data: p.waterfall},
			{ID: "alerts", Title: "Live alerts", Width: 3, Data: p.alertPanel},
		}},
	}
	return dashboard.New("Global Operations", base)
}

func (p *plant) comparison(ctx context.Context, _ dashboard.Params) (components.Component, error) {
	v, err := p.current(ctx)
	if err != nil {
		return nil, err
	}
	var a, pf, q, o []float64
	for _, f := range facilities {
		t := v.report.Facilities[f]
		a, pf, q, o = append(a, t.Availability()), append(pf, t.Performance()), append(q, t.Quality()), append(o, t.OEE())
	}
	return components.Bar{
		Description: "OEE, availability, performance and quality of each facility over the last 24 hours.",
		Categories:  facilities,
		Series:      []components.Series{{Name: "OEE", Values: o}, {Name: "Availability", Values: a}, {Name: "Performance", Values: pf}, {Name: "Quality", Values: q}},
		Format:      components.NumberFormat{Style: components.StylePercent},
	}, nil
}

func (p *plant) pareto(ctx context.Context, _ dashboard.Params) (components.Component, error) {
	v, err := p.current(ctx)
	if err != nil {
		return nil, err
	}
	var cats []string
	var mins []float64
	for _, it := range v.report.Pareto {
		cats = append(cats, it.Reason)
		mins = append(mins, it.Downtime.Minutes())
	}
	return components.Pareto{Description: "Unplanned downtime by reason across all facilities, largest first, with the cumulative share.",
		Categories: cats, Values: mins, Format: components.NumberFormat{Unit: "min"}}, nil
}

func (p *plant) machines(ctx context.Context, params dashboard.Params) (components.Component, error) {
	v, err := p.current(ctx)
	if err != nil {
		return nil, err
	}
	chosen := params.Values("facility")
	var name, line []string
	var o, a, pf, q, mtbf, mttr []float64
	for _, m := range v.report.Machines {
		if !slices.Contains(chosen, m.Facility) {
			continue
		}
		name, line = append(name, m.Machine), append(line, m.Line)
		o, a, pf, q = append(o, m.OEE()), append(a, m.Availability()), append(pf, m.Performance()), append(q, m.Quality())
		b, okB := m.MTBF()
		r, okR := m.MTTR()
		mtbf, mttr = append(mtbf, minutesOrNaN(b, okB)), append(mttr, minutesOrNaN(r, okR))
	}
	return components.Table{
		Caption: strings.Join(chosen, ", ") + " · last 24 h · MTBF and MTTR in minutes (empty: no failure)",
		Columns: []components.Column{
			{Key: "machine", Title: "Machine", Text: name},
			{Key: "line", Title: "Line", Text: line},
			{Key: "oee", Title: "OEE", Numbers: o, Format: pct, Highlights: []components.Highlight{{Below: true, Value: 0.65, Tone: components.ToneWarning}, {Below: true, Value: 0.6, Tone: components.ToneDanger}}},
			{Key: "availability", Title: "Avail.", Numbers: a, Format: pct},
			{Key: "performance", Title: "Perf.", Numbers: pf, Format: pct},
			{Key: "quality", Title: "Quality", Numbers: q, Format: pct},
			{Key: "mtbf_min", Title: "MTBF", Numbers: mtbf},
			{Key: "mttr_min", Title: "MTTR", Numbers: mttr, Format: components.NumberFormat{Decimals: 1}},
		},
	}, nil
}

func minutesOrNaN(d oee.Span, ok bool) float64 {
	if !ok {
		return nan
	}
	return d.Minutes()
}

func (p *plant) waterfall(ctx context.Context, params dashboard.Params) (components.Component, error) {
	v, err := p.current(ctx)
	if err != nil {
		return nil, err
	}
	var t oee.Totals
	for _, f := range params.Values("facility") {
		t = t.Add(v.report.Facilities[f])
	}
	var cats []string
	var hours []float64
	for _, s := range t.Waterfall() {
		if s.Name == "Not scheduled" || s.Name == "All time" {
			continue
		}
		cats = append(cats, s.Name)
		h := s.Time.Hours()
		if h < 0 {
			h = -h
		}
		hours = append(hours, h)
	}
	return components.Bar{Description: "Planned production time, each of the Six Big Losses, and the fully productive time that remains, in hours.",
		Categories: cats, Series: []components.Series{{Name: "Hours", Values: hours}}, Horizontal: true, Format: components.NumberFormat{Unit: "h"}}, nil
}

func (p *plant) alertPanel(ctx context.Context, _ dashboard.Params) (components.Component, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	items := slices.Clone(p.alerts)
	if len(items) > 12 {
		items = items[:12]
	}
	return components.Alerts{Items: items, Empty: "No active alerts: every facility is within its limits.", TimeLayout: "Jan 2 15:04"}, nil
}

// ping checks the plant's database for /readyz: not ready until the
// database has answered once (without waiting for a start in progress),
// then as long as it answers.
func (p *plant) ping(ctx context.Context) error {
	if !p.started.Load() {
		return errNotStarted
	}
	return p.st.ping(ctx)
}
