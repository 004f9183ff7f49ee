package scenarios_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

// tripled generates a clean two-year history of the sample company at three
// times its leads and calibrates it: the truth, the generated leads, the
// history read back, the options used and the model.
func tripled(t *testing.T, seed uint64) (*sample.Truth, *generate.History, *calibrate.History, calibrate.Options, *model.Model) {
	t.Helper()
	truth := sample.Company()
	for i := range truth.Channels {
		truth.Channels[i].WeeklyLeads *= 3
	}
	g, h := fixture.Generated(t, truth, generate.Options{Seed: seed, UnrecordedLoss: -1, Dirty: -1})
	opts := calibrate.Options{AsOf: truth.AsOf.Time}
	m, err := calibrate.Estimate(context.Background(), h, opts)
	if err != nil {
		t.Fatal(err)
	}
	return truth, g, h, opts, m
}

const managerRule = `job_level in ["manager", "director", "executive"]`

// truthFactors computes, from the complete paths of generated leads, what
// a stricter SQL definition does: the share π of leads entering the stage
// before SQL that pass, and each stage's conversion among passing leads
// over that among all, with the counts behind them.
func truthFactors(g *generate.History, before time.Time, sql int) (pi float64, ratio []float64) {
	n := len(g.Truth.Stages)
	entered, passed := make([]float64, n), make([]float64, n)
	advAll, advPass := make([]float64, n), make([]float64, n)
	for _, l := range g.Leads {
		if !l.Reached[0].Before(before) {
			continue
		}
		pass := g.Profiles[l.Profile].Levels[0] >= 1 // manager or above
		for s := sql - 1; s < n; s++ {
			if l.Reached[s].IsZero() {
				break
			}
			advanced := s+1 < n && !l.Reached[s+1].IsZero() || s+1 == n && !l.Won.IsZero()
			entered[s]++
			if advanced {
				advAll[s]++
			}
			if pass {
				passed[s]++
				if advanced {
					advPass[s]++
				}
			}
		}
	}
	ratio = make([]float64, n)
	for s := sql - 1; s < n; s++ {
		ratio[s] = (advPass[s] / passed[s]) / (advAll[s] / entered[s])
	}
	return passed[sql-1] / entered[sql-1], ratio
}

