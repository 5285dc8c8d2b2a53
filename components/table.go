package components

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Tone colours a table cell by a rule.
type Tone string

// The tones a [Highlight] can give a cell.
const (
	ToneGood    Tone = "good"
	ToneWarning Tone = "warning"
	ToneDanger  Tone = "danger"
)

// Highlight is a conditional style for a numeric column: cells above (or
// below) Value take the tone. When several highlights match, the last one
// wins, so list them from mild to severe.
type Highlight struct {
	Below bool // the rule matches values below Value; otherwise above it
	Value float64
	Tone  Tone
}

// Column is one typed column of a [Table]. Exactly one of Text, Numbers and
// Times holds its cells.
type Column struct {
	// Key names the column in sort requests and CSV headers; empty uses
	// Title.
	Key   string
	Title string
	Text  []string
	// Numbers are written by Format; a NaN is an empty cell.
	Numbers []float64
	// Times are written by TimeLayout; a zero time is an empty cell.
	Times  []time.Time
	Format NumberFormat
	// ExportDecimals is the digits after the point a number has in
	// [Table.Records] (CSV export): zero uses Format's Decimals (two more
	// for a percentage, which is exported as the fraction: 5.2% is 0.052;
	// none for a compact number, whose decimals are the compacted
	// number's: 2.4M is 2400000);
	// negative writes full precision, the shortest form that reads back as
	// the same float64. Exported numbers are never grouped, compacted or
	// given a symbol or unit, whatever Format says.
	ExportDecimals int
	TimeLayout     string // zero means "2006-01-02 15:04"
	Highlights     []Highlight
	// Links, when set, make each cell a drill-down link: one per row, ""
	// for none. A link is relative — "?sector=Energy" (this view with
	// other filters) or "../instruments/?id=7" (another dashboard) — so it
	// works under any mount prefix; an absolute URL is an error.
	Links []string
}

// Table is a table with typed columns, sorting, pagination and conditional
// styling, such as the top risk contributors. Its rows can be exported as
// CSV ([Table.Records]).
type Table struct {
	Caption string
	Columns []Column
	// SortBy is the key of the column to sort by; empty keeps the row
	// order. Ties keep their order, so sorting is deterministic.
	SortBy     string
	Descending bool
	// PageSize is the number of rows a page shows; zero shows them all.
	PageSize int
	// Page is the page shown, from 1; zero means 1. A page past the end
	// shows the last one.
	Page int
}

// WithView implements [TableViewer]: the table sorted by the column with
// key sortBy (empty keeps the row order), descending if desc, showing page
// (from 1; zero keeps Page). An unknown key is an error wrapping
// [ErrNoColumn], a page past the last one wrapping [ErrNoPage], and an
// invalid table its own error. The dashboard calls it with the request's
// sort and page state. (Page set directly is clamped to the last page
// instead, as its doc says.)
func (t Table) WithView(sortBy string, desc bool, page int) (Component, error) {
	if sortBy != "" {
		known := false
		for _, c := range t.Columns {
			known = known || c.key() == sortBy
		}
		if !known {
			return t, fmt.Errorf("%w: %q", ErrNoColumn, sortBy)
		}
		t.SortBy, t.Descending = sortBy, desc
	}
	if page > 0 {
		rows, err := t.check()
		if err != nil {
			return t, err
		}
		pages := 1
		if t.PageSize > 0 && rows > 0 {
			pages = (rows + t.PageSize - 1) / t.PageSize
		}
		if page > pages {
			return t, fmt.Errorf("%w: page %d of %d", ErrNoPage, page, pages)
		}
		t.Page = page
	}
	return t, nil
}

func (c Column) key() string {
	if c.Key != "" {
		return c.Key
	}
	return c.Title
}

func (c Column) len() int {
	switch {
	case c.Numbers != nil:
		return len(c.Numbers)
	case c.Times != nil:
		return len(c.Times)
	}
	return len(c.Text)
}

func (c Column) kind() string {
	switch {
	case c.Numbers != nil:
		return "number"
	case c.Times != nil:
		return "time"
	}
	return "text"
}

