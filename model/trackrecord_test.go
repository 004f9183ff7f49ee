package model_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

// withRecord is the sample company with a track record that combines its
// revenue (weight w) and wins (weight 1) with baselines whose quantiles
// are a straight line from lo to hi.
func withRecord(w, lo, hi float64) *model.Model {
	m := sample.Model()
	q := func(lo, hi float64) []float64 {
		out := make([]float64, 50)
		for j := range out {
			out[j] = lo + (hi-lo)*(float64(j)+0.5)/50
		}
		return out
	}
	m.TrackRecord = &model.TrackRecord{HorizonWeeks: 13, Targets: []model.TargetTrackRecord{
		{Target: "revenue", Scored: 8, Covered80: 6, Skill: map[string]float64{"naive": 0.1, "run-rate": -0.25}, Strongest: "run-rate",
			Combination: &model.Combination{Baseline: "run-rate", Weight: w, Quantiles: q(lo, hi)}},
		{Target: "wins", Scored: 8, Covered80: 7, Skill: map[string]float64{"naive": 0.2}, Strongest: "naive",
			Combination: &model.Combination{Baseline: "naive", Weight: 1, Quantiles: q(20, 60)}},
		{Target: "leads", Scored: 8, Covered80: 8, Skill: map[string]float64{"naive": 0.3}, Strongest: "naive"},
	}}
	return m
}

// TestCombine checks the combination's quantile average: with weight 1 the
// combined totals are the baseline's quantiles (within two of the ranks'
// steps), trial by trial in the model's order; with weight 0.4 each quantile is the weighted mean of the
// model's and the baseline's. Targets without a combination, and the raw
// totals, are the model's.
func TestCombine(t *testing.T) {
	n := 4000
	if testing.Short() { // under the race detector
		n = 1000
	}
	m := withRecord(0.4, 500_000, 900_000)
	o := model.Options{Trials: n, Weeks: 13, Seed: 3, Workers: 2}
	raw, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Combine = true
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Combined, "revenue with run-rate 40%") || !strings.Contains(r.Combined, "wins with naive 100%") {
		t.Errorf("note %q", r.Combined)
	}
	if len(r.TrackRecord) != 3 || !strings.Contains(r.TrackRecord[0], "revenue: on this history, 13-week forecasts covered 6 of 8 past quarters") || !strings.Contains(r.TrackRecord[0], "run-rate was 20% better") {
		t.Errorf("track record %q", r.TrackRecord)
	}
	col := func(r *model.Result, name string) []float64 { x, _ := r.Metric(name); return x }
	rawRev, rev := col(raw, "revenue"), col(r, "revenue")
	rawWins, wins := col(raw, "wins"), col(r, "wins")
	if !slices.Equal(col(raw, "leads"), col(r, "leads")) {
		t.Error("leads have no combination but changed")
	}
	k := slices.IndexFunc(r.Metrics, func(m model.MetricInfo) bool { return m.Name == "revenue" })
	if !slices.Equal(r.Raw[k], rawRev) {
		t.Error("Raw does not hold the model's revenue")
	}
	// Weight 1: the wins are the baseline's quantiles, in the model's order.
	for i := range wins {
		for j := range wins {
			if rawWins[i] < rawWins[j] && wins[i] > wins[j] {
				t.Fatalf("trials %d and %d swap ranks", i, j)
			}
		}
		if i > 50 {
			break
		}
	}
	sortedW := slices.Sorted(slices.Values(wins))
	for _, p := range []float64{0.1, 0.5, 0.9} {
		got, want := model.QuantileOf(sortedW, p), 20+40*p
		if math.Abs(got-want) > 80/float64(n) { // two of the ranks' steps
			t.Errorf("wins' %.1f-quantile %.3f, want the baseline's %.3f", p, got, want)
		}
	}
	// Weight 0.4: each quantile is 0.6 of the model's plus 0.4 of the
	// baseline's (up to the rank's half-step).
	sRaw, sRev := slices.Sorted(slices.Values(rawRev)), slices.Sorted(slices.Values(rev))
	for _, p := range []float64{0.1, 0.25, 0.5, 0.75, 0.9} {
		want := 0.6*model.QuantileOf(sRaw, p) + 0.4*(500_000+400_000*p)
		if got := model.QuantileOf(sRev, p); math.Abs(got-want) > 1e-3*want {
			t.Errorf("revenue's %.2f-quantile %.0f, want %.0f", p, got, want)
		}
	}
	// The weekly path ends at the combined total.
	for i := range 10 {
		if got := r.CumRevenue[i*r.Weeks+r.Weeks-1]; math.Abs(got-rev[i]) > 1e-6*rev[i] {
			t.Errorf("trial %d: path ends at %.2f, total %.2f", i, got, rev[i])
		}
	}
	// Another horizon is the model alone, and says why.
	o.Weeks = 26
	r26, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if r26.Raw != nil || !strings.Contains(r26.Combined, "model alone: the combination was learned on 13-week forecasts; this one is 26 weeks") {
		t.Errorf("26 weeks: raw %v, note %q", r26.Raw != nil, r26.Combined)
	}
}

