package model_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

func run(t *testing.T, m *model.Model, o model.Options) *model.Result {
	t.Helper()
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func metric(t *testing.T, r *model.Result, name string) []float64 {
	t.Helper()
	v, ok := r.Metric(name)
	if !ok {
		t.Fatalf("no metric %q", name)
	}
	return v
}

// TestExpectOracle compares the simulated means of entries per stage, wins
// and revenue, with fixed parameters and no capacity limit, against the
// independent deterministic expected-value pass, within 4 MCSE: for the
// sample company and for it as a sales-only funnel, whose arrivals wait in
// the reps' queue; and with changes from given weeks (a scenario).
func TestExpectOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("a statistical replication; make test runs it without the race detector")
	}
	salesOnly := sample.Model()
	salesOnly.SalesStart = salesOnly.Stages[0].Name
	changed := sample.Model()
	f := func(x float64) *float64 { return &x }
	changed.Changes = []model.Change{
		{Week: 0, Stage: "sql", Conversion: f(0.8)},
		{Week: 4, Channel: "paid_search", Leads: f(1.3)},
		{Week: 6, DealSize: f(1.2), Stage: "", Channel: "referral"},
		{Week: 6, Stage: "proposal", Conversion: f(1.25)},
	}
	// Open leads older than 63 weeks take a second word of the engine's
	// occupancy masks, and cross from one word to the next.
	long := sample.Model()
	long.Bands[len(long.Bands)-1] = 70
	for i := range long.Stages {
		for j := range long.Stages[i].Exits {
			b := long.Stages[i].Exits[j].Bands
			b[len(b)-1].Weeks = 70
		}
	}
	for _, a := range []int{58, 61, 63, 64, 66, 69} {
		long.Pipeline.Open = append(long.Pipeline.Open, model.Cohort{Stage: "sql", Channel: "paid_search", Weeks: a, Count: 300})
	}
	// Deal sizes drawn from observed amounts, overall and for one channel
	// of its own, with a change of deal size in that channel.
	emp := withAmounts(sample.Model())
	emp.Changes = []model.Change{{Week: 6, DealSize: f(1.2), Channel: "referral"}}
	// A yearly season, through a change of leads from week 4.
	seasonal := sample.Model()
	seasonal.ArrivalSeason = &model.Season{Cos: []float64{0.3, 0.1}, Sin: []float64{-0.4, 0.05}}
	seasonal.Changes = []model.Change{{Week: 4, Channel: "paid_search", Leads: f(1.3)}}
	// A quarter-end push on the stages from the opportunity stage, through
	// a change of conversion, on deals followed one by one as well: the
	// sample's 13 weeks from 2026-11-20 cross three months of two quarters.
	cycled := sample.Model()
	cycled.QuarterCycle = &model.QuarterCycle{Advance: [3]float64{0.6, 1.0, 1.8}, Loss: [3]float64{1.5, 1.0, 0.5}}
	cycled.Changes = []model.Change{{Week: 3, Stage: "proposal", Conversion: f(1.2)}}
	for _, c := range []struct {
		name string
		m    *model.Model
	}{{"sample", sample.Model()}, {"sales only", salesOnly}, {"with changes", changed}, {"leads past 63 weeks", long}, {"empirical deal sizes", emp}, {"yearly season", seasonal}, {"quarter cycle", cycled}} {
		t.Run(c.name, func(t *testing.T) {
			m := c.m
			m.Reps.Unlimited = true
			want, err := model.Expect(m, 13)
			if err != nil {
				t.Fatal(err)
			}
			r := run(t, m, model.Options{Trials: 20000, Seed: 7, FixedParams: true})
			check := func(name string, expected float64) {
				s := model.Summarize(name, metric(t, r, name))
				if d := s.Mean - expected; math.Abs(d) > 4*s.MeanMCSE {
					t.Errorf("%s: simulated mean %.3f, expected %.3f (difference %.2f MCSE)", name, s.Mean, expected, d/s.MeanMCSE)
				}
			}
			for i, st := range m.Stages {
				check(st.MetricName(), want.Entries[i])
			}
			check("wins", want.Wins)
			check("revenue", want.Revenue)
			if len(m.Changes) > 0 {
				// The changes must matter, or the case proves nothing.
				plain := sample.Model()
				plain.Reps.Unlimited = true
				e0, _ := model.Expect(plain, 13)
				if math.Abs(want.Revenue/e0.Revenue-1) < 0.05 {
					t.Errorf("the changes move expected revenue only from %.0f to %.0f", e0.Revenue, want.Revenue)
				}
			}
		})
	}
}

