package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
)

// winsHistogram is a kind of chart as a new one is added: this
// declaration in a file of its own, a test, and a line in report.Charts
// (here, the append in TestNewKind).
var winsHistogram = report.Kind{
	Name:    "wins-histogram",
	Caption: "Wins over all trials.",
	Figures: func(in *report.Inputs) []report.Figure {
		if in.Result == nil {
			return nil
		}
		return []report.Figure{{Name: "wins-histogram", Draw: func() (*plot.Plot, error) {
			wins, _ := in.Result.Metric("wins")
			h, err := plotter.NewHist(plotter.Values(wins), 20)
			if err != nil {
				return nil, err
			}
			p := plot.New()
			p.Add(h)
			return p, nil
		}}}
	},
}

// TestNewKind: a kind added to the registry is drawn wherever its inputs
// are, by --plots and in the report, with its caption.
func TestNewKind(t *testing.T) {
	in := inputs(t)
	charts := append(slices.Clone(report.Charts), winsHistogram)
	var names []string
	for _, f := range charts.Figures(in) {
		names = append(names, f.Name)
	}
	if !slices.Contains(names, "wins-histogram") {
		t.Fatalf("figures %v lack the new kind", names)
	}
	page, err := report.Build(context.Background(), in, report.Options{Run: model.Options{Trials: 200, Seed: 1}, Charts: charts, Appendix: true})
	if err != nil {
		t.Fatal(err)
	}
	var captions []string
	if page.Lead != nil {
		captions = append(captions, page.Lead.Caption)
	}
	for _, c := range page.Charts {
		captions = append(captions, c.Caption)
	}
	if !slices.Contains(captions, winsHistogram.Caption) {
		t.Errorf("the report's charts %q lack the new kind's", captions)
	}
	for _, k := range report.Charts {
		if k.Caption != "" && len(k.Figures(in)) > 0 && !slices.Contains(captions, k.Caption) {
			t.Errorf("the report lacks the chart %s", k.Name)
		}
	}
	captioned := 1 // the tornado, which the report runs itself
	for _, f := range charts.Figures(in) {
		if f.Caption != "" {
			captioned++
		}
	}
	if len(captions) != captioned || !strings.HasPrefix(captions[len(captions)-1], "How far median revenue moves") {
		t.Errorf("the report has %d charts, want the %d captioned figures and the tornado last: %q", len(captions), captioned, captions)
	}
	// The optimizer's split is a table of the appendix, a row per channel
	// and one for the objective.
	var split *report.Table
	for i, tb := range page.Tables {
		if strings.HasPrefix(tb.Title, "Where the budget goes") {
			split = &page.Tables[i]
		}
	}
	if split == nil || len(split.Rows) != len(in.Optimum.Channels)+1 || split.Rows[0][2] != "17,875" {
		t.Errorf("the appendix's split table: %+v", split)
	}
}
