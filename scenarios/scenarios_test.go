package scenarios_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

func decode(t *testing.T, text string) *scenarios.File {
	t.Helper()
	f, err := scenarios.Decode([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func compare(t *testing.T, m *model.Model, text string, trials int) *scenarios.Comparison {
	t.Helper()
	c, err := scenarios.Compare(context.Background(), m, decode(t, text), model.Options{Trials: trials, Seed: 11}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func delta(t *testing.T, o scenarios.Outcome, metric string) scenarios.Delta {
	t.Helper()
	d, ok := o.Delta(metric)
	if !ok {
		t.Fatalf("no delta for %s", metric)
	}
	return d
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"scenarios:\n  - name: a\n    interventions:\n      - reps: {week: 1, hires: 2}\n        sla: {cold_rate: 0.1}\n", "scenarios[0].interventions[0]: has 2 kinds, want exactly one of budget, campaign, sql_criteria, reps, sla, deal_size, conversion"},
		{"scenarios:\n  - name: a\n    interventions:\n      - reps: {week: 1, hirez: 2}\n", "line 4: scenarios[0].interventions[0].reps.hirez: unknown key (did you mean \"hires\"?)"},
		{"scenarios:\n  - interventions:\n      - reps: {hires: 2}\n", "scenarios[0].name: is missing"},
		{"scenarios:\n  - name: a\n    interventions: [{reps: {hires: 1}}]\n  - name: a\n    interventions: [{reps: {hires: 1}}]\n", `scenarios[1].name: "a" is used twice`},
		{"baseline: x\n", "scenarios: none given"},
	} {
		_, err := scenarios.Decode([]byte(c.text))
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}

func TestApplyErrors(t *testing.T) {
	m := sample.Model()
	for _, c := range []struct{ text, want string }{
		{"budget: {move: {from: tv, to: webinar, share: 0.3}}", `scenario "s": interventions[0]: budget.move.from: no channel "tv" in the model`},
		{"budget: {spend: {paid_socail: 100}}", `scenario "s": interventions[0]: budget.spend: no channel "paid_socail" in the model (did you mean "paid_social"?)`},
		{"budget: {move: {from: paid_social, to: webinar, share: 1.5}}", `scenario "s": interventions[0]: budget.move.share: must be in (0, 1] (got 1.5)`},
		{"budget: {move: {from: paid_social, to: webinar, amount: 99000}}", `scenario "s": interventions[0]: budget.move.amount: 99000 is more than paid_social's weekly spend 9000 at week 0`},
		{"budget: {move: {from: webinar, to: webinar, amount: 100}}", `scenario "s": interventions[0]: budget.move: from and to are both webinar`},
		{"budget: {move: {from: paid_social, to: webinar, amount: 5000}}\n      - budget: {week: 2, move: {from: paid_social, to: referral, amount: 5000}}", `scenario "s": interventions[1]: budget.move.amount: 5000 is more than paid_social's weekly spend 4000 at week 2`},
		{"campaign: {channel: paid_social}", `scenario "s": interventions[0]: campaign: give volume, quality or sales_quality`},
		{"conversion: {stage: demo, factor: 1.2}", `scenario "s": interventions[0]: conversion.stage: no stage "demo" in the model`},
		{"sla: {cold_rate: 2}", `scenario "s": interventions[0]: sla.cold_rate: must be a share in [0, 1] (got 2)`},
		{"reps: {week: -1, hires: 2}", `scenario "s": interventions[0]: week: must be in 0..520 (got -1)`},
	} {
		f := decode(t, "scenarios:\n  - name: s\n    interventions:\n      - "+c.text+"\n")
		_, _, err := scenarios.Apply(m, f.Scenarios[0], nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.text, err, c.want)
		}
	}
}

// TestApplyIsPure checks that applying a scenario leaves the baseline
// model exactly as it was.
func TestApplyIsPure(t *testing.T) {
	m := sample.Model()
	var before, after bytes.Buffer
	m.Encode(&before)
	f := decode(t, "scenarios:\n  - name: s\n    interventions:\n      - reps: {week: 3, hires: 2}\n      - budget: {move: {from: paid_social, to: webinar, share: 0.3}}\n      - sla: {cold_rate: 0.05}\n")
	s, _, err := scenarios.Apply(m, f.Scenarios[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	m.Encode(&after)
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Fatal("Apply changed the baseline model")
	}
	if len(s.Reps.Hires) != 1 || len(s.Changes) != 3 {
		t.Fatalf("scenario model: hires %v, changes %v", s.Reps.Hires, s.Changes)
	}
}

// TestMoreRepsWhereCapacityBinds: the sample company's six reps run close
// to capacity, so two more from week 0 raise wins; with capacity to spare
// they change nothing beyond the Monte Carlo error.
func TestMoreReps(t *testing.T) {
	if testing.Short() {
		t.Skip("a statistical replication; make test runs it without the race detector")
	}
	const text = "scenarios:\n  - name: two more reps\n    interventions:\n      - reps: {week: 0, hires: 2}\n"
	m := sample.Model()
	m.Reps.RampWeeks = 0
	c := compare(t, m, text, 10000)
	d := delta(t, c.Scenarios[0], "wins")
	t.Logf("binding: wins %+.2f ± %.2f (paired SE), p_better %.3f; cold %+.1f", d.Summary.Mean, d.PairedSE, d.PBetter, delta(t, c.Scenarios[0], "cold").Summary.Mean)
	if d.Summary.Mean < 4*d.PairedSE {
		t.Errorf("two more reps where capacity binds: wins %+.2f ± %.2f, want a clear gain", d.Summary.Mean, d.PairedSE)
	}
	free := sample.Model()
	free.Reps.WeeklyCapacity = 1000
	c = compare(t, free, text, 4000)
	d = delta(t, c.Scenarios[0], "wins")
	t.Logf("demand-limited: wins %+.3f ± %.3f", d.Summary.Mean, d.PairedSE)
	if math.Abs(d.Summary.Mean) > 4*d.PairedSE+1e-12 {
		t.Errorf("two more reps with capacity to spare: wins %+.3f ± %.3f, want no change", d.Summary.Mean, d.PairedSE)
	}
}

// TestCommonRandomNumbers shows why scenarios share trials: the standard
// error of the paired difference in revenue is far below that of two
// independent runs.
func TestCommonRandomNumbers(t *testing.T) {
	c := compare(t, sample.Model(), "scenarios:\n  - name: SLA\n    interventions:\n      - sla: {cold_rate: 0.1}\n", 4000)
	d := delta(t, c.Scenarios[0], "revenue")
	ratio := d.PairedSE / d.UnpairedSE
	t.Logf("revenue: paired SE %.0f, unpaired SE %.0f, ratio %.3f", d.PairedSE, d.UnpairedSE, ratio)
	if !(ratio < 0.5) {
		t.Errorf("paired SE %.0f is not far below the unpaired %.0f (ratio %.2f)", d.PairedSE, d.UnpairedSE, ratio)
	}
}

// TestBudgetFollowsResponse moves 30% of paid social's spend to webinars:
// the change in leads must be what the two response curves say, within
// 4 paired standard errors.
func TestBudgetFollowsResponse(t *testing.T) {
	m := sample.Model()
	c := compare(t, m, "scenarios:\n  - name: move\n    interventions:\n      - budget: {move: {from: paid_social, to: webinar, share: 0.3}}\n", 4000)
	want := 0.0
	for _, name := range []string{"paid_social", "webinar"} {
		for _, ch := range m.Channels {
			if ch.Name != name {
				continue
			}
			x := ch.WeeklySpend + 0.3*9000
			if name == "paid_social" {
				x = ch.WeeklySpend - 0.3*9000
			}
			want += ch.WeeklyLeads * (ch.Response.Leads(x)/ch.Response.Leads(ch.WeeklySpend) - 1) * 13
		}
	}
	d := delta(t, c.Scenarios[0], "leads")
	t.Logf("leads: %+.1f ± %.1f, the curves say %+.1f", d.Summary.Mean, d.PairedSE, want)
	if math.Abs(d.Summary.Mean-want) > 4*d.PairedSE {
		t.Errorf("leads %+.1f ± %.1f, want %+.1f", d.Summary.Mean, d.PairedSE, want)
	}
	if sp := delta(t, c.Scenarios[0], "spend").Summary.Mean; math.Abs(sp) > 1e-6 {
		t.Errorf("a move changed total spend by %v", sp)
	}
	for _, w := range c.Scenarios[0].Warnings {
		if !strings.Contains(w, "budget") {
			t.Errorf("warning %q", w)
		}
	}
}

// TestBudgetMovesCompose: two moves in a row equal one move of their sum,
// trial by trial, since each starts from the spend the one before left.
func TestBudgetMovesCompose(t *testing.T) {
	m := sample.Model()
	c := compare(t, m, `scenarios:
  - name: two
    interventions:
      - budget: {week: 1, move: {from: paid_social, to: webinar, amount: 2000}}
      - budget: {week: 1, move: {from: paid_social, to: webinar, amount: 3000}}
  - name: one
    interventions:
      - budget: {week: 1, move: {from: paid_social, to: webinar, amount: 5000}}
`, 1000)
	two, one := c.Scenarios[0].Result, c.Scenarios[1].Result
	for _, name := range []string{"leads", "spend", "revenue"} {
		a, _ := two.Metric(name)
		b, _ := one.Metric(name)
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-9*math.Max(1, math.Abs(b[i])) {
				t.Fatalf("%s, trial %d: two moves give %v, one move of their sum %v", name, i, a[i], b[i])
			}
		}
	}
}

// TestSQLCriteria: a stricter hand-off lowers SQLs and raises the win rate.
func TestSQLCriteria(t *testing.T) {
	c := compare(t, sample.Model(), "scenarios:\n  - name: strict\n    interventions:\n      - sql_criteria: {handoff: 0.7, downstream: 1.3}\n", 4000)
	sql, wr := delta(t, c.Scenarios[0], "sql"), delta(t, c.Scenarios[0], "win_rate")
	t.Logf("sql %+.1f ± %.1f; win rate %+.4f ± %.4f", sql.Summary.Mean, sql.PairedSE, wr.Summary.Mean, wr.PairedSE)
	if sql.Summary.Mean > -4*sql.PairedSE || wr.Summary.Mean < 4*wr.PairedSE {
		t.Errorf("sql %+.1f ± %.1f, win rate %+.4f ± %.4f: want fewer SQLs and a higher win rate", sql.Summary.Mean, sql.PairedSE, wr.Summary.Mean, wr.PairedSE)
	}
}

func TestRuleErrors(t *testing.T) {
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "h.csv", R: strings.NewReader("lead_id,created_at,job_level,lead_score\na,2025-01-01,manager,70\nb,2025-01-02,staff,40\n")}}, calibrate.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ rule, want string }{
		{`job_title == "x"`, `rule "job_title == \"x\"": unknown name job_title (1:1)`},
		{`lead_score + 1`, `rule "lead_score + 1": expected bool, but got float64`},
		{`os.Exit(1)`, `rule "os.Exit(1)": unknown name os (1:1)`},
		// Rules that would build a string of gigabytes from a few hundred
		// characters are refused before they run.
		{doubling(32), "+ at character 34 joins values that are not numbers"},
		{`reduce(1..40, #acc + #acc, "x") == job_level`, "+ at character 20 joins values that are not numbers"},
		{`job_level + job_level == "x"`, "+ at character 11 joins values that are not numbers"},
		{`repeat("x", 1000000000) == job_level`, `rule "repeat(\"x\", 1000000000) == job_level": unknown name repeat`},
		{`replace(job_level, "", "xx") == ""`, `rule "replace(job_level, \"\", \"xx\") == \"\"": unknown name replace`},
	} {
		_, err := scenarios.CompileRule(c.rule, h)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.rule, err, c.want)
		}
	}
	for _, ok := range []string{`lower(job_level) == "man" + "ager"`, `len(trim(job_level)) > 3 && job_level in ["manager", "director"]`, `lead_score + 10 >= 70`} {
		if _, err := scenarios.CompileRule(ok, h); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	r, err := scenarios.CompileRule(`lead_score >= 60 && job_level == "manager"`, h)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false} {
		if got, err := r.Match(&h.Leads[i]); err != nil || got != want {
			t.Errorf("lead %s: %v %v, want %v", h.Leads[i].ID, got, err, want)
		}
	}
	// A rule that would cost 810,000 on each lead stops at its budget,
	// with an error naming it, and a cheap one still runs on the same VM.
	slow, err := scenarios.CompileRule(`all(1..900, {all(1..900, {# + lead_score > -1})})`, h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := slow.Match(&h.Leads[0]); err == nil || !strings.Contains(err.Error(), "memory budget exceeded") || !strings.Contains(err.Error(), "all(1..900") {
		t.Errorf("a rule past its budget: %v", err)
	}
	if got, err := r.Match(&h.Leads[0]); err != nil || !got {
		t.Errorf("after it, a cheap rule: %v %v", got, err)
	}
	f := decode(t, "scenarios:\n  - name: s\n    interventions:\n      - sql_criteria: {rule: 'lead_score > 50'}\n")
	if _, _, err := scenarios.Apply(sample.Model(), f.Scenarios[0], nil); err == nil || err.Error() != `scenario "s": interventions[0]: sql_criteria.rule: needs the history the model came from` {
		t.Errorf("rule without history: %v", err)
	}
}

