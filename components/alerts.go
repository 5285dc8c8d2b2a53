package components

import (
	"cmp"
	"time"
)

// Severity ranks an alert.
type Severity string

// The severities of an [Alert].
const (
	SeverityInfo     Severity = "info"
	SeverityWarning  Severity = "warning"
	SeverityCritical Severity = "critical"
)

// Alert is one line of an alert panel.
type Alert struct {
	Severity Severity
	Message  string
	// Source says where it comes from: "Lyon / Press 4".
	Source string
	// Time is when it was raised; a zero time shows none.
	Time time.Time
}

// Alerts is an alert panel: a list in the order given (callers sort, usually
// newest or most severe first), or an empty state.
type Alerts struct {
	Items []Alert
	// Empty is shown when there are no alerts; zero means "No active
	// alerts."
	Empty string
	// TimeLayout writes alert times; zero means "2006-01-02 15:04 MST".
	TimeLayout string
	// Max caps the alerts listed: the first Max are shown and a last line
	// says how many more there are ("3 more"). Zero means 10; a negative
	// Max lists every alert.
	Max int
}

type alertsView struct {
	ID, Empty string
	Items     []alertView
	More      int
}

type alertView struct {
	Severity                  Severity
	Message, Source, Time, At string
}

// Render implements [Component].
func (a Alerts) Render(id string) (Rendered, error) {
	const name = "Alerts"
	if err := checkID(name, id); err != nil {
		return Rendered{}, err
	}
	v := alertsView{ID: id, Empty: cmp.Or(a.Empty, "No active alerts.")}
	layout := cmp.Or(a.TimeLayout, "2006-01-02 15:04 MST")
	for i, it := range a.Items {
		switch it.Severity {
		case SeverityInfo, SeverityWarning, SeverityCritical:
		default:
			return Rendered{}, invalid(name, "alert %d: unknown severity %q", i, it.Severity)
		}
		av := alertView{Severity: it.Severity, Message: it.Message, Source: it.Source}
		if !it.Time.IsZero() {
			av.Time, av.At = it.Time.Format(layout), it.Time.Format(time.RFC3339)
		}
		v.Items = append(v.Items, av)
	}
	limit := a.Max
	if limit == 0 {
		limit = 10
	}
	if limit > 0 && len(v.Items) > limit {
		v.More = len(v.Items) - limit
		v.Items = v.Items[:limit]
	}
	html, err := execute("alerts", v)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: KindHTML, HTML: html}, nil
}
