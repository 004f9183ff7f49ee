package document_test

import (
	"context"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// TestForecastRows: the table reads as people read it: revenue first,
// with its currency; shares as percentages; a model without spend has its
// spend and costs not known, not zero; no row of cold leads where none go
// cold.
func TestForecastRows(t *testing.T) {
	m := sample.Model()
	m.Reps.Unlimited = true // nobody waits, nobody goes cold
	for i := range m.Channels {
		m.Channels[i].WeeklySpend, m.Channels[i].Response = 0, nil
	}
	r, err := model.Run(context.Background(), m, model.Options{Trials: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	rows := document.NewForecastTotals(r, 800000).Rows(nil)
	if rows[0][0] != "revenue (USD)" || rows[1][0] != "wins" {
		t.Errorf("first rows %v, %v; want revenue and wins", rows[0], rows[1])
	}
	var labels []string
	for _, row := range rows {
		labels = append(labels, row[0])
		if row[0] == "win rate" && !strings.HasSuffix(row[3], "%") {
			t.Errorf("win rate's P50 %q is not a percentage", row[3])
		}
		if row[0] == "spend and costs" && row[1] != "not known" {
			t.Errorf("spend and costs %v", row)
		}
	}
	all := strings.Join(labels, "|")
	for _, bad := range []string{"cold leads", "cost per lead", "spend (USD)"} {
		if strings.Contains(all, bad) {
			t.Errorf("rows %q hold %q", all, bad)
		}
	}
	if !strings.Contains(all, "spend and costs") {
		t.Errorf("rows %q lack the spend and costs that are not known", all)
	}
}
