// Package report draws funnelsim's charts and writes the one-page meeting
// report.
//
// Charts is the registry of the kinds of chart: each Kind draws its
// figures from the Inputs it needs (a forecast, a comparison, a sweep, a
// backtest, a calibration) and carries the caption the report gives it.
// Build gathers a Page from a forecast and what else the inputs hold, and
// Write renders it as a self-contained HTML page (inline SVG charts, no
// scripts, nothing fetched) with the headline numbers, the charts and the
// key tables, laid out to print on A4 or letter.
package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"regexp"

	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/plots"
)

// Page is what the report shows: one printed page for a meeting (the
// answer in a sentence, the headline numbers, the lead chart, the
// decision and the assumptions that matter most), then, when asked for,
// an appendix after a page break.
type Page struct {
	// Paper is the CSS page size the page prints on: A4, letter, or auto
	// (the printer's).
	Paper    string
	Title    string
	Subtitle string // model, as-of date, horizon, trials, seed
	// Sentence is the answer in words.
	Sentence string
	// Trust says in a sentence how far to trust it: the model's track
	// record on its own history.
	Trust string
	// Headline numbers: a label and a value each, as they should read.
	Headlines []Headline
	// Lead is the one chart of page one; nil for none.
	Lead *Chart
	// Decision is the scenarios, best first; nil without scenarios.
	Decision *Table
	// Assumptions are the drivers that move revenue most, in words.
	Assumptions []string
	// Footer says what the appendix holds, or how to ask for it.
	Footer string

	// The appendix: every other chart, the tables and the notes.
	Charts []Chart
	Tables []Table
	Notes  []string
}

// Headline is one number in the report's head.
type Headline struct{ Label, Value, Detail string }

// Chart is one chart with its caption.
type Chart struct {
	Caption string
	Plot    *plot.Plot
}

// Table is a titled table of text cells; the first column is a label and
// the others are right-aligned numbers.
type Table struct {
	Title   string
	Columns []string
	Rows    [][]string
}

//go:embed report.html
var pageHTML string

var tmpl = template.Must(template.New("report").Parse(pageHTML))

type chartHTML struct {
	Caption string
	SVG     template.HTML
}

// xmlHead matches the XML declaration and comment before an SVG's root.
var xmlHead = regexp.MustCompile(`(?s)^.*?(<svg)`)

// sizeAttrs matches the root's fixed width and height, which CSS replaces.
var sizeAttrs = regexp.MustCompile(`^<svg width="[^"]*" height="[^"]*"`)

// Write renders p as HTML to w.
func Write(w io.Writer, p *Page) error {
	data := struct {
		*Page
		LeadSVG  *chartHTML
		SVGs     []chartHTML
		Appendix bool
	}{Page: p, Appendix: len(p.Charts)+len(p.Tables)+len(p.Notes) > 0}
	if p.Lead != nil {
		c, err := inline(*p.Lead)
		if err != nil {
			return err
		}
		data.LeadSVG = &c
	}
	for _, ch := range p.Charts {
		c, err := inline(ch)
		if err != nil {
			return err
		}
		data.SVGs = append(data.SVGs, c)
	}
	return tmpl.Execute(w, data)
}

// inline draws a chart as an SVG element to inline in the page.
func inline(c Chart) (chartHTML, error) {
	wt, err := c.Plot.WriterTo(plots.Size.W, plots.Size.H, "svg")
	if err != nil {
		return chartHTML{}, fmt.Errorf("report: chart %q: %w", c.Caption, err)
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return chartHTML{}, err
	}
	svg := xmlHead.ReplaceAll(plots.XMLSafe(buf.Bytes()), []byte("$1"))
	svg = sizeAttrs.ReplaceAll(svg, []byte(`<svg role="img" aria-label="`+string(plots.XMLSafe([]byte(template.HTMLEscapeString(c.Caption))))+`"`))
	return chartHTML{Caption: c.Caption, SVG: template.HTML(svg)}, nil
}