// check validates the table and returns its row count.
func (t Table) check() (int, error) {
	const name = "Table"
	if len(t.Columns) == 0 {
		return 0, invalid(name, "%q: no columns", t.Caption)
	}
	rows := t.Columns[0].len()
	keys := make(map[string]bool, len(t.Columns))
	for i, c := range t.Columns {
		set := 0
		for _, b := range []bool{c.Text != nil, c.Numbers != nil, c.Times != nil} {
			if b {
				set++
			}
		}
		if set > 1 {
			return 0, invalid(name, "%q: column %d (%q) sets more than one of Text, Numbers and Times", t.Caption, i, c.Title)
		}
		if c.len() != rows {
			return 0, invalid(name, "%q: column %q has %d cells; column %q has %d", t.Caption, c.Title, c.len(), t.Columns[0].Title, rows)
		}
		if keys[c.key()] {
			return 0, invalid(name, "%q: duplicate column key %q", t.Caption, c.key())
		}
		keys[c.key()] = true
		for j, v := range c.Numbers {
			if math.IsInf(v, 0) {
				return 0, invalid(name, "%q: column %q, row %d is %v", t.Caption, c.Title, j, v)
			}
		}
		if c.Links != nil && len(c.Links) != rows {
			return 0, invalid(name, "%q: column %q has %d links for %d rows", t.Caption, c.Title, len(c.Links), rows)
		}
		for j, l := range c.Links {
			if !relativeLink(l) {
				return 0, invalid(name, "%q: column %q, row %d: link %q is not a relative URL", t.Caption, c.Title, j, l)
			}
		}
		for _, h := range c.Highlights {
			if c.Numbers == nil {
				return 0, invalid(name, "%q: column %q: highlights apply to numbers only", t.Caption, c.Title)
			}
			switch h.Tone {
			case ToneGood, ToneWarning, ToneDanger:
			default:
				return 0, invalid(name, "%q: column %q: unknown tone %q", t.Caption, c.Title, h.Tone)
			}
		}
	}
	if t.SortBy != "" && !keys[t.SortBy] {
		return 0, invalid(name, "%q: no column %q to sort by", t.Caption, t.SortBy)
	}
	if t.PageSize < 0 || t.Page < 0 {
		return 0, invalid(name, "%q: negative PageSize or Page", t.Caption)
	}
	return rows, nil
}

// relativeLink reports whether l is empty or a URL relative to the page:
// no scheme, no host, no path from the root (a mounted dashboard's root is
// not the site's), and no backslash, which browsers read as a slash.
func relativeLink(l string) bool {
	if l == "" {
		return true
	}
	if strings.HasPrefix(l, "/") || strings.Contains(l, "\\") {
		return false
	}
	u, err := url.Parse(l)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}

// order returns the row indices in display order.
func (t Table) order(rows int) []int {
	idx := make([]int, rows)
	for i := range idx {
		idx[i] = i
	}
	if t.SortBy == "" {
		return idx
	}
	var col Column
	for _, c := range t.Columns {
		if c.key() == t.SortBy {
			col = c
		}
	}
	compare := func(a, b int) int {
		switch {
		case col.Numbers != nil:
			// NaN (an empty cell) sorts last either way.
			x, y := col.Numbers[a], col.Numbers[b]
			if math.IsNaN(x) || math.IsNaN(y) {
				return 0
			}
			return cmp.Compare(x, y)
		case col.Times != nil:
			return col.Times[a].Compare(col.Times[b])
		}
		return cmp.Compare(col.Text[a], col.Text[b])
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if col.Numbers != nil {
			na, nb := math.IsNaN(col.Numbers[a]), math.IsNaN(col.Numbers[b])
			if na != nb {
				if na {
					return 1
				}
				return -1
			}
		}
		if t.Descending {
			return compare(b, a)
		}
		return compare(a, b)
	})
	return idx
}

// cell writes one cell for display.
func (c Column) cell(i int) string {
	switch {
	case c.Numbers != nil:
		if math.IsNaN(c.Numbers[i]) {
			return ""
		}
		return c.Format.Format(c.Numbers[i])
	case c.Times != nil:
		if c.Times[i].IsZero() {
			return ""
		}
		layout := c.TimeLayout
		if layout == "" {
			layout = "2006-01-02 15:04"
		}
		return c.Times[i].Format(layout)
	}
	return c.Text[i]
}

