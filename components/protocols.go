package components

import (
	"errors"
	"fmt"
)

// The optional protocols below are how a dashboard talks to a component
// beyond [Component.Render]. A container ([Grid]) implements each of them by
// forwarding to its children, so wrapping a component in a grid never
// silently turns a feature off.

// Downsampler is a component that can cap the points it sends to the
// browser. A dashboard calls Downsample with its MaxDataPoints before
// rendering; a non-positive max means no cap.
type Downsampler interface {
	Component
	Downsample(max int) Component
}

// TableViewer is a component whose presentation follows the page's sort and
// page state, such as [Table]. WithView returns the component sorted by the
// column with key sortBy (empty keeps the order), descending if desc,
// showing page (from 1; zero keeps the component's own). It returns an
// error wrapping [ErrNoColumn] when sortBy names no column, and one
// wrapping [ErrNoPage] when page is past the last: a request's view must
// be one the component can show.
type TableViewer interface {
	Component
	WithView(sortBy string, desc bool, page int) (Component, error)
}

// The refusals of [TableViewer.WithView].
var (
	// ErrNoColumn is wrapped when the sort names no column.
	ErrNoColumn = errors.New("components: no such column")
	// ErrNoPage is wrapped when the page is past the table's last.
	ErrNoPage = errors.New("components: no such page")
)

// Recorder is a component whose data can be exported as CSV, such as
// [Table]: a header row, then every row, raw (a CSV writer that opens in
// spreadsheets must still neutralise formulas). A Recorder that holds
// nothing to export returns an error wrapping [ErrNoRecords].
type Recorder interface {
	Component
	Records() ([][]string, error)
}

// ErrNoRecords is wrapped by [Recorder.Records] when a component has no data
// to export, such as a [Grid] without a table.
var ErrNoRecords = errors.New("components: no records to export")

// Downsample implements [Downsampler]: every cell's component that is a
// Downsampler is downsampled to max.
func (g Grid) Downsample(max int) Component {
	return g.mapCells(func(c Component) Component {
		if d, ok := c.(Downsampler); ok {
			return d.Downsample(max)
		}
		return c
	})
}

// WithView implements [TableViewer]: the view applies to every cell that is
// a TableViewer and has the sort's column. It is an error wrapping
// [ErrNoColumn] when no cell has it, and any other cell's error (a page
// past its last) is the grid's.
func (g Grid) WithView(sortBy string, desc bool, page int) (Component, error) {
	accepted := false
	var failed error
	out := g.mapCells(func(c Component) Component {
		v, ok := c.(TableViewer)
		if !ok {
			return c
		}
		nc, err := v.WithView(sortBy, desc, page)
		switch {
		case err == nil:
			accepted = true
			return nc
		case !errors.Is(err, ErrNoColumn) && failed == nil:
			failed = err
		}
		return c
	})
	switch {
	case failed != nil:
		return g, failed
	case !accepted:
		return g, fmt.Errorf("%w: no table in the grid has %q", ErrNoColumn, sortBy)
	}
	return out, nil
}

// Records implements [Recorder]: the records of the grid's only Recorder
// cell. A grid with none wraps [ErrNoRecords]; a grid with several is an
// error too, since one CSV file holds one table.
func (g Grid) Records() ([][]string, error) {
	found := g.recorders(nil)
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w: the grid holds no table", ErrNoRecords)
	case 1:
		return found[0].Records()
	}
	return nil, invalid("Grid", "%d cells can be exported; one CSV file holds one", len(found))
}

// recorders appends the grid's Recorder cells to found, looking inside
// nested grids.
func (g Grid) recorders(found []Recorder) []Recorder {
	for _, row := range g.Rows {
		for _, cell := range row.Cells {
			switch c := cell.Content.(type) {
			case Grid:
				found = c.recorders(found)
			case *Grid:
				found = c.recorders(found)
			case Recorder:
				found = append(found, c)
			}
		}
	}
	return found
}

// mapCells returns a copy of the grid with f applied to every cell's
// component; the grid itself is not changed.
func (g Grid) mapCells(f func(Component) Component) Grid {
	rows := make([]GridRow, len(g.Rows))
	for r, row := range g.Rows {
		cells := make([]Cell, len(row.Cells))
		for c, cell := range row.Cells {
			cell.Content = f(cell.Content)
			cells[c] = cell
		}
		rows[r] = GridRow{Cells: cells}
	}
	return Grid{Rows: rows}
}
