package model_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// withReps gives the sample model three reps with shares of the new deals,
// and its open deals to them in turn, every third without a rep (drawn by
// the shares) and every fourth without an amount (drawn from the sizes).
func withReps(m *model.Model) *model.Model {
	m.Reps.Shares = []model.RepShare{{Rep: "ann", Share: 0.5}, {Rep: "bob", Share: 0.3}, {Rep: "cy", Share: 0.2}}
	for i := range m.Pipeline.Deals {
		d := &m.Pipeline.Deals[i]
		d.Rep = []string{"ann", "bob", ""}[i%3]
		if i%4 == 3 {
			d.Amount = 0
		}
	}
	return m
}

// TestRepsSum checks that the reps' wins and revenue sum to the run's in
// every trial, that keeping them and the deals changes no total, and that
// the new deals go to the reps in their shares.
func TestRepsSum(t *testing.T) {
	m := withReps(sample.Model())
	o := model.Options{Trials: 400, Seed: 5, Workers: 2}
	plain, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	o.By, o.Deals, o.ByChannel = "rep", true, true
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Groups) != 4 || r.Groups[3].Name != model.Unassigned {
		t.Fatalf("reps %+v, want ann, bob, cy and %s", r.Groups, model.Unassigned)
	}
	wins, _ := r.Metric("wins")
	rev, _ := r.Metric("revenue")
	plainWins, _ := plain.Metric("wins")
	plainRev, _ := plain.Metric("revenue")
	for i := range wins {
		if wins[i] != plainWins[i] || rev[i] != plainRev[i] {
			t.Fatalf("trial %d: wins %v revenue %v tracked, %v %v not", i, wins[i], rev[i], plainWins[i], plainRev[i])
		}
		var w, v float64
		for _, g := range r.Groups {
			w += g.Wins[i]
			v += g.Revenue[i]
		}
		if w != wins[i] || math.Abs(v-rev[i]) > 1e-9*math.Max(1, rev[i]) {
			t.Fatalf("trial %d: reps sum to %v wins and %v revenue, the run has %v and %v", i, w, v, wins[i], rev[i])
		}
		if r.Groups[3].Wins[i] != 0 {
			t.Fatalf("trial %d: %v wins unassigned with shares that cover every deal", i, r.Groups[3].Wins[i])
		}
	}
}

// TestRepShares checks that wins with no rep go to the reps in their
// shares: with every deal's rep taken away, each rep's share of the wins
// is its share of the hand-offs, within 4 standard errors.
func TestRepShares(t *testing.T) {
	m := withReps(sample.Model())
	for i := range m.Pipeline.Deals {
		m.Pipeline.Deals[i].Rep = ""
	}
	o := model.Options{Trials: 300, Seed: 9, Workers: 2, By: "rep"}
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, g := range r.Groups {
		total += stat.Mean(g.Wins, nil) * float64(o.Trials)
	}
	for k, s := range m.Reps.Shares {
		got := stat.Mean(r.Groups[k].Wins, nil) * float64(o.Trials) / total
		se := math.Sqrt(s.Share * (1 - s.Share) / total)
		if math.Abs(got-s.Share) > 4*se {
			t.Errorf("%s: %.4f of the wins, want %.4f ± %.4f", s.Rep, got, s.Share, 4*se)
		}
	}
}

// TestDealChances checks each open deal's chance of being won within the
// horizon against Expect, the deterministic oracle, with the parameters
// fixed at their means: each within 4 binomial standard errors, and their
// sum, the expected wins from the open deals, within 3 MCSE of the
// oracle's.
func TestDealChances(t *testing.T) {
	m := withReps(sample.Model())
	m.Reps.Unlimited = true
	const weeks = 8
	want, err := model.Expect(m, weeks)
	if err != nil {
		t.Fatal(err)
	}
	o := model.Options{Trials: 4000, Seed: 7, Workers: 2, Weeks: weeks, FixedParams: true, Deals: true}
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	n := float64(o.Trials)
	sum, wantSum := 0.0, 0.0
	for i, d := range r.Deals {
		p, q := float64(d.Won)/n, want.Deals[i]
		se := math.Sqrt(math.Max(q*(1-q), 1/n) / n)
		if math.Abs(p-q) > 4*se {
			t.Errorf("deal %s: won in %.4f of trials, the oracle says %.4f ± %.4f", d.ID, p, q, 4*se)
		}
		sum += p
		wantSum += q
	}
	mean, sd := stat.MeanStdDev(r.DealWins, nil)
	mcse := sd / math.Sqrt(n)
	if math.Abs(mean-sum) > 1e-9 {
		t.Errorf("the deals' chances sum to %v, the trials' deals won average %v", sum, mean)
	}
	if math.Abs(sum-wantSum) > 3*mcse {
		t.Errorf("expected wins from the open deals %.3f, the oracle's %.3f ± %.3f (3 MCSE)", sum, wantSum, 3*mcse)
	}
}

// TestFromWindow checks that a window from week From counts the wins of
// those weeks only: the channels' wins sum, in every trial, to the
// cumulative wins at the horizon less those before From.
func TestFromWindow(t *testing.T) {
	m := withReps(sample.Model())
	o := model.Options{Trials: 200, Seed: 2, Workers: 2, Weeks: 13, From: 5, ByChannel: true, By: "rep"}
	r, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	for i := range o.Trials {
		cum := r.CumWins[i*o.Weeks : (i+1)*o.Weeks]
		want := cum[o.Weeks-1] - cum[o.From-1]
		var ch, rep float64
		for _, c := range r.Channels {
			ch += c.Wins[i]
		}
		for _, g := range r.Groups {
			rep += g.Wins[i]
		}
		if ch != want || rep != want {
			t.Fatalf("trial %d: channels %v, reps %v wins from week %d, want %v", i, ch, rep, o.From, want)
		}
	}
	o.From = 13
	if _, err := model.Run(context.Background(), m, o); err == nil {
		t.Error("From at the horizon: no error")
	}
}

func ExampleOptions_deals() {
	m := sample.Model()
	r, err := model.Run(context.Background(), m, model.Options{Trials: 2000, Seed: 1, Deals: true})
	if err != nil {
		panic(err)
	}
	d := r.Deals[0]
	fmt.Printf("%s: won in %.0f%% of trials\n", d.ID, 100*float64(d.Won)/float64(r.Trials))
	// Output: D-1001: won in 14% of trials
}