// raw writes one cell for export: numbers plain, with the column's export
// decimals (see Column.ExportDecimals), times in RFC 3339.
func (c Column) raw(i int) string {
	switch {
	case c.Numbers != nil:
		v := c.Numbers[i]
		if math.IsNaN(v) {
			return ""
		}
		if math.IsInf(v, 0) {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		dec := c.ExportDecimals
		if dec == 0 {
			switch {
			case c.Format.Compact:
				// Decimals count digits of the compacted number: "2.4M"
				// is exported whole.
			case c.Format.Style == StylePercent:
				dec = max(c.Format.Decimals, 0) + 2
			default:
				dec = max(c.Format.Decimals, 0)
			}
		}
		if dec < 0 {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		s := strconv.FormatFloat(v, 'f', dec, 64)
		if isZero(s) {
			s = strings.TrimPrefix(s, "-") // no "-0.00"
		}
		return s
	case c.Times != nil:
		if c.Times[i].IsZero() {
			return ""
		}
		return c.Times[i].Format(time.RFC3339Nano)
	}
	return c.Text[i]
}

func (c Column) tone(i int) Tone {
	var tone Tone
	if c.Numbers == nil || math.IsNaN(c.Numbers[i]) {
		return tone
	}
	v := c.Numbers[i]
	for _, h := range c.Highlights {
		if (h.Below && v < h.Value) || (!h.Below && v > h.Value) {
			tone = h.Tone
		}
	}
	return tone
}

// Records returns the table for export: a header of column keys, then every
// row (all pages) in sort order, numbers as their column's format says
// (locale-free, the format's decimals; see Column.ExportDecimals) and times
// in RFC 3339. The strings are raw: a CSV writer that opens in spreadsheets must
// still neutralise formulas (the dashboard's export does).
func (t Table) Records() ([][]string, error) {
	rows, err := t.check()
	if err != nil {
		return nil, err
	}
	out := make([][]string, 0, rows+1)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.key()
	}
	out = append(out, header)
	for _, r := range t.order(rows) {
		rec := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			rec[i] = c.raw(r)
		}
		out = append(out, rec)
	}
	return out, nil
}

type tableView struct {
	ID, Caption string
	Head        []headView
	Rows        [][]cellView
	Empty       bool
	Pager       *pagerView
}

type headView struct {
	Key, Title, Kind, Sort string // Sort: "ascending", "descending" or ""
}

type cellView struct {
	Text, Kind string
	Tone       Tone
	Link       string
}

type pagerView struct {
	Page, Pages, First, Last, Total int
	Prev, Next                      int // 0 when there is none
}

// Render implements [Component].
func (t Table) Render(id string) (Rendered, error) {
	rows, err := checked("Table", id, t.check)
	if err != nil {
		return Rendered{}, err
	}
	v := tableView{ID: id, Caption: t.Caption, Empty: rows == 0}
	for _, c := range t.Columns {
		h := headView{Key: c.key(), Title: c.Title, Kind: c.kind()}
		if c.key() == t.SortBy {
			h.Sort = "ascending"
			if t.Descending {
				h.Sort = "descending"
			}
		}
		v.Head = append(v.Head, h)
	}
	order := t.order(rows)
	if t.PageSize > 0 && rows > 0 {
		pages := (rows + t.PageSize - 1) / t.PageSize
		page := min(max(t.Page, 1), pages)
		first := (page - 1) * t.PageSize
		last := min(first+t.PageSize, rows)
		order = order[first:last]
		p := &pagerView{Page: page, Pages: pages, First: first + 1, Last: last, Total: rows}
		if page > 1 {
			p.Prev = page - 1
		}
		if page < pages {
			p.Next = page + 1
		}
		v.Pager = p
	}
	for _, r := range order {
		row := make([]cellView, len(t.Columns))
		for i, c := range t.Columns {
			row[i] = cellView{Text: c.cell(r), Kind: c.kind(), Tone: c.tone(r)}
			if c.Links != nil {
				row[i].Link = c.Links[r]
			}
		}
		v.Rows = append(v.Rows, row)
	}
	html, err := execute("table", v)
	if err != nil {
		return Rendered{}, fmt.Errorf("components: table %s: %w", id, err)
	}
	return Rendered{Kind: KindHTML, HTML: html}, nil
}