// doubling is a rule of let bindings that doubles a string n times.
func doubling(n int) string {
	var b strings.Builder
	b.WriteString(`let s0 = "xxxxxxxx"; `)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "let s%d = s%d + s%d; ", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "len(s%d) > 0", n)
	return b.String()
}

// TestRuleCaseless: strings compare without case, and a value no lead
// has is a warning naming the values there are. Before, `consent ==
// "yes"` on a column of Yes and No passed no lead, silently.
func TestRuleCaseless(t *testing.T) {
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "h.csv", R: strings.NewReader("lead_id,created_at,consent,region\na,2025-01-01,Yes,North\nb,2025-01-02,No,south\nc,2025-01-03,YES,North\nd,2025-01-04,Unknown,\n")}}, calibrate.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rule     string
		want     []bool
		warnings []string
	}{
		{`consent == "yes"`, []bool{true, false, true, false}, nil},
		{`"YES" == consent`, []bool{true, false, true, false}, nil},
		{`consent != "yes"`, []bool{false, true, false, true}, nil},
		{`region in ["NORTH", "South"]`, []bool{true, true, true, false}, nil},
		{`region startsWith "nor" || consent contains "KNOW"`, []bool{true, false, true, true}, nil},
		{`upper(region) == "NORTH"`, []bool{true, false, true, false}, nil},
		{`consent == "y"`, []bool{false, false, false, false}, []string{`rule "consent == \"y\"": no row has consent "y", in any case; its values are yes, no, unknown`}},
		{`region in ["east", "north"]`, []bool{true, false, true, false}, []string{`rule "region in [\"east\", \"north\"]": no row has region "east", in any case; its values are north, (empty), south`}},
	} {
		r, err := scenarios.CompileRule(c.rule, h)
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		for i, want := range c.want {
			if got, err := r.Match(&h.Leads[i]); err != nil || got != want {
				t.Errorf("%s on lead %s: %v %v, want %v", c.rule, h.Leads[i].ID, got, err, want)
			}
		}
		if !slices.Equal(r.Warnings(), c.warnings) {
			t.Errorf("%s: warnings %q, want %q", c.rule, r.Warnings(), c.warnings)
		}
	}
}
