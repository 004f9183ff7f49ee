package report_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

// inputs runs everything the charts draw from, cheaply: a forecast, a
// comparison of two scenarios, a sweep, a calibration, a backtest and
// a budget optimization.
func inputs(t *testing.T) *report.Inputs {
	t.Helper()
	ctx := context.Background()
	m := sample.Model()
	o := model.Options{Trials: 200, Seed: 1}
	r, err := model.Run(ctx, m, o)
	if err != nil {
		t.Fatal(err)
	}
	f, err := scenarios.Decode([]byte("scenarios:\n  - name: more reps\n    interventions:\n      - reps: {week: 0, hires: 2}\n  - name: budget to webinars\n    interventions:\n      - budget: {move: {from: paid_social, to: webinar, share: 0.3}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := scenarios.Compare(ctx, m, f, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	lever, err := scenarios.ParseLever(m, "reps")
	if err != nil {
		t.Fatal(err)
	}
	pts, err := lever.Sweep(ctx, m, []float64{2, 4}, math.NaN(), o)
	if err != nil {
		t.Fatal(err)
	}
	spend, err := scenarios.ParseLever(m, "spend:paid_search")
	if err != nil {
		t.Fatal(err)
	}
	as, bs := []float64{2, 4}, []float64{0, 10000}
	rs, warnings, err := scenarios.Grid(ctx, m, lever, as, spend, bs, o)
	if err != nil {
		t.Fatal(err)
	}
	grid := &report.Grid{A: lever, B: spend, As: as, Bs: bs, Cells: scenarios.Cells(as, bs, rs, warnings, 800000)}
	truth := sample.Company()
	_, h := fixture.Generated(t, truth, generate.Options{Weeks: 40, Seed: 2})
	co := calibrate.Options{AsOf: truth.AsOf.Time, StaleAfter: 26 * 7 * 24 * time.Hour}
	bt, err := backtest.Run(ctx, h, backtest.Options{Calibrate: co, Origins: 3, Every: 2, Horizon: 4, TrainWeeks: 20, Trials: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	tor, err := report.NewTornado(ctx, m, o)
	if err != nil {
		t.Fatal(err)
	}
	// A budget optimizer's answer as scenarios.Optimize gives it (the
	// search itself is scenarios' to test, and slow under the race
	// detector).
	split := func(spend ...float64) scenarios.Split {
		return scenarios.Split{Spend: spend, Leads: []float64{455, 586, 260, 364, 156}, Wins: []float64{8.1, 2.3, 4.7, 5.8, 8.6},
			Revenue: []float64{209e3, 32e3, 116e3, 150e3, 257e3}, Value: 0.4, MCSE: 0.003, Total: 764e3}
	}
	opt := &scenarios.Optimum{Objective: scenarios.PTarget, Target: 800000, Budget: 32500, Weeks: 13,
		Channels: []string{"paid_search", "paid_social", "webinar", "organic", "referral"},
		Today:    split(14000, 9000, 5000, 3000, 1500), Best: split(17875, 0, 7312, 3250, 4062), Equal: split(6500, 6500, 6500, 6500, 6500),
		Marginal: []float64{0.07, 0, 0.05, 0.05, -0.06}, MarginalMCSE: []float64{0.03, 0.08, 0.07, 0.08, 0.07}, Robust: math.NaN(),
		Frontier: []scenarios.FrontierPoint{{Budget: 16250, TodayMix: 0.365, Best: 0.377}, {Budget: 32500, TodayMix: 0.395, Best: 0.41, IsMain: true, TodayBudget: true}}}
	return &report.Inputs{Model: m, Result: r, Target: 800000, Comparison: c, Lever: lever, Points: pts, Grid: grid,
		Backtest: bt, History: h, Calibration: co, Tornado: tor, Optimum: opt}
}

// TestCharts: every kind has a name of its own and, given every input,
// draws its figures; given a forecast alone, only the forecast's kinds
// draw (the sample company has responses to spend).
func TestCharts(t *testing.T) {
	in := inputs(t)
	seen := map[string]bool{}
	for _, k := range report.Charts {
		if k.Name == "" || seen[k.Name] || k.Figures == nil {
			t.Errorf("kind %q: a name of its own and Figures are required", k.Name)
		}
		seen[k.Name] = true
		figs := k.Figures(in)
		if len(figs) == 0 {
			t.Errorf("kind %s drew nothing from every input", k.Name)
		}
		for _, f := range figs {
			if _, err := f.Draw(); err != nil {
				t.Errorf("kind %s, figure %s: %v", k.Name, f.Name, err)
			}
		}
	}
	var names []string
	for _, f := range report.Charts.Figures(&report.Inputs{Model: in.Model, Result: in.Result, Target: math.NaN()}) {
		names = append(names, f.Name)
	}
	if want := []string{"fan", "histogram", "funnel", "response"}; !slices.Equal(names, want) {
		t.Errorf("a forecast's figures are %v, want %v", names, want)
	}
}
