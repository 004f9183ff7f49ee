package quarter_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/fiscal"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/quarter"
)

// TestMavenQuarter forecasts Maven's 2017Q4 from mid-quarter, by rep (30
// agents): booked to date is the history's wins and revenue from the
// quarter's start to the as-of date, the reps sum to the quarter in every
// trial, and the open deals' chances sum to the wins expected of the open
// pipeline: exactly to the run's own count, and, with capacity taken off
// and the parameters at their means so that the deterministic oracle
// applies, to the oracle's within 3 MCSE.
func TestMavenQuarter(t *testing.T) {
	if testing.Short() {
		t.Skip("Maven's export calibrated and run twice; make test runs it without the race detector")
	}
	dir := fixture.SharedData(t, "maven-crm-sales-opportunities")
	h, err := calibrate.ReadFiles(context.Background(), []string{filepath.Join(dir, "sales_pipeline.csv")}, calibrate.ReadOptions{Stages: []string{"engaging"}, Map: map[string]string{
		"lead_id": "opportunity_id", "created_at": "engage_date", "outcome": "deal_stage",
		"closed_at": "close_date", "amount": "close_value", "rep": "sales_agent"}, MaxRejected: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2017, 11, 15, 0, 0, 0, 0, time.UTC)
	m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	q := fiscal.Calendar{}.Quarter(2017, 4)
	w, err := quarter.NewWindow(m, q)
	if err != nil {
		t.Fatal(err)
	}
	want := h.Tally(q.Start, asOf)
	if w.Booked == nil || float64(len(w.Booked.Won)) != want.Wins || w.Booked.Revenue() != want.Revenue || want.Wins == 0 {
		t.Fatalf("booked %+v, the history has %v wins and %v revenue", w.Booked, want.Wins, want.Revenue)
	}
	o := model.Options{Trials: 1000, Seed: 11, Workers: 2, Deals: true, By: "rep"}
	w.Options(&o)
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	wins, rev := w.Totals(r)
	groups, err := quarter.By(w, r, "rep")
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 30 {
		t.Errorf("%d groups, want Maven's 30 agents", len(groups))
	}
	for i := range wins {
		var gw, gr float64
		for _, g := range groups {
			gw += g.Wins[i]
			gr += g.Revenue[i]
		}
		if gw != wins[i] || math.Abs(gr-rev[i]) > 1e-9*rev[i] {
			t.Fatalf("trial %d: the reps sum to %v wins and %v revenue, the quarter has %v and %v", i, gw, gr, wins[i], rev[i])
		}
		if r.DealWins[i] > wins[i]-want.Wins {
			t.Fatalf("trial %d: %v open deals won, more than the %v wins simulated", i, r.DealWins[i], wins[i]-want.Wins)
		}
	}
	deals, err := quarter.Deals(m, r, quarter.DefaultCategories)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, d := range deals {
		sum += d.P
	}
	mean := stat.Mean(r.DealWins, nil)
	if math.Abs(sum-mean) > 1e-9*mean {
		t.Errorf("the deals' chances sum to %v, the trials' open deals won average %v", sum, mean)
	}

	m.Reps.Unlimited, m.Reps.CloseCapacity = true, 0
	o.FixedParams = true // the oracle's parameters are the posterior means
	oracle, err := model.Expect(m, o.Weeks)
	if err != nil {
		t.Fatal(err)
	}
	r, err = model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	deals, err = quarter.Deals(m, r, quarter.DefaultCategories)
	if err != nil {
		t.Fatal(err)
	}
	sum, wantSum := 0.0, 0.0
	for _, d := range deals {
		sum += d.P
	}
	for _, p := range oracle.Deals {
		wantSum += p
	}
	_, sd := stat.MeanStdDev(r.DealWins, nil)
	if mcse := sd / math.Sqrt(float64(o.Trials)); math.Abs(sum-wantSum) > 3*mcse {
		t.Errorf("without capacity, the deals' chances sum to %.2f, the oracle's to %.2f ± %.2f (3 MCSE)", sum, wantSum, 3*mcse)
	}
}
