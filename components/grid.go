package components

import (
	"fmt"
	"html/template"
	"strconv"
)

// Cell is one component in a [Grid] row, spanning Width of the row's 12
// columns; zero shares what the row's other cells leave equally.
type Cell struct {
	Width   int
	Content Component
}

// GridRow is a horizontal band of cells.
type GridRow struct {
	Cells []Cell
}

// Grid lays components out in rows of a 12-column grid, such as four metric
// cards in one panel. On narrow screens cells stack. Charts inside a grid
// update with it, as one HTML fragment.
type Grid struct {
	Rows []GridRow
}

type gridView struct {
	ID   string
	Rows [][]gridCellView
}

type gridCellView struct {
	Width int
	HTML  template.HTML
}

// Render implements [Component]. Each cell's component renders with the id
// "<id>-<row>-<cell>".
func (g Grid) Render(id string) (Rendered, error) {
	const name = "Grid"
	if err := checkID(name, id); err != nil {
		return Rendered{}, err
	}
	v := gridView{ID: id}
	for r, row := range g.Rows {
		used, flexible := 0, 0
		for c, cell := range row.Cells {
			if cell.Width < 0 || cell.Width > 12 {
				return Rendered{}, invalid(name, "row %d, cell %d: width %d outside 0..12", r, c, cell.Width)
			}
			if cell.Content == nil {
				return Rendered{}, invalid(name, "row %d, cell %d: no content", r, c)
			}
			used += cell.Width
			if cell.Width == 0 {
				flexible++
			}
		}
		if used+flexible > 12 {
			return Rendered{}, invalid(name, "row %d is wider than 12 columns", r)
		}
		cells := make([]gridCellView, len(row.Cells))
		for c, cell := range row.Cells {
			w := cell.Width
			if w == 0 {
				w = (12 - used) / flexible
			}
			out, err := cell.Content.Render(id + "-" + strconv.Itoa(r) + "-" + strconv.Itoa(c))
			if err != nil {
				return Rendered{}, fmt.Errorf("grid %s, row %d, cell %d: %w", id, r, c, err)
			}
			cells[c] = gridCellView{Width: w, HTML: out.HTML}
		}
		v.Rows = append(v.Rows, cells)
	}
	html, err := execute("grid", v)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: KindHTML, HTML: html}, nil
}
