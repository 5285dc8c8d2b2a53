package oee

import (
	"errors"
	"fmt"
	"time"
)

// Loss is one of the Six Big Losses (Nakajima), the time categories OEE
// splits lost time into.
type Loss int

// The Six Big Losses, in waterfall order.
const (
	EquipmentFailure Loss = iota // availability: unplanned stops of the machine
	SetupAdjustments             // availability: changeovers, warm-up, adjustments
	IdlingMinorStops             // performance: stops shorter than the minor-stop threshold
	ReducedSpeed                 // performance: running below the ideal rate
	ProcessDefects               // quality: production rejects
	ReducedYield                 // quality: start-up rejects
	numLosses
)

var lossNames = [numLosses]string{"Equipment failure", "Setup and adjustments", "Idling and minor stops", "Reduced speed", "Process defects", "Reduced yield"}

// String names the loss.
func (l Loss) String() string {
	if l < 0 || l >= numLosses {
		return fmt.Sprintf("Loss(%d)", int(l))
	}
	return lossNames[l]
}

// Record is what a plant records for one machine over one period, such as a
// shift.
type Record struct {
	Facility, Line, Machine string
	// Start and End bound the period; End − Start is its all time.
	Start, End time.Time
	// PlannedBreaks is planned downtime in the period that is not recorded
	// as an event (meal and short breaks).
	PlannedBreaks time.Duration
	// IdealCycleTime is the fastest possible time per unit; when zero,
	// IdealRate (units per hour) gives it.
	IdealCycleTime time.Duration
	IdealRate      float64
	// TotalCount is every unit started; the rejects are part of it.
	TotalCount        int64
	StartupRejects    int64
	ProductionRejects int64
}

// Event is a stop of a machine. Planned stops (maintenance, no orders)
// leave planned production time; unplanned ones are losses, classified by
// Reason through the taxonomy.
type Event struct {
	Facility, Machine string
	Start, End        time.Time
	Reason            string
	Planned           bool
}

// DefaultTaxonomy returns a fresh map of common stop reasons to losses.
// Unplanned stops with a reason the taxonomy does not know count as
// equipment failure (the conservative availability loss) and are listed in
// Report.UnknownReasons.
func DefaultTaxonomy() map[string]Loss {
	return map[string]Loss{
		"breakdown":    EquipmentFailure,
		"failure":      EquipmentFailure,
		"tooling":      EquipmentFailure,
		"electrical":   EquipmentFailure,
		"mechanical":   EquipmentFailure,
		"setup":        SetupAdjustments,
		"changeover":   SetupAdjustments,
		"adjustment":   SetupAdjustments,
		"warmup":       SetupAdjustments,
		"material":     SetupAdjustments,
		"quality_hold": SetupAdjustments,
		"jam":          IdlingMinorStops,
		"blocked":      IdlingMinorStops,
		"starved":      IdlingMinorStops,
		"minor_stop":   IdlingMinorStops,
	}
}

// Errors. Every error about a record or an event wraps ErrInput and names
// the record.
var (
	// ErrInput is wrapped by every error about the caller's data: a bad
	// record, event, option or rule.
	ErrInput = errors.New("oee: invalid input")
	// ErrPerformanceAbove100 marks a record whose ideal cycle time makes
	// performance exceed 100%: the ideal is wrong, and the record is
	// rejected rather than capped. It wraps ErrInput.
	ErrPerformanceAbove100 = fmt.Errorf("%w: performance above 100%% (is the ideal cycle time too long?)", ErrInput)
)

// RecordError names the record at fault.
type RecordError struct {
	Facility, Machine string
	Start             time.Time
	Err               error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("oee: %s/%s at %s: %v", e.Facility, e.Machine, e.Start.Format(time.RFC3339), e.Err)
}

// Unwrap returns the cause.
func (e *RecordError) Unwrap() error { return e.Err }

func inputf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, args...))
}