// withAmounts gives m empirical deal sizes: 60 amounts in all, 15 of
// them the referral channel's own, with ties.
func withAmounts(m *model.Model) *model.Model {
	var all, own []float64
	for i := range 60 {
		a := float64(2000+1500*(i%7)) + 40000*b2f(i%13 == 0)
		all = append(all, a)
		if i%4 == 0 {
			own = append(own, a)
		}
	}
	m.DealSize.Amounts = all
	for i := range m.DealSize.Channels {
		if m.DealSize.Channels[i].Channel == "referral" {
			m.DealSize.Channels[i].Amounts = own
		}
	}
	return m
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestRevenueVarianceOracle checks Var(R) = E[N]Var(X) + Var(N)E[X]² for
// a compound sum of iid lognormal amounts, batch by batch, where N is the
// number of wins. The model has one deal size for every channel and no
// known-amount deals, so every win draws X ~ LogNormal(μ, σ) with fixed
// parameters. The per-batch differences have mean 0 under the oracle; their
// spread gives the tolerance.
func TestRevenueVarianceOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("a statistical replication; make test runs it without the race detector")
	}
	m := sample.Model()
	m.DealSize.Channels = nil
	m.Pipeline.Deals = nil
	r := run(t, m, model.Options{Trials: 32000, Seed: 11, FixedParams: true})
	// Fixed parameters use the posterior means of μ and σ² (see Options).
	mu, s2 := m.DealSize.LogMean, m.DealSize.LogSD*m.DealSize.LogSD
	ex := math.Exp(mu + s2/2)
	vx := (math.Exp(s2) - 1) * math.Exp(2*mu+s2)
	wins, rev := metric(t, r, "wins"), metric(t, r, "revenue")
	const batches = 32
	size := len(wins) / batches
	var d []float64
	for b := range batches {
		w, v := wins[b*size:(b+1)*size], rev[b*size:(b+1)*size]
		en, vn := stat.MeanVariance(w, nil)
		_, vr := stat.MeanVariance(v, nil)
		d = append(d, vr-(en*vx+vn*ex*ex))
	}
	mean, sd := stat.MeanStdDev(d, nil)
	_, vr := stat.MeanVariance(rev, nil)
	if se := sd / math.Sqrt(batches); math.Abs(mean) > 4*se {
		t.Errorf("Var(R) - (E[N]Var(X) + Var(N)E[X]²) = %.4g ± %.2g (Var(R) = %.4g)", mean, se, vr)
	}
}

// TestMoreCapacityNeverLowersWins runs the sample company with 3 to 9 reps
// on common random numbers: each step up must not lower mean wins beyond 4
// MCSE of the paired difference, and where capacity binds (3 to 6 reps)
// must raise them.
func TestMoreCapacityNeverLowersWins(t *testing.T) {
	if testing.Short() {
		t.Skip("a statistical replication; make test runs it without the race detector")
	}
	var prev []float64
	for reps := 3; reps <= 9; reps++ {
		m := sample.Model()
		m.Reps.Count = reps
		r := run(t, m, model.Options{Trials: 4000, Seed: 5})
		wins := metric(t, r, "wins")
		if prev != nil {
			diff := make([]float64, len(wins))
			for i := range wins {
				diff[i] = wins[i] - prev[i]
			}
			mean, sd := stat.MeanStdDev(diff, nil)
			se := sd / math.Sqrt(float64(len(diff)))
			if mean < -4*se {
				t.Errorf("%d reps: mean wins fell by %.3f (MCSE %.3f) from %d reps", reps, -mean, se, reps-1)
			}
			if reps <= 6 && mean < 4*se {
				t.Errorf("%d reps: mean wins rose by only %.3f (MCSE %.3f) where capacity binds", reps, mean, se)
			}
		}
		prev = wins
	}
}

