package report_test

import (
	"bytes"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/report"
)

// TestWrite checks that text is escaped, each chart is inlined as an SVG
// that CSS can size, and nothing is loaded from elsewhere.
func TestWrite(t *testing.T) {
	p := plot.New()
	p.Title.Text = "chart"
	page := &report.Page{
		Title:     "Plan <Q1> & more",
		Headlines: []report.Headline{{Label: "Revenue", Value: "1.2M", Detail: "P10 900k to P90 1.5M"}},
		Charts:    []report.Chart{{Caption: `a "quoted" caption`, Plot: p}},
		Tables:    []report.Table{{Title: "T", Columns: []string{"a", "b"}, Rows: [][]string{{"<x>", "1"}}}},
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, page); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Plan &lt;Q1&gt; &amp; more", "<td>&lt;x&gt;</td>", `<svg role="img" aria-label="a &#34;quoted&#34; caption" viewBox=`, "1.2M"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, bad := range []string{"<?xml", "<script", `width="576pt"`} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
}

// TestPaper: --paper sets the page's CSS size, which the printer and a
// headless browser's PDF follow; without it the printer's own.
func TestPaper(t *testing.T) {
	for _, c := range []struct{ in, css string }{{"a4", "A4"}, {"Letter", "letter"}, {"", "auto"}} {
		page := &report.Page{Title: "t"}
		if c.in != "" {
			p, err := report.ParsePaper(c.in)
			if err != nil {
				t.Fatal(err)
			}
			page.Paper = p.CSS()
		}
		var buf bytes.Buffer
		if err := report.Write(&buf, page); err != nil {
			t.Fatal(err)
		}
		if want := "@page { size: " + c.css + "; margin: 12mm; }"; !strings.Contains(buf.String(), want) {
			t.Errorf("%q: no %q", c.in, want)
		}
	}
	if _, err := report.ParsePaper("legal"); err == nil {
		t.Error("legal paper accepted")
	}
}
