package components

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"regexp"
)

// Kind says how a live update replaces a component in the page.
type Kind string

// The kinds of [Rendered] output.
const (
	// KindHTML replaces the panel body with an escaped HTML fragment.
	KindHTML Kind = "html"
	// KindChart passes a new option to the panel's ECharts instance.
	KindChart Kind = "chart"
)

// Rendered is a component turned into what a page and its live updates need.
type Rendered struct {
	// Kind says how an update applies: as HTML or as a chart option.
	Kind Kind
	// HTML is the markup for the first paint. For a chart it is the chart's
	// container, which carries the option in an escaped data attribute.
	HTML template.HTML
	// Option is the ECharts option as JSON (KindChart only), with <, > and &
	// escaped so it is inert wherever it is embedded.
	Option json.RawMessage
	// Label is a chart's accessible description (KindChart only), also set
	// as the container's aria-label.
	Label string
}

// Component is a value that renders into a dashboard panel.
//
// Render must be deterministic: the same value and id give the same bytes, so
// pages and golden files are stable. id is unique on the page and matches
// [ValidID]; components use it (and suffixes of it) for element IDs.
type Component interface {
	Render(id string) (Rendered, error)
}

// ErrInvalid is wrapped by every error a component returns for bad input.
var ErrInvalid = errors.New("components: invalid input")

// ValidID reports whether id can name an element: a lower-case letter, then
// lower-case letters, digits, '-' or '_', at most 64 in all.
func ValidID(id string) bool { return idPattern.MatchString(id) }

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,63}$`)

func invalid(component, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalid, component, fmt.Sprintf(format, args...))
}

func checkID(component, id string) error {
	if !ValidID(id) {
		return invalid(component, "element id %q must match %s", id, idPattern)
	}
	return nil
}

// checked checks the element id, then runs the component's own check and
// returns what it found (a point count, the rows, the ranked items).
func checked[T any](component, id string, check func() (T, error)) (T, error) {
	if err := checkID(component, id); err != nil {
		var zero T
		return zero, err
	}
	return check()
}

// checkFilter checks the element id and the name of the filter an input
// sets.
func checkFilter(component, id, name string) error {
	if err := checkID(component, id); err != nil {
		return err
	}
	if !ValidID(name) {
		return invalid(component, "filter name %q must match %s", name, idPattern)
	}
	return nil
}
