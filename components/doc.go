// Package components holds the values that render into dashboard panels:
// metric cards, charts, tables, inputs, alerts and layout.
//
// # Concepts
//
// A [Component] renders, given an element id, to a [Rendered]: the HTML for
// the page's first paint, and what a live update carries. HTML components
// update by replacing their fragment ([KindHTML]); charts update by handing a
// new option to their ECharts instance ([KindChart]). Rendering is
// deterministic — the same value and id give the same bytes — so golden
// files hold (see testdata/golden).
//
// # Families
//
//   - Cards: [MetricCard] — a value written by a [NumberFormat] (currency,
//     percent, compact 2.4M, units), a [Trend] whose colour knows whether up
//     is good or bad, a colour [Scheme] and an optional sparkline.
//   - Charts, as typed constructors of ECharts options: [Heatmap] (missing cells
//     left blank, one colour scale or one per column, a format per column),
//     [Line] (time or category axis, [Limit] lines, [Event] markers, zoom),
//     [Bar] (grouped, stacked, horizontal), [Pareto] (largest first,
//     cumulative share ending at exactly 100%), [Waterfall] (changes floating
//     from the running total, totals from zero) and [Gauge] (a KPI against a
//     target).
//   - [Table]: typed [Column]s with formats, sorting, pagination and
//     [Highlight] rules; [Table.Records] exports every row.
//   - Inputs the dashboard wires to filters: [Select] (single or multiple)
//     and [DateRange].
//   - [Alerts]: severity, message, source and time, at most [Alerts.Max] with
//     "N more", and an empty state; [Duration] writes "24 h", "10 min".
//   - Layout: [Grid] of rows and cells in 12 columns, stacking on narrow
//     screens. Page themes (light and dark) are the dashboard's.
//
// # Safety
//
// HTML goes through html/template, so every string a component holds — a
// title, a label, a series name, a table cell — is escaped for its context.
// Chart options are typed Go values, encoded as JSON with <, > and &
// escaped, and travel in a data attribute. The API has
// no way to pass JavaScript: number formats in charts travel as named
// formats ({"$dkFormat": …}) that the dashkit runtime turns into functions.
// Pages can therefore run under a strict Content-Security-Policy.
//
// # Chart options
//
// A chart's option is built as a Go value of this package's own option
// types (option.go: the part of the ECharts option dashkit draws with), and
// encoding/json encodes it once; [Rendered.Option] holds those bytes, and
// the container's data attribute the same bytes escaped.
//
// Earlier versions built options with go-echarts and then patched them:
// its option types drop a zero min or max (omitempty), hold the heatmap
// scale as float32, cannot write a null gap or a named number format, and
// always emit an empty toolbox and legend. Every chart therefore took
// go-echarts' option, encoded it, decoded it into maps, merged a patch of
// maps and encoded it again. Of the final option go-echarts supplied only
// the palette, the grid and a few axis fields, so the patch was most of the
// chart. Owning the types removes the round trip (a chart renders four to ten
// times faster with a third of the memory; see BENCHMARKS.md), makes every
// field's zero value a decision written next to it, and drops a dependency.
// The fields are declared in the order of their JSON names, so options are
// byte for byte what the patched maps encoded (the golden files did not
// change).
//
// # Layout
//
// Charts are laid out so that their texts cannot collide, whatever the
// data and the panel's size. Value axes get nice ticks (1, 2 or 5 × 10ⁿ)
// from the data — bars and filled lines from zero — labelled at the tick's
// precision ([NumberFormat.Tick]: "-$1.2B", "$600M"). The title, the legend
// (scrolling when long) and the plot have rows of their own; the plot
// contains its axis labels; a zoom slider has its own band under them;
// events are symbols on the line, named in the tooltip. The dashkit runtime
// fits each chart to its container on every update and resize: category
// labels are level, then upright, then every k-th, then truncated (the
// tooltip keeps the full name); value ticks grow coarser when their labels
// would touch; heatmap cell labels show only where they fit.
//
// # Accessibility
//
// Every chart has an accessible description (its Description, or one
// generated from its title and shape) as the container's aria-label and as
// ECharts' own aria description. In a dashboard every chart is focusable
// and described (aria-describedby) by a visually hidden table of its data,
// and a cross-filtering chart takes the arrow keys (through its
// categories), Enter (filter) and Escape (clear). Cards are labelled groups, trends are read
// as words ("up 5.2%"), inputs have labels, tables have captions and
// aria-sort.
//
// # Errors
//
// Bad input — a NaN headline value, a matrix that does not match its labels,
// a selected value that is not an option — is an error wrapping
// [ErrInvalid] that names the component and the place; nothing is silently
// drawn as zero.
package components