// TestCloseCapacity: a close capacity that never binds changes nothing,
// bit for bit; one that binds lowers wins, and more of it (a higher
// capacity per rep, or reps hired) raises them, each by more than 4 MCSE
// of the paired difference on common random numbers.
func TestCloseCapacity(t *testing.T) {
	o := model.Options{Trials: 3000, Seed: 9}
	base := run(t, sample.Model(), o)
	loose := sample.Model()
	loose.Reps.CloseCapacity = 1e9
	identical(t, "a close capacity that never binds", run(t, loose, o), base)
	wins := func(closeCap float64, hires int) []float64 {
		m := sample.Model()
		m.Reps.CloseCapacity = closeCap
		if hires > 0 {
			m.Reps.Hires = append(m.Reps.Hires, model.Hire{Week: 0, Count: hires})
		}
		return metric(t, run(t, m, o), "wins")
	}
	rises := func(what string, lo, hi []float64) {
		t.Helper()
		d := make([]float64, len(lo))
		for i := range d {
			d[i] = hi[i] - lo[i]
		}
		mean, sd := stat.MeanStdDev(d, nil)
		if se := sd / math.Sqrt(float64(len(d))); mean < 4*se {
			t.Errorf("%s: mean wins rose by %.3f (MCSE %.3f)", what, mean, se)
		}
	}
	tight, wider := wins(0.5, 0), wins(1, 0)
	rises("no close capacity against 0.5 a rep", tight, metric(t, base, "wins"))
	rises("1 against 0.5 closes a rep", tight, wider)
	rises("three reps hired at 0.5 closes a rep", tight, wins(0.5, 3))
}

// TestDemandLimitedGainsNothing gives the team far more capacity than the
// funnel hands off: more reps must change no trial's wins or revenue (on
// common random numbers they are identical, which is within any MCSE).
func TestDemandLimitedGainsNothing(t *testing.T) {
	m := sample.Model()
	m.Reps.Count = 40
	base := run(t, m, model.Options{Trials: 2000, Seed: 3})
	m.Reps.Count = 60
	more := run(t, m, model.Options{Trials: 2000, Seed: 3})
	for _, name := range []string{"wins", "revenue", "sql"} {
		a, b := metric(t, base, name), metric(t, more, name)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s differs in trial %d: %v with 40 reps, %v with 60", name, i, a[i], b[i])
			}
		}
	}
	if c := model.Summarize("cold", metric(t, base, "cold")); c.Mean != 0 {
		t.Errorf("a team of 40 lets %.2f leads go cold; the test needs a demand-limited funnel", c.Mean)
	}
}

// TestWorkersInvariant checks that results are bit-identical for 1, 2 and
// 3 workers.
func TestWorkersInvariant(t *testing.T) {
	m := sample.Model()
	ref := run(t, m, model.Options{Trials: 1500, Seed: 42, Workers: 1})
	for _, w := range []int{2, 3} {
		r := run(t, m, model.Options{Trials: 1500, Seed: 42, Workers: w})
		identical(t, fmt.Sprintf("%d workers", w), r, ref)
	}
}

// identical fails the test unless got and want hold bit-identical trials.
func identical(t *testing.T, what string, got, want *model.Result) {
	t.Helper()
	for k := range want.Values {
		for i := range want.Values[k] {
			if math.Float64bits(want.Values[k][i]) != math.Float64bits(got.Values[k][i]) {
				t.Fatalf("%s: %s of trial %d is %v, want %v", what, want.Metrics[k].Name, i, got.Values[k][i], want.Values[k][i])
			}
		}
	}
	for i := range want.CumRevenue {
		if want.CumRevenue[i] != got.CumRevenue[i] || want.CumWins[i] != got.CumWins[i] {
			t.Fatalf("%s: weekly path differs at %d", what, i)
		}
	}
}

