package scenarios_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/scenarios"
)

// Compare runs a baseline and each scenario of a file on the same trials
// (common random numbers), so that a scenario's change in revenue is read
// trial by trial: its mean, and the shares of trials in which it does
// better and worse (the rest are ties: the change did not touch them). Here the model is calibrated from the sample company's history
// and weekly spend, and the attribute rules of the sample scenarios read
// the history again (the Evidence).
func ExampleCompare() {
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "sample-history.csv.gz", R: bytes.NewReader(examples.HistoryGz())}}, calibrate.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	spend, err := calibrate.ReadSpend(calibrate.File{Name: "sample-spend.csv", R: bytes.NewReader(examples.SpendCSV())}, calibrate.ReadOptions{}, h.Report)
	if err != nil {
		fmt.Println(err)
		return
	}
	o := calibrate.Options{StaleAfter: 26 * 7 * 24 * time.Hour, Spend: spend}
	m, err := calibrate.Estimate(context.Background(), h, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := scenarios.Decode(examples.ScenariosYAML())
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := scenarios.Compare(context.Background(), m, f, model.Options{Trials: 2000, Seed: 1}, &scenarios.Evidence{History: h, Options: o, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range c.Scenarios {
		for _, d := range s.Deltas {
			if d.Metric == "revenue" {
				fmt.Printf("%s: Δ revenue mean %+.0fk, better in %.0f%% of trials, worse in %.0f%%\n", s.Name, d.Summary.Mean/1000, 100*d.PBetter, 100*d.PWorse)
			}
		}
	}
	// Output:
	// SQL definition workshop: Δ revenue mean +22k, better in 59% of trials, worse in 41%
	// Case study instead of ebook: Δ revenue mean +7k, better in 33% of trials, worse in 12%
	// Two more AEs from week 3: Δ revenue mean +1k, better in 3% of trials, worse in 3%
	// Move 30% of paid social budget to webinars: Δ revenue mean +5k, better in 31% of trials, worse in 23%
	// Monday hand-off SLA: Δ revenue mean -0k, better in 3% of trials, worse in 3%
}
