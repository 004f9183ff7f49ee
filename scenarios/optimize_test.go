package scenarios_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

var optimizeAll = flag.Bool("optimize-all", false, "TestOptimizeTruths: three truths on a 5% grid (make validate); else one on a 10% grid")

// optimizeTruth is the sample company over 26 weeks with three channels
// that buy leads (paid search, paid social, webinar; the others' leads
// come free), the reps given, and paid social's curve saturating at
// socialHalf.
func optimizeTruth(t *testing.T, reps int, socialHalf float64) *model.Model {
	t.Helper()
	tr := sample.Company()
	tr.HorizonWeeks = 26
	tr.Reps.Count = reps
	for i := range tr.Channels {
		switch ch := &tr.Channels[i]; ch.Name {
		case "organic", "referral":
			ch.WeeklySpend, ch.SpendShare = 0, 0
		case "paid_social":
			ch.HalfSpend = socialHalf
		}
	}
	m, err := tr.Model(104)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// revenues runs the allocations (weekly spend of the three paid channels)
// of m on common random numbers and returns each one's revenues.
func revenues(t *testing.T, m *model.Model, xs [][3]float64, trials int, seed uint64) [][]float64 {
	t.Helper()
	var models []*model.Model
	for _, x := range xs {
		mm, _, err := scenarios.Apply(m, scenarios.Scenario{Name: fmt.Sprint(x), Interventions: []scenarios.Intervention{{Budget: &scenarios.Budget{
			Spend: map[string]float64{"paid_search": x[0], "paid_social": x[1], "webinar": x[2]}}}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, mm)
	}
	var out [][]float64
	for lo := 0; lo < len(models); lo += 40 {
		rs, err := model.RunAll(context.Background(), models[lo:min(lo+40, len(models))], model.Options{Trials: trials, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			rev, _ := r.Metric("revenue")
			out = append(out, rev)
		}
	}
	return out
}

func pTarget(rev []float64, target float64) float64 {
	n := 0
	for _, x := range rev {
		if x >= target {
			n++
		}
	}
	return float64(n) / float64(len(rev))
}

// TestOptimizeTruths checks the optimizer against brute force on truths
// whose response curves are known: every split of the budget on a grid is
// run on the truth itself, and the grid's best P(target), measured again
// on fresh trials beside the optimizer's answer, is at most 2% above the
// answer's (less two standard errors of the paired difference). The
// truths: reps enough that capacity does not bind; three reps, where it
// does; and paid social saturating early.
func TestOptimizeTruths(t *testing.T) {
	if testing.Short() {
		t.Skip("brute force over a grid of splits")
	}
	cases := []struct {
		name       string
		reps       int
		socialHalf float64
	}{{"capacity does not bind", 30, 6000}, {"capacity binds", 3, 6000}, {"paid social saturates early", 6, 1500}}
	step, gridTrials, trials, final, check := 0.1, 1000, 1000, 5000, 10000
	if *optimizeAll {
		step, gridTrials, trials, final, check = 0.05, 4000, 2000, 20000, 40000
	} else {
		cases = cases[:1]
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := optimizeTruth(t, c.reps, c.socialHalf)
			budget := 28000.0
			today := revenues(t, m, [][3]float64{{14000, 9000, 5000}}, check, 7)[0]
			target := quantile(today, 0.5)
			// The grid: every split of the budget in steps of step.
			var grid [][3]float64
			k := int(math.Round(1 / step))
			for i := 0; i <= k; i++ {
				for j := 0; i+j <= k; j++ {
					grid = append(grid, [3]float64{float64(i) * step * budget, float64(j) * step * budget, float64(k-i-j) * step * budget})
				}
			}
			revs := revenues(t, m, grid, gridTrials, 11)
			best := 0
			for i := range grid {
				if pTarget(revs[i], target) > pTarget(revs[best], target) {
					best = i
				}
			}
			opt, err := scenarios.Optimize(context.Background(), m, scenarios.OptimizeOptions{Budget: budget, Objective: scenarios.PTarget, Target: target,
				Run: model.Options{Trials: trials, Seed: 3}, FinalTrials: final, Draws: -1, Frontier: []float64{}})
			if err != nil {
				t.Fatal(err)
			}
			x := opt.Best.Spend
			got := revenues(t, m, [][3]float64{grid[best], {x[0], x[1], x[2]}}, check, 13)
			pg, po := pTarget(got[0], target), pTarget(got[1], target)
			se := pairedSE(got[0], got[1], target)
			t.Logf("target %.0f: grid best %v P %.4f; optimizer %.0f P %.4f (± %.4f paired); today's P %.4f; %d splits searched",
				target, grid[best], pg, x, po, se, pTarget(today, target), opt.Evaluations)
			if po < 0.98*pg-2*se {
				t.Errorf("the optimizer's P(target) %.4f is more than 2%% below the grid's best %.4f (paired se %.4f)", po, pg, se)
			}
		})
	}
}

func quantile(x []float64, p float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s[int(p*float64(len(s)-1))]
}

// pairedSE is the standard error of the difference of the two runs'
// P(target), from the per-trial differences of the indicators.
func pairedSE(a, b []float64, target float64) float64 {
	n := float64(len(a))
	var s, ss float64
	for i := range a {
		d := b2f(b[i] >= target) - b2f(a[i] >= target)
		s += d
		ss += d * d
	}
	mean := s / n
	return math.Sqrt((ss/n - mean*mean) / n)
}

// TestOptimizeRefuses checks the errors that name what is wrong: a model
// without spend, bounds that the budget cannot meet, a bound on a channel
// that is not allocated, p-target without a target.
func TestOptimizeRefuses(t *testing.T) {
	noSpend := sample.Model()
	for i := range noSpend.Channels {
		noSpend.Channels[i].Response = nil
	}
	cases := []struct {
		name string
		m    *model.Model
		o    scenarios.OptimizeOptions
		want string
	}{
		{"no spend", noSpend, scenarios.OptimizeOptions{Objective: scenarios.Median}, "no channel of the model has a response to spend"},
		{"minimums", sample.Model(), scenarios.OptimizeOptions{Objective: scenarios.Median, Budget: 10000, Min: map[string]float64{"webinar": 6000, "paid_search": 6000}},
			"the minimums (paid_search=6000, webinar=6000) add up to 12000 a week, more than the budget 10000"},
		{"maximums", sample.Model(), scenarios.OptimizeOptions{Objective: scenarios.Median, Budget: 10000, Max: map[string]float64{"webinar": 1000, "paid_search": 1000, "paid_social": 1000, "organic": 1000, "referral": 1000}},
			"the maximums (paid_search=1000, paid_social=1000, webinar=1000, organic=1000, referral=1000) add up to 5000 a week, less than the budget 10000"},
		{"min above max", sample.Model(), scenarios.OptimizeOptions{Objective: scenarios.Median, Min: map[string]float64{"webinar": 6000}, Max: map[string]float64{"webinar": 5000}},
			"channel webinar: min 6000 is above max 5000"},
		{"unknown channel", sample.Model(), scenarios.OptimizeOptions{Objective: scenarios.Median, Max: map[string]float64{"tv": 5000}}, "tv"},
		{"no target", sample.Model(), scenarios.OptimizeOptions{Objective: scenarios.PTarget}, "needs a target"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := scenarios.Optimize(context.Background(), c.m, c.o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

// TestOptimizeDeterministic checks that a seed fixes the answer whatever
// the number of workers, that the answer keeps to the budget and bounds,
// and that it is no worse than today's split on the comparison's trials.
func TestOptimizeDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("two optimizations; make test runs it without the race detector")
	}
	var got []*scenarios.Optimum
	for _, workers := range []int{1, 2} {
		o, err := scenarios.Optimize(context.Background(), sample.Model(), scenarios.OptimizeOptions{Objective: scenarios.Mean, Budget: 30000,
			Max: map[string]float64{"paid_search": 12000}, Run: model.Options{Trials: 200, Seed: 5, Workers: workers}, FinalTrials: 400, Draws: -1,
			Frontier: []float64{0.5}})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, o)
	}
	a, b := got[0], got[1]
	if fmt.Sprint(a.Best, a.Frontier, a.Marginal) != fmt.Sprint(b.Best, b.Frontier, b.Marginal) {
		t.Fatalf("1 worker and 2 differ:\n%v\n%v", a.Best, b.Best)
	}
	total := 0.0
	for i, x := range a.Best.Spend {
		total += x
		if x < a.Lo[i]-1e-6 || x > a.Hi[i]+1e-6 {
			t.Errorf("%s: spend %v outside [%v, %v]", a.Channels[i], x, a.Lo[i], a.Hi[i])
		}
	}
	if math.Abs(total-30000) > 1e-6 {
		t.Errorf("the answer spends %v a week, not the budget 30000", total)
	}
	if a.Best.Value < a.Today.Value {
		t.Errorf("the answer's mean revenue %v is below today's %v on the same trials", a.Best.Value, a.Today.Value)
	}
	if len(a.Frontier) != 2 || !a.Frontier[1].IsMain || a.Frontier[0].Budget != 15000 {
		t.Fatalf("frontier: %+v, want 15,000 then the answer's budget", a.Frontier)
	}
	for _, f := range a.Frontier {
		if s := floats.Sum(f.BestSpend); math.Abs(s-f.Budget) > 1e-6*f.Budget {
			t.Errorf("the frontier's split at %v spends %v", f.Budget, s)
		}
	}
}

// TestOptimizeRobust checks the robustness check on curves with an
// uncertainty: it runs the draws asked for and gives a share; with given
// curves it gives none.
func TestOptimizeRobust(t *testing.T) {
	if testing.Short() {
		t.Skip("an optimization; make test runs it without the race detector")
	}
	m := sample.Model()
	for i := range m.Channels {
		r := *m.Channels[i].Response
		r.Cov = [][]float64{{0.04, 0, 0}, {0, 0.04, 0}, {0, 0, 0.04}}
		m.Channels[i].Response = &r
	}
	o := scenarios.OptimizeOptions{Objective: scenarios.Mean, Run: model.Options{Trials: 200, Seed: 2}, FinalTrials: 400, Draws: 5, Frontier: []float64{}}
	got, err := scenarios.Optimize(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(got.Best.Spend, got.Today.Spend) {
		t.Skip("the answer is today's split: nothing to check")
	}
	if got.RobustDraws != 5 || !(got.Robust >= 0 && got.Robust <= 1) {
		t.Errorf("robust %v over %d draws, want a share over 5", got.Robust, got.RobustDraws)
	}
	given, err := scenarios.Optimize(context.Background(), sample.Model(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(given.Robust) || given.RobustDraws != 0 {
		t.Errorf("given curves: robust %v over %d draws, want none", given.Robust, given.RobustDraws)
	}
}
