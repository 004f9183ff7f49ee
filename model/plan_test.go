package model_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/model"
)

// TestPlanUncertainty checks that a planner's ranges become the model's
// parameter uncertainty: the 10% and 90% points of the level's Gamma,
// the conversion's Beta and the deal median's lognormal are the planner's
// 80% range (the Beta's to the delta method's accuracy on the log-odds
// scale), and a lone number is a range a factor of 1.25 either side.
func TestPlanUncertainty(t *testing.T) {
	const plan = `plan: 1
start: 2027-01-04
horizon_weeks: 13
channels:
  - {name: web, weekly_leads: [40, 90]}
  - {name: events, weekly_leads: 20}
stages:
  - {name: lead, conversion: [0.2, 0.4], median_weeks: 1}
  - {name: deal, conversion: [0.25, 0.35], median_weeks: 4, open: 7}
  - {name: close, conversion: 0.9, median_weeks: 2}
deal_size: {median: [10000, 16000], range: [4000, 50000]}
`
	m, err := model.Decode([]byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][2]float64{{40, 90}, {20 / 1.25, 20 * 1.25}} {
		c := m.Channels[i]
		k := c.HistoryWeeks / (1 / c.WeeklyLeads) // Poisson weeks: shape
		g := distuv.Gamma{Alpha: k, Beta: k / c.WeeklyLeads}
		lo, hi := g.Quantile(0.1), g.Quantile(0.9)
		if math.Abs(lo/want[0]-1) > 0.05 || math.Abs(hi/want[1]-1) > 0.05 {
			t.Errorf("channel %s: leads' 80%% range %.1f to %.1f, want %v", c.Name, lo, hi, want)
		}
	}
	odds := func(o float64) float64 { return o / (1 + o) }
	for i, want := range [][2]float64{{0.2, 0.4}, {0.25, 0.35}, {odds(9 / 1.25), odds(9 * 1.25)}} {
		b := m.Stages[i].Exits[0].Bands[0]
		beta := distuv.Beta{Alpha: b.Advance, Beta: b.Lost}
		lo, hi := beta.Quantile(0.1), beta.Quantile(0.9)
		if math.Abs(lo-want[0]) > 0.01 || math.Abs(hi-want[1]) > 0.01 {
			t.Errorf("stage %s: conversion's 80%% range %.3f to %.3f, want %v", m.Stages[i].Name, lo, hi, want)
		}
		// Exponential stays: the median is ln 2 over the exit hazard.
		if got := math.Ln2 / ((b.Advance + b.Lost) / b.Exposure); math.Abs(got-[]float64{1, 4, 2}[i]) > 1e-9 {
			t.Errorf("stage %s: median stay %v", m.Stages[i].Name, got)
		}
	}
	d := m.DealSize.LogNormal
	n := distuv.Normal{Mu: d.LogMean, Sigma: d.LogSD / math.Sqrt(d.Deals)}
	if lo, hi := math.Exp(n.Quantile(0.1)), math.Exp(n.Quantile(0.9)); math.Abs(lo-10000) > 1 || math.Abs(hi-16000) > 1 {
		t.Errorf("deal median's 80%% range %.0f to %.0f, want 10000 to 16000", lo, hi)
	}
	spread := distuv.LogNormal{Mu: d.LogMean, Sigma: d.LogSD}
	if r := spread.Quantile(0.9) / spread.Quantile(0.1); math.Abs(r-50000.0/4000) > 1e-6 {
		t.Errorf("deals' 80%% range spans a factor %v, want 12.5", r)
	}
	var open int
	for _, c := range m.Pipeline.Open {
		if c.Stage == "deal" {
			open += c.Count
		}
	}
	if open != 7 || !m.Reps.Unlimited || m.SalesStart != "deal" || m.OpportunityStage != "close" {
		t.Errorf("open %d, reps %+v, sales start %q, opportunity stage %q", open, m.Reps, m.SalesStart, m.OpportunityStage)
	}
}

// TestPlanErrors checks that a broken planner's file is an error naming
// the line and the key path.
func TestPlanErrors(t *testing.T) {
	good := string(examples.PlanYAML())
	cases := []struct{ name, old, new, want string }{
		{"conversion above 1", "conversion: 0.5\n", "conversion: 1.5\n", "line 43: stages[2].conversion: must be a number or a range [low, high], low <= high, in (0, 1)"},
		{"range backwards", "weekly_leads: [28, 42]", "weekly_leads: [42, 28]", "line 22: channels[0].weekly_leads: must be"},
		{"three numbers", "weekly_leads: [28, 42]", "weekly_leads: [28, 35, 42]", "line 22: channels[0].weekly_leads: want a number or a range [low, high]"},
		{"text", "weekly_leads: 10", "weekly_leads: ten", "line 28: channels[2].weekly_leads: want a number or a range [low, high]"},
		{"unknown key", "    median_weeks: 0.6\n", "    median_weeks: 0.6\n    medain: 2\n", "line 39: stages[0].medain: unknown key"},
		{"no median weeks", "    median_weeks: 0.5\n", "", "line 39: stages[1].median_weeks: must be in (0, 520]"},
		{"deal range", "range: [6000, 55000]", "range: [55000, 6000]", "line 71: deal_size.range: must be [low, high], 0 < low < high"},
		{"unknown stage", "sql_stage: sql", "sql_stage: sqls", `line 64: sql_stage: unknown name "sqls"`},
		{"SQL before sales", "sql_stage: sql", "sql_stage: lead", `line 64: sql_stage: "lead" comes before sales_start "sal"`},
		{"opportunity before SQL", "opportunity_stage: opportunity", "opportunity_stage: sal", `line 65: opportunity_stage: "sal" comes before sql_stage "sql"`},
		{"range below the median", "range: [6000, 55000]", "range: [6000, 12000]", "line 71: deal_size.range: [6000, 12000] must hold the median [14000, 20000]"},
		{"cost per lead", "cost_per_lead: 400", "cost_per_lead: 1e306", "line 23: channels[0].cost_per_lead: 1e+306 a lead at up to 42 leads a week is more than 1e+15 spent over 520 weeks"},
		{"zero capacity", "weekly_capacity: 6", "weekly_capacity: 0", "line 79: reps.weekly_capacity: must be"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(good, c.old) {
				t.Fatalf("fixture text %q not in the sample plan", c.old)
			}
			_, err := model.Decode([]byte(strings.Replace(good, c.old, c.new, 1)))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// TestCycleWeeks checks the weeks-to-win metric against continuous time:
// a one-stage funnel whose stays are exponential with median m takes
// m/ln 2 weeks on average to win, and one left the day it is reached
// takes about a day, not a week.
func TestCycleWeeks(t *testing.T) {
	for _, median := range []float64{3, 0.01} {
		plan := fmt.Sprintf("plan: 1\nstart: 2027-01-04\nhorizon_weeks: 4\nchannels: [{name: web, weekly_leads: 50}]\n"+
			"stages: [{name: deal, conversion: 0.4, median_weeks: %v}]\ndeal_size: {median: 1000, range: [500, 2000]}\n", median)
		m, err := model.Decode([]byte(plan))
		if err != nil {
			t.Fatal(err)
		}
		r, err := model.Run(context.Background(), m, model.Options{Trials: 20, Seed: 1, FixedParams: true})
		if err != nil {
			t.Fatal(err)
		}
		cycle, _ := r.Metric("cycle_weeks")
		if want := median / math.Ln2; math.Abs(cycle[0]-want) > 1e-3*want {
			t.Errorf("median stay %v weeks: weeks to win %v, want %v", median, cycle[0], want)
		}
	}
}