// TestRunAllEqualsRuns checks that running models together, sharing the
// parameter draws of those with the same posteriors and replaying the
// marketing stages they leave alone, gives each model's results bit for
// bit as running it alone: for the model, scenarios that change it from
// week 0 or later (one channel's arrivals and conversion, the sales
// stages, the reps and the queue, one channel's deal sizes) and a model
// with other posteriors, which draws its own. The followed leads'
// outcomes are taken from the first model's trial for the channels whose
// sales stages and deal sizes a scenario leaves alone.
func TestRunAllEqualsRuns(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	base := sample.Model()
	campaign := sample.Model()
	campaign.Changes = []model.Change{{Week: 2, Channel: "paid_social", Leads: f(0.6), Conversion: f(1.3)}}
	sql := sample.Model()
	sql.Changes = []model.Change{{Stage: "sal", Conversion: f(0.6)}, {Week: 4, Stage: "proposal", Conversion: f(1.2)}, {DealSize: f(1.1)}}
	reps := sample.Model()
	reps.Reps.Hires = append(reps.Reps.Hires, model.Hire{Week: 3, Count: 2})
	reps.Changes = []model.Change{{Week: 1, ColdRate: f(0.1)}}
	size := sample.Model()
	size.Changes = []model.Change{{Week: 5, Channel: "webinar", DealSize: f(1.3)}}
	other := sample.Model()
	other.Stages[1].Exits[0].Bands[0].Advance *= 1.5
	emp := withAmounts(sample.Model())
	empSize := withAmounts(sample.Model())
	empSize.Changes = []model.Change{{Week: 3, Channel: "referral", DealSize: f(0.7)}}
	closing := sample.Model()
	closing.Reps.CloseCapacity = 0.8
	closingHires := sample.Model()
	closingHires.Reps.CloseCapacity = 0.8
	closingHires.Reps.Hires = append(closingHires.Reps.Hires, model.Hire{Week: 2, Count: 2})
	models := []*model.Model{base, campaign, sql, reps, size, other, emp, empSize, closing, closingHires}
	o := model.Options{Trials: 600, Seed: 7, Workers: 2}
	all, err := model.RunAll(context.Background(), models, o)
	if err != nil {
		t.Fatal(err)
	}
	for j, m := range models {
		identical(t, fmt.Sprintf("model %d run with the others", j), all[j], run(t, m, o))
	}
}