// TestCombineScenarios checks the scenario rule: in a run of several
// models, the first (the baseline) is combined and each other keeps its
// paired differences from it, so a scenario with no change equals the
// baseline exactly, and the deltas and P(better) are the model's.
func TestCombineScenarios(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 800
	}
	m := withRecord(0.5, 700_000, 1_100_000)
	same := *m
	more := *m
	more.Reps.Count += 3
	run := func(combine bool) []*model.Result {
		rs, err := model.RunAll(context.Background(), []*model.Model{m, &same, &more}, model.Options{Trials: n, Weeks: 13, Seed: 5, Workers: 2, Combine: combine})
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	raw, comb := run(false), run(true)
	for _, name := range []string{"revenue", "wins"} {
		b, _ := comb[0].Metric(name)
		s, _ := comb[1].Metric(name)
		if !slices.Equal(b, s) {
			t.Errorf("%s: a scenario with no change differs from the baseline", name)
		}
		rb, _ := raw[0].Metric(name)
		rm, _ := raw[2].Metric(name)
		cb, _ := comb[0].Metric(name)
		cm, _ := comb[2].Metric(name)
		if slices.Equal(rb, cb) {
			t.Errorf("%s: not combined", name)
		}
		for i := range cb {
			if d, dRaw := cm[i]-cb[i], rm[i]-rb[i]; cm[i] > 0 && math.Abs(d-dRaw) > 1e-6*math.Max(1, math.Abs(cb[i])) {
				t.Fatalf("%s, trial %d: delta %.4f, the model's %.4f", name, i, d, dRaw)
			}
		}
	}
	// compare's P(better) and P(worse) are the model's.
	cmp := func(combine bool) *scenarios.Comparison {
		c, err := scenarios.CompareModels(context.Background(), m, []*model.Model{&same, &more}, []string{"same", "more reps"}, model.Options{Trials: n, Weeks: 13, Seed: 5, Workers: 2, Combine: combine})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := cmp(false), cmp(true)
	for j := range a.Scenarios {
		for _, name := range []string{"revenue", "wins"} {
			x, _ := a.Scenarios[j].Delta(name)
			y, _ := b.Scenarios[j].Delta(name)
			if x.PBetter != y.PBetter || x.PWorse != y.PWorse {
				t.Errorf("%s, %s: P(better) %v, P(worse) %v combined; the model's %v, %v", a.Scenarios[j].Name, name, y.PBetter, y.PWorse, x.PBetter, x.PWorse)
			}
		}
	}
}

// TestTrackRecordLines checks the lines a model without a record gives.
func TestTrackRecordLines(t *testing.T) {
	var none *model.TrackRecord
	if l := none.Lines(13); len(l) != 1 || !strings.HasPrefix(l[0], "no track record: the model was not calibrated") {
		t.Errorf("nil: %q", l)
	}
	short := &model.TrackRecord{Skipped: "the history is too short"}
	if l := short.Lines(13); len(l) != 1 || l[0] != "no track record: the history is too short" {
		t.Errorf("skipped: %q", l)
	}
	tr := withRecord(0.5, 1, 2).TrackRecord
	if l := tr.Lines(26); !strings.HasSuffix(l[1], "the model was 20% better than naive, the strongest baseline (this forecast is 26 weeks)") {
		t.Errorf("26 weeks: %q", l[1])
	}
}

// TestTrackRecordValidate checks that a hand-edited record is refused
// where its combination could not be applied.
func TestTrackRecordValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*model.TrackRecord)
		want string
	}{
		{"weight", func(t *model.TrackRecord) { t.Targets[0].Combination.Weight = 1.5 }, "combination weight 1.5"},
		{"decreasing", func(t *model.TrackRecord) { t.Targets[0].Combination.Quantiles[3] = 0 }, "combination quantile 4"},
		{"nan", func(t *model.TrackRecord) { t.Targets[0].Combination.Quantiles[0] = math.NaN() }, "combination quantile 1"},
		{"covered", func(t *model.TrackRecord) { t.Targets[1].Covered80 = 9 }, "covered_80 9 of scored 8"},
		{"horizon", func(t *model.TrackRecord) { t.HorizonWeeks = 0 }, "horizon_weeks 0"},
	} {
		m := withRecord(0.5, 10, 20)
		c.edit(m.TrackRecord)
		if err := m.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if err := withRecord(0.5, 10, 20).Validate(); err != nil {
		t.Error(err)
	}
}