// TestSQLRuleRecoversTruth: on generated history whose truth makes job
// level drive conversion, the rule "manager or above" must change the
// conversion into SQL and every later stage by the factors the truth
// implies. The truth's factors come from a separate, larger generated
// population of finished leads; the tolerance is 4 standard errors of the
// calibrated factors, binomial on the counts that entered each stage in
// the calibrated history (all and passing), at p = ½, the widest.
func TestSQLRuleRecoversTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("a statistical replication; make test runs it without the race detector")
	}
	truth, g, h, opts, m := tripled(t, 31)
	f := decode(t, "scenarios:\n  - name: strict\n    interventions:\n      - sql_criteria:\n          rule: '"+managerRule+"'\n")
	out, notes, err := scenarios.Apply(m, f.Scenarios[0], &scenarios.Evidence{History: h, Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(notes)
	got := map[string]float64{}
	for _, c := range out.Changes {
		got[c.Stage] = *c.Conversion
	}
	big, err := generate.Generate(context.Background(), truth, generate.Options{Seed: 32, Weeks: 260, UnrecordedLoss: -1, Dirty: -1})
	if err != nil {
		t.Fatal(err)
	}
	sql := m.StageIndex(m.SQLStage)
	pi, ratio := truthFactors(big, truth.AsOf.AddDate(0, 0, -7*60), sql)
	// Standard errors of the calibrated factors, from the counts that
	// entered each stage in the calibrated history (all and passing).
	piCal, _ := truthFactors(g, truth.AsOf.Time, sql)
	for s := sql - 1; s < len(m.Stages); s++ {
		want := ratio[s]
		if s == sql-1 {
			want *= pi
		}
		name := m.Stages[s].Name
		n := 0.0
		for _, l := range h.Leads {
			if !l.Reached[s].IsZero() {
				n++
			}
		}
		se := want * math.Sqrt(1/(n*piCal)+1/n) // relative binomial SE at p = ½
		t.Logf("%s: factor %.3f, truth %.3f ± %.3f", name, got[name], want, se)
		if math.Abs(got[name]-want) > 4*se {
			t.Errorf("%s: factor %.3f, the truth implies %.3f (4 SE %.3f)", name, got[name], want, 4*se)
		}
	}
	if !strings.Contains(notes[0], "pass the rule") {
		t.Errorf("notes %q", notes)
	}
	c := compareModels(t, m, out)
	sqlD, wr := delta(t, c, "sql"), delta(t, c, "win_rate")
	if sqlD.Summary.Mean > -4*sqlD.PairedSE || wr.Summary.Mean < 4*wr.PairedSE {
		t.Errorf("sql %+.1f ± %.1f, win rate %+.4f ± %.4f: want fewer SQLs and a better win rate", sqlD.Summary.Mean, sqlD.PairedSE, wr.Summary.Mean, wr.PairedSE)
	}
}

// compareModels compares a changed model with its baseline on common
// random numbers.
func compareModels(t *testing.T, base, changed *model.Model) scenarios.Outcome {
	t.Helper()
	c, err := scenarios.CompareModels(t.Context(), base, []*model.Model{changed}, []string{"changed"}, model.Options{Trials: 2000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	return c.Scenarios[0]
}

// TestCampaignFilterRecoversTruth: retargeting paid social at managers and
// above must change the channel's conversion at every stage by the ratios
// the generator's truth implies, within 4 binomial standard errors (at
// p = ½) of the calibrated history's counts.
func TestCampaignFilterRecoversTruth(t *testing.T) {
	truth, _, h, opts, m := tripled(t, 41)
	f := decode(t, "scenarios:\n  - name: c\n    interventions:\n      - campaign:\n          channel: paid_social\n          filter: '"+managerRule+"'\n")
	out, notes, err := scenarios.Apply(m, f.Scenarios[0], &scenarios.Evidence{History: h, Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(notes)
	got := map[string]float64{}
	for _, c := range out.Changes {
		if c.Stage != "" {
			got[c.Stage] = *c.Conversion
		}
	}
	big, err := generate.Generate(context.Background(), truth, generate.Options{Seed: 42, Weeks: 260, UnrecordedLoss: -1, Dirty: -1})
	if err != nil {
		t.Fatal(err)
	}
	before := truth.AsOf.AddDate(0, 0, -7*60)
	for s, st := range truth.Stages {
		var all, adv, pass, advPass float64
		for _, l := range big.Leads {
			if l.Channel != "paid_social" || !l.Reached[0].Before(before) || l.Reached[s].IsZero() {
				continue
			}
			advanced := s+1 < len(truth.Stages) && !l.Reached[s+1].IsZero() || s+1 == len(truth.Stages) && !l.Won.IsZero()
			ok := big.Profiles[l.Profile].Levels[0] >= 1
			all++
			pass += b2f(ok)
			adv += b2f(advanced)
			advPass += b2f(ok && advanced)
		}
		want := (advPass / pass) / (adv / all)
		n, np := 0.0, 0.0
		for _, l := range h.Leads {
			if l.Channel == "paid_social" && !l.Reached[s].IsZero() {
				n++
				if l.Attrs[0] != "individual" {
					np++
				}
			}
		}
		se := want * math.Sqrt(1/np+1/n)
		t.Logf("%s: factor %.3f, truth %.3f ± %.3f", st.Name, got[st.Name], want, se)
		if math.Abs(got[st.Name]-want) > 4*se {
			t.Errorf("%s: factor %.3f, the truth implies %.3f (4 SE %.3f)", st.Name, got[st.Name], want, 4*se)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
