package components

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Option is one choice of a [Select].
type Option struct {
	Value string // what the filter receives
	Label string // what the user reads; empty shows Value
}

// Select is a dropdown, single or multiple choice, such as a facility
// picker. The dashboard wires it to the filter named Name and accepts only
// its options' values.
type Select struct {
	// Name is the filter the select drives: the same rules as an element
	// id (see [ValidID]).
	Name  string
	Label string
	// Options are offered in order; their values are unique.
	Options  []Option
	Selected []string
	Multiple bool
}

type selectView struct {
	ID, Name, Label string
	Multiple        bool
	Options         []optionView
}

type optionView struct {
	Value, Label string
	Selected     bool
}

// Render implements [Component]. A selected value that is not an option is
// an error: what a select shows must be what the filter holds.
func (s Select) Render(id string) (Rendered, error) {
	const name = "Select"
	if err := checkFilter(name, id, s.Name); err != nil {
		return Rendered{}, err
	}
	if len(s.Options) == 0 {
		return Rendered{}, invalid(name, "%q: no options", s.Name)
	}
	if !s.Multiple && len(s.Selected) > 1 {
		return Rendered{}, invalid(name, "%q: %d values selected in a single select", s.Name, len(s.Selected))
	}
	v := selectView{ID: id, Name: s.Name, Label: s.Label, Multiple: s.Multiple}
	seen := make(map[string]bool, len(s.Options))
	for _, o := range s.Options {
		if seen[o.Value] {
			return Rendered{}, invalid(name, "%q: duplicate option %q", s.Name, o.Value)
		}
		seen[o.Value] = true
		v.Options = append(v.Options, optionView{Value: o.Value, Label: cmp.Or(o.Label, o.Value), Selected: slices.Contains(s.Selected, o.Value)})
	}
	for _, sel := range s.Selected {
		if !seen[sel] {
			return Rendered{}, invalid(name, "%q: selected value %q is not an option", s.Name, sel)
		}
	}
	v.Label = cmp.Or(v.Label, s.Name)
	html, err := execute("select", v)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: KindHTML, HTML: html}, nil
}

// DateRange is a pair of date inputs, from and to, inclusive. The dashboard
// wires them to the filters Name+"_from" and Name+"_to".
type DateRange struct {
	Name     string // see [ValidID]
	Label    string
	From, To time.Time
	// Min and Max bound what can be picked; zero times leave it open.
	Min, Max time.Time
}

type dateRangeView struct {
	ID, Name, Label            string
	From, To, Min, Max         string
	FromLabel, ToLabel, Prefix string
}

const dateLayout = "2006-01-02"

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

// Render implements [Component].
func (d DateRange) Render(id string) (Rendered, error) {
	const name = "DateRange"
	if err := checkFilter(name, id, d.Name); err != nil {
		return Rendered{}, err
	}
	if !d.From.IsZero() && !d.To.IsZero() && d.To.Before(d.From) {
		return Rendered{}, invalid(name, "%q: to %s is before from %s", d.Name, d.To.Format(dateLayout), d.From.Format(dateLayout))
	}
	if !d.Min.IsZero() && !d.Max.IsZero() && d.Max.Before(d.Min) {
		return Rendered{}, invalid(name, "%q: max is before min", d.Name)
	}
	for _, t := range []time.Time{d.From, d.To} {
		if t.IsZero() {
			continue
		}
		if (!d.Min.IsZero() && t.Before(d.Min)) || (!d.Max.IsZero() && t.After(d.Max)) {
			return Rendered{}, invalid(name, "%q: %s is outside the allowed range", d.Name, t.Format(dateLayout))
		}
	}
	label := cmp.Or(d.Label, d.Name)
	html, err := execute("daterange", dateRangeView{
		ID: id, Name: d.Name, Label: label,
		From: dateOrEmpty(d.From), To: dateOrEmpty(d.To), Min: dateOrEmpty(d.Min), Max: dateOrEmpty(d.Max),
		FromLabel: fmt.Sprintf("%s from", label), ToLabel: fmt.Sprintf("%s to", label),
	})
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: KindHTML, HTML: html}, nil
}
