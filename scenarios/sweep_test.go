package scenarios_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

// TestSeekMatchesSweep checks goal seek against brute force: on the team
// size, where capacity binds, an exhaustive sweep with the same seed finds
// the smallest team whose P(revenue >= target) reaches the confidence, and
// the bisection must return that team, in fewer runs.
func TestSeekMatchesSweep(t *testing.T) {
	m := sample.Model()
	m.Reps.ColdRate = 0.5
	o := model.Options{Trials: 2000, Seed: 5}
	lever, err := scenarios.ParseLever(m, "reps")
	if err != nil {
		t.Fatal(err)
	}
	var values []float64
	for v := 1.0; v <= 8; v++ {
		values = append(values, v)
	}
	seekMatchesSweep(t, m, lever, values, 700000, 0.5, o)
}

// seekMatchesSweep sweeps the lever over values (a grid of even steps),
// finds the smallest whose P(revenue >= target) reaches the confidence,
// which must lie inside, and checks that the bisection over the same grid
// returns it, in fewer runs, and that P(target) never falls by more than
// its Monte Carlo error as the lever rises.
func seekMatchesSweep(t *testing.T, m *model.Model, lever *scenarios.Lever, values []float64, target, confidence float64, o model.Options) {
	t.Helper()
	ctx := context.Background()
	pts, err := lever.Sweep(ctx, m, values, target, o)
	if err != nil {
		t.Fatal(err)
	}
	want := math.NaN()
	for i, p := range pts {
		t.Logf("%s %v: P(revenue >= %v) = %.3f ± %.3f", lever.Name, p.Value, target, p.PTarget, p.PTargetMCSE)
		if i > 0 && p.PTarget+4*p.PTargetMCSE < pts[i-1].PTarget {
			t.Errorf("P(target) falls from %.3f to %.3f as %s rises", pts[i-1].PTarget, p.PTarget, lever.Name)
		}
		if math.IsNaN(want) && p.PTarget >= confidence {
			want = p.Value
		}
	}
	lo, hi := values[0], values[len(values)-1]
	if math.IsNaN(want) || want == lo || want == hi {
		t.Fatalf("the threshold %v is not inside the range; the test needs one", want)
	}
	g, err := lever.Seek(ctx, m, lo, hi, values[1]-values[0], target, confidence, o)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Reached || g.Value != want || g.At.PTarget < confidence || g.Below.PTarget >= confidence {
		t.Fatalf("goal: %+v; the sweep says %v", g, want)
	}
	if g.Evals >= len(values) {
		t.Errorf("goal took %d runs, the sweep %d", g.Evals, len(values))
	}
}

