package oee

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"
)

// Metric is a KPI an alert rule watches.
type Metric int

// The metrics.
const (
	MetricOEE Metric = iota
	MetricAvailability
	MetricPerformance
	MetricQuality
	// MetricUnplannedDowntime is the minutes of availability losses
	// (failures and setups) in the totals the rule is given.
	MetricUnplannedDowntime
)

var metricNames = []string{"OEE", "Availability", "Performance", "Quality", "Unplanned downtime (min)"}

// String names the metric.
func (m Metric) String() string {
	if int(m) < 0 || int(m) >= len(metricNames) {
		return fmt.Sprintf("Metric(%d)", int(m))
	}
	return metricNames[m]
}

func (m Metric) of(t Totals) float64 {
	switch m {
	case MetricAvailability:
		return t.Availability()
	case MetricPerformance:
		return t.Performance()
	case MetricQuality:
		return t.Quality()
	case MetricUnplannedDowntime:
		return t.Losses[EquipmentFailure].Add(t.Losses[SetupAdjustments]).Minutes()
	}
	return t.OEE()
}

// Severity ranks an alert.
type Severity string

// The severities.
const (
	Info     Severity = "info"
	Warning  Severity = "warning"
	Critical Severity = "critical"
)

// Rule raises an alert when a metric crosses a threshold, and clears it only
// when the metric is back past Clear: the gap between the two (hysteresis)
// keeps a value hovering at the line from raising and clearing on every
// evaluation.
type Rule struct {
	Name   string
	Metric Metric
	// Above raises when the metric exceeds Threshold (downtime); otherwise
	// when it falls below it (OEE, quality).
	Above     bool
	Threshold float64
	// Clear is where an active alert clears: at or below it for an Above
	// rule, at or above it otherwise. It must lie on the healthy side of
	// Threshold (equal means no hysteresis).
	Clear    float64
	Severity Severity
}

// Subject is what a rule is evaluated on: a facility (Machine empty) or one
// machine, with its totals over the window of interest.
type Subject struct {
	Facility, Machine string
	Totals            Totals
}

// Alert is a raised (or, with Cleared, a cleared) alert.
type Alert struct {
	Rule              string
	Severity          Severity
	Facility, Machine string
	Metric            Metric
	Value, Threshold  float64
	Cleared           bool
}

// Message writes the alert for people: "OEE 0.61 below 0.70 at Porto / Press 2".
func (a Alert) Message() string {
	dir := "below"
	if a.Cleared {
		return fmt.Sprintf("%s back to %.3g at %s", a.Metric, a.Value, a.where())
	}
	if a.Metric == MetricUnplannedDowntime {
		dir = "above"
	}
	return fmt.Sprintf("%s %.3g %s %.3g at %s", a.Metric, a.Value, dir, a.Threshold, a.where())
}

func (a Alert) where() string {
	if a.Machine == "" {
		return a.Facility
	}
	return a.Facility + " / " + a.Machine
}

// Alerter evaluates rules over time, remembering which alerts are active. It
// is safe for concurrent use.
type Alerter struct {
	rules  []Rule
	mu     sync.Mutex
	active map[alertKey]bool
}

type alertKey struct {
	rule, facility, machine string
}

// NewAlerter checks the rules and returns an alerter.
func NewAlerter(rules []Rule) (*Alerter, error) {
	names := make(map[string]bool)
	for _, r := range rules {
		switch {
		case r.Name == "" || names[r.Name]:
			return nil, fmt.Errorf("%w: rule names must be unique and not empty (%q)", ErrInput, r.Name)
		case math.IsNaN(r.Threshold) || math.IsNaN(r.Clear) || math.IsInf(r.Threshold, 0) || math.IsInf(r.Clear, 0):
			return nil, fmt.Errorf("%w: rule %q: threshold %v and clear level %v must be finite", ErrInput, r.Name, r.Threshold, r.Clear)
		case r.Metric < 0 || int(r.Metric) >= len(metricNames):
			return nil, fmt.Errorf("%w: rule %q: unknown metric %d", ErrInput, r.Name, int(r.Metric))
		case r.Above && r.Clear > r.Threshold, !r.Above && r.Clear < r.Threshold:
			return nil, fmt.Errorf("%w: rule %q: Clear %v is on the alerting side of Threshold %v", ErrInput, r.Name, r.Clear, r.Threshold)
		}
		switch r.Severity {
		case Info, Warning, Critical:
		default:
			return nil, fmt.Errorf("%w: rule %q: unknown severity %q", ErrInput, r.Name, r.Severity)
		}
		names[r.Name] = true
	}
	return &Alerter{rules: slices.Clone(rules), active: make(map[alertKey]bool)}, nil
}

// Evaluate applies every rule to every subject and returns the alerts that
// were raised or cleared by this evaluation, most severe first. A subject
// without planned production time is skipped (its ratios are undefined).
func (a *Alerter) Evaluate(subjects []Subject) []Alert {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Alert
	for _, s := range subjects {
		if s.Totals.PlannedTime.Sign() <= 0 {
			continue
		}
		for _, r := range a.rules {
			v := r.Metric.of(s.Totals)
			k := alertKey{r.Name, s.Facility, s.Machine}
			breach := (r.Above && v > r.Threshold) || (!r.Above && v < r.Threshold)
			healthy := (r.Above && v <= r.Clear) || (!r.Above && v >= r.Clear)
			al := Alert{Rule: r.Name, Severity: r.Severity, Facility: s.Facility, Machine: s.Machine, Metric: r.Metric, Value: v, Threshold: r.Threshold}
			switch {
			case !a.active[k] && breach:
				a.active[k] = true
				out = append(out, al)
			case a.active[k] && healthy:
				delete(a.active, k)
				al.Cleared = true
				out = append(out, al)
			}
		}
	}
	rank := map[Severity]int{Critical: 0, Warning: 1, Info: 2}
	slices.SortStableFunc(out, func(x, y Alert) int { return cmp.Compare(rank[x.Severity], rank[y.Severity]) })
	return out
}

// Active returns the number of active alerts.
func (a *Alerter) Active() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.active)
}