// TestCancel cancels a long run once its first chunk is done: Run must
// return the context's error with at most one more chunk reported per
// worker (workers check between trials), not the run's 3,900 chunks.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	const workers = 2
	calls, after := 0, 0
	_, err := model.Run(ctx, sample.Model(), model.Options{Trials: 1_000_000, Seed: 1, Workers: workers,
		Progress: func(done, total int) {
			if calls++; calls == 1 {
				cancel()
			} else {
				after++
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if after > workers {
		t.Errorf("%d chunks reported after the cancellation, want at most %d", after, workers)
	}
}

// TestProgress checks that progress rises to the total, once per chunk.
func TestProgress(t *testing.T) {
	var seen []int
	run(t, sample.Model(), model.Options{Trials: 1000, Seed: 1, Workers: 2, Progress: func(done, total int) {
		if total != 1000 {
			t.Errorf("total = %d, want 1000", total)
		}
		seen = append(seen, done)
	}})
	if len(seen) != 4 || seen[len(seen)-1] != 1000 {
		t.Fatalf("progress calls %v, want 4 rising to 1000", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Errorf("progress fell: %v", seen)
		}
	}
}

func TestOptionsRefused(t *testing.T) {
	m := sample.Model()
	for _, o := range []model.Options{{Trials: -1}, {Trials: model.MaxTrials + 1}, {Weeks: 10000}, {Workers: -2}, {Trials: 40_000_000, Weeks: 520}} {
		if _, err := model.Run(context.Background(), m, o); err == nil {
			t.Errorf("Run(%+v) succeeded, want an error", o)
		}
	}
}

// TestGeometricSums checks the closed forms against direct sums.
func TestGeometricSums(t *testing.T) {
	for _, c := range []struct {
		r float64
		k int
	}{{0.5, 10}, {0.99, 52}, {1 - 1e-6, 26}, {1 - 1e-12, 52}, {0.3, 1}, {0, 5}, {1, 13}} {
		var s0, s1 float64
		for j := range c.k {
			s0 += math.Pow(c.r, float64(j))
			s1 += float64(j) * math.Pow(c.r, float64(j))
		}
		g0, g1, gk := model.GeometricSums(c.r, c.k)
		if !(math.Abs(g0-s0) <= 1e-8*s0) || !(math.Abs(g1-s1) <= 1e-8*math.Max(s1, 1)) || !(math.Abs(gk-math.Pow(c.r, float64(c.k))) <= 1e-12) {
			t.Errorf("r=%v k=%d: got (%v, %v, %v), want (%v, %v, r^k)", c.r, c.k, g0, g1, gk, s0, s1)
		}
	}
}

// TestEntryWeek checks the chances of leaving in the week of entry against
// their closed forms: 1 − (1 − e^{−λ})/λ for a uniform entry, and for a
// lead that crossed a stage of hazard ls first
// [1 − A(ls) − A(ld) + (e^{−ls} − e^{−ld})/(ld − ls)] / (1 − A(ls)), with
// A(λ) = (1 − e^{−λ})/λ; and that a stage left at once (ls → ∞) is as if
// it were not there.
func TestEntryWeek(t *testing.T) {
	a := func(l float64) float64 { return -math.Expm1(-l) / l }
	for _, l := range []float64{0.05, 0.3, 1, 2.5, 6} {
		if got, want := model.EntryWeek(l), 1-a(l); math.Abs(got-want) > 1e-12 {
			t.Errorf("EntryWeek(%v) = %v, want %v", l, got, want)
		}
		for _, ld := range []float64{0.07, 0.4, 1.3, 4} {
			want := (1 - a(l) - a(ld) + (math.Exp(-l)-math.Exp(-ld))/(ld-l)) / (1 - a(l))
			if got := model.CascadeWeek(l, ld); math.Abs(got-want) > 1e-9 {
				t.Errorf("CascadeWeek(%v, %v) = %v, want %v", l, ld, got, want)
			}
			if got := model.CascadeWeek(l, ld); got >= model.EntryWeek(ld) {
				t.Errorf("CascadeWeek(%v, %v) = %v: a lead that crossed a stage first has less of the week left than %v", l, ld, got, model.EntryWeek(ld))
			}
		}
	}
	// Equal hazards: the difference quotient becomes e^{−λ}.
	if got, want := model.CascadeWeek(1, 1), (1-2*a(1)+math.Exp(-1))/(1-a(1)); math.Abs(got-want) > 1e-9 {
		t.Errorf("CascadeWeek(1, 1) = %v, want %v", got, want)
	}
	if got, want := model.CascadeWeek(1e4, 1), model.EntryWeek(1); math.Abs(got-want) > 1e-3 {
		t.Errorf("CascadeWeek(1e4, 1) = %v, want about EntryWeek(1) = %v", got, want)
	}
}

// TestMetricInfo: every metric says which way it improves and how it
// reads; costs and losses improve by falling, and the SQL stage reads as
// SQLs whatever it is called.
func TestMetricInfo(t *testing.T) {
	r, err := model.Run(context.Background(), sample.Model(), model.Options{Trials: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	lower := map[string]bool{"spend": true, "cost_per_lead": true, "cost_per_sql": true, "cost_per_win": true, "cold": true, "lost_opportunities": true, "cycle_weeks": true}
	for _, m := range r.Metrics {
		if m.Label == "" {
			t.Errorf("%s: no label", m.Name)
		}
		if got := m.Better == model.Lower; got != lower[m.Name] {
			t.Errorf("%s: lower is better %v, want %v", m.Name, got, lower[m.Name])
		}
	}
	if info, ok := r.Info("sql"); !ok || info.Label != "SQLs" || info.Unit != model.Count {
		t.Errorf("Info(sql) = %+v, %v", info, ok)
	}
	if info, ok := r.Info("revenue"); !ok || info.Unit != model.Money || info.Better != model.Higher {
		t.Errorf("Info(revenue) = %+v, %v", info, ok)
	}
	if _, ok := r.Info("nothing"); ok {
		t.Error("Info found a metric that is not there")
	}
}

// TestSeasonMultipliesArrivals: with a yearly season every week's expected
// new leads are the model's without it times exp of the season's log
// multiplier at the middle of the week, computed from the calendar here.
func TestSeasonMultipliesArrivals(t *testing.T) {
	plain := sample.Model()
	seasonal := sample.Model()
	seasonal.ArrivalSeason = &model.Season{Cos: []float64{0.3, 0.1}, Sin: []float64{-0.4, 0.05}}
	plain.Reps.Unlimited, seasonal.Reps.Unlimited = true, true
	prev0, prev1 := 0.0, 0.0
	for w := 1; w <= 26; w++ {
		e0, err := model.Expect(plain, w)
		if err != nil {
			t.Fatal(err)
		}
		e1, err := model.Expect(seasonal, w)
		if err != nil {
			t.Fatal(err)
		}
		week0, week1 := e0.Entries[0]-prev0, e1.Entries[0]-prev1
		prev0, prev1 = e0.Entries[0], e1.Entries[0]
		mid := plain.AsOf.Add(time.Duration(w-1)*7*24*time.Hour + 84*time.Hour)
		want := math.Exp(seasonal.ArrivalSeason.Log(mid))
		if got := week1 / week0; math.Abs(got/want-1) > 1e-9 {
			t.Errorf("week %d (%s): leads ×%.6f, want ×%.6f", w, mid.Format(time.DateOnly), got, want)
		}
	}
	if r, peak := seasonal.ArrivalSeason.Amplitude(); !(r > 1.5 && peak >= 0 && peak < 1) {
		t.Errorf("amplitude %.2f at phase %.2f", r, peak)
	}
}