// TestSeekOutOfReach: a target no team reaches gets a clear no, with the
// top of the range, the look beyond it, and the lever found to have
// stopped helping.
func TestSeekOutOfReach(t *testing.T) {
	m := sample.Model()
	lever, _ := scenarios.ParseLever(m, "reps")
	g, err := lever.Seek(context.Background(), m, 1, 12, 1, 1e9, 0.8, model.Options{Trials: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if g.Reached || g.Below == nil || g.Below.Value != 12 || g.Below.PTarget != 0 || g.Far == nil || g.Far.Value != 48 || !g.Flat || g.Current != 6 {
		t.Fatalf("goal %+v, want not reached with the top of the range, flat to 48", g)
	}
}

// TestSeekSaturates: on the sample company's 13 weeks a new lead takes
// about 15 weeks to win, so more reps stop lifting P(revenue >= 700,000)
// near 0.59; a seek for 0.6 must say so, with the team from which the
// lever does no more, rather than send the user to a wider range.
func TestSeekSaturates(t *testing.T) {
	m := sample.Model()
	lever, _ := scenarios.ParseLever(m, "reps")
	o := model.Options{Trials: 4000, Seed: 1}
	g, err := lever.Seek(context.Background(), m, 3, 12, 1, 700000, 0.6, o)
	if err != nil {
		t.Fatal(err)
	}
	if g.Reached || !g.Flat || g.Far == nil || g.Best == nil || g.Extended != 48 {
		t.Fatalf("goal %+v, want a lever that stops helping", g)
	}
	// Flat: 48 reps add less than FlatBy (or twice the difference's
	// Monte Carlo error) to 12's chance, and Best is within that of 48's.
	flat := math.Max(scenarios.FlatBy, 2*math.Hypot(g.Below.PTargetMCSE, g.Far.PTargetMCSE))
	if d := g.Far.PTarget - g.Below.PTarget; d > flat || g.Far.PTarget-g.Best.PTarget > flat || g.Best.Value > 12 {
		t.Errorf("12 reps %.3f, 48 reps %.3f, best %v at %.3f", g.Below.PTarget, g.Far.PTarget, g.Best.Value, g.Best.PTarget)
	}
	if !(g.Far.CycleWeeks > 13) {
		t.Errorf("weeks to win %.1f, want past the 13-week horizon", g.Far.CycleWeeks)
	}
}

// TestSeekExtends: a range whose top is short of the answer is looked
// beyond, and the answer is the one a seek over the wider range gives.
func TestSeekExtends(t *testing.T) {
	m := sample.Model()
	lever, _ := scenarios.ParseLever(m, "reps")
	o := model.Options{Trials: 2000, Seed: 1}
	short, err := lever.Seek(context.Background(), m, 1, 2, 1, 650000, 0.6, o)
	if err != nil {
		t.Fatal(err)
	}
	wide, err := lever.Seek(context.Background(), m, 2, 8, 1, 650000, 0.6, o)
	if err != nil {
		t.Fatal(err)
	}
	if !short.Reached || short.Extended != 8 || !wide.Reached || wide.Value <= 2 || short.Value != wide.Value || short.At.PTarget != wide.At.PTarget {
		t.Fatalf("seek over 1:2 %+v, over 2:8 %+v", short, wide)
	}
}

func TestLeverErrors(t *testing.T) {
	m := sample.Model()
	for _, c := range []struct{ name, want string }{
		{"tv", `unknown lever "tv"; levers are ` + scenarios.Levers},
		{"spend:tv", `lever spend:tv: no channel "tv" in the model`},
	} {
		if _, err := scenarios.ParseLever(m, c.name); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	lever, _ := scenarios.ParseLever(m, "reps")
	if _, err := lever.Eval(context.Background(), m, 2.5, math.NaN(), model.Options{Trials: 10}); err == nil || err.Error() != "reps: 2.5 is not a whole number of reps >= 0" {
		t.Errorf("reps 2.5: error %v", err)
	}
}

// TestTornado checks the drivers on the sample company: moving a driver up
// never lowers median revenue by more than the Monte Carlo error (4 of the
// unpaired standard errors of a difference of two medians, a generous
// bound since the runs share their trials), the swings come widest first,
// and the widest is far beyond that error.
func TestTornado(t *testing.T) {
	m := sample.Model()
	o := model.Options{Trials: 1000, Seed: 2}
	base, swings, err := scenarios.Tornado(context.Background(), m, "revenue", 0.1, o)
	if err != nil {
		t.Fatal(err)
	}
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	rev, _ := r.Metric("revenue")
	_, mcse, _ := model.Summarize("revenue", rev).Quantile(0.5)
	tol := 4 * math.Sqrt2 * mcse
	if len(swings) != 6+5+1+1 {
		t.Fatalf("%d drivers, want 13", len(swings))
	}
	for i, s := range swings {
		t.Logf("%s: %.0f to %.0f (baseline %.0f, tolerance %.0f)", s.Driver, s.Low, s.High, base, tol)
		if s.High < s.Low-tol {
			t.Errorf("%s: up gives %.0f, below down's %.0f", s.Driver, s.High, s.Low)
		}
		if i > 0 && math.Abs(s.High-s.Low) > math.Abs(swings[i-1].High-swings[i-1].Low) {
			t.Errorf("%s swings wider than %s above it", s.Driver, swings[i-1].Driver)
		}
	}
	if w := swings[0].High - swings[0].Low; w < tol {
		t.Errorf("the widest swing, %s, is only %.0f", swings[0].Driver, w)
	}
}

// TestLeverGrid: a lever's default range, its grid (whole values for reps,
// each once) and whether a goal seek may use it.
func TestLeverGrid(t *testing.T) {
	m := sample.Model()
	cases := []struct {
		lever          string
		lo, hi, step   float64
		want           []float64
		unit           model.Unit
		rising, failed bool
	}{
		{"reps", 2, 4, 0.5, []float64{2, 3, 4}, model.Count, true, false}, // 2.5 rounds to 3, 3.5 to 4
		{"reps", 4, 4, 0, []float64{4}, model.Count, true, false},
		{"budget", 100, 300, 100, []float64{100, 200, 300}, model.Money, true, false},
		{"cold_rate", 0, 0.1, 0.05, []float64{0, 0.05, 0.1}, model.Ratio, false, false},
		{"reps", 0, 1e9, 1, nil, model.Count, true, true},
		{"reps", 5, 4, 1, nil, model.Count, true, true},
	}
	for _, c := range cases {
		l, err := scenarios.ParseLever(m, c.lever)
		if err != nil {
			t.Fatal(err)
		}
		if l.Unit != c.unit || l.Rising != c.rising {
			t.Errorf("%s: unit %v rising %v, want %v %v", c.lever, l.Unit, l.Rising, c.unit, c.rising)
		}
		got, err := l.Values(c.lo, c.hi, c.step)
		if (err != nil) != c.failed || !slices.Equal(got, c.want) {
			t.Errorf("%s.Values(%g, %g, %g) = %v, %v; want %v (error %v)", c.lever, c.lo, c.hi, c.step, got, err, c.want, c.failed)
		}
		if lo, hi, step := l.DefaultRange(m); !(lo < hi && step > 0) {
			t.Errorf("%s: default range %g..%g by %g is empty", c.lever, lo, hi, step)
		}
	}
	l, _ := scenarios.ParseLever(m, "cold_rate")
	if _, err := l.Seek(context.Background(), m, 0, 0.5, 0.05, 1, 0.5, model.Options{Trials: 10, Seed: 1}); err == nil {
		t.Error("a goal seek over cold_rate, which can lower revenue, was run")
	}
}

// TestSeekLeadsMatchesSweep is the reverse funnel on a planner's file:
// the fewest new leads a week whose P(revenue >= target) reaches the
// confidence, by bisection, is the one an exhaustive sweep on the same
// seed finds.
func TestSeekLeadsMatchesSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("a sweep of 19 runs; make test runs it without the race detector")
	}
	m, err := model.Decode(examples.PlanYAML())
	if err != nil {
		t.Fatal(err)
	}
	m.Reps.Unlimited = true // leads, not reps, bind
	m.HorizonWeeks = 26     // a lead takes about 16 weeks to win
	o := model.Options{Trials: 2000, Seed: 3}
	lever, err := scenarios.ParseLever(m, "leads")
	if err != nil {
		t.Fatal(err)
	}
	if now := lever.Current(m); math.Abs(now-weekly(m)) > 1e-9 {
		t.Fatalf("current leads %v, want the channels' sum %v", now, weekly(m))
	}
	var values []float64
	for v := 20.0; v <= 200; v += 10 {
		values = append(values, v)
	}
	seekMatchesSweep(t, m, lever, values, 400000, 0.8, o)
}

func weekly(m *model.Model) float64 {
	total := 0.0
	for _, c := range m.Channels {
		total += c.WeeklyLeads
	}
	return total
}

// TestLeverKinds: every lever the registry names for the sample company
// parses, has a value today inside its default range, and is listed in
// the help; the goal's list holds the rising ones alone.
func TestLeverKinds(t *testing.T) {
	m := sample.Model()
	names := scenarios.LeverNames(m)
	if len(names) != len(scenarios.LeverKinds)-1+len(m.Channels) {
		t.Fatalf("names %v", names)
	}
	for _, name := range names {
		l, err := scenarios.ParseLever(m, name)
		if err != nil {
			t.Fatal(err)
		}
		now := l.Current(m)
		lo, hi, step := l.DefaultRange(m)
		if !(lo <= now && now <= hi && step > 0) {
			t.Errorf("%s: today %v outside its default range %v..%v by %v", name, now, lo, hi, step)
		}
	}
	for _, k := range scenarios.LeverKinds {
		if !strings.Contains(scenarios.Levers, k.Name) || strings.Contains(scenarios.RisingLevers, k.Name) != k.Rising {
			t.Errorf("%s: help %q, goal's list %q", k.Name, scenarios.Levers, scenarios.RisingLevers)
		}
	}
}
