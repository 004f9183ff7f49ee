package backtest_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/sample"
)

// TestSelfCheck checks calibrate's self-check on a two-year generated
// history: quarterly origins whose last quarter ends at the as-of date,
// a record per target that is the backtest's own summary at those
// origins, and combinations that are shrunk toward the model and hold a
// baseline's increasing quantiles.
func TestSelfCheck(t *testing.T) {
	weeks, least := 104, 4
	if testing.Short() { // under the race detector: two origins, fitted at once
		weeks, least = 66, 2
	}
	_, h := fixture.Generated(t, sample.Company(), generate.Options{Seed: 11, Weeks: weeks})
	co := calibrate.Options{DeriveStale: true}
	m, err := calibrate.Estimate(context.Background(), h, co)
	if err != nil {
		t.Fatal(err)
	}
	o := backtest.Options{Calibrate: co, Seed: 7, Trials: 400}
	tr, err := backtest.SelfCheck(context.Background(), h, m, o)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Skipped != "" || len(tr.Origins) < least {
		t.Fatalf("skipped %q, %d origins", tr.Skipped, len(tr.Origins))
	}
	last := tr.Origins[len(tr.Origins)-1].Time
	if got := last.Add(13 * 7 * 24 * time.Hour); !got.Equal(m.AsOf.Time) {
		t.Errorf("the last origin's quarter ends %s, not at the as-of date %s", got.Format(time.DateOnly), m.AsOf)
	}
	for i := 1; i < len(tr.Origins); i++ {
		if d := tr.Origins[i].Sub(tr.Origins[i-1].Time); d != 13*7*24*time.Hour {
			t.Errorf("origins %d and %d are %v apart, not a quarter", i-1, i, d)
		}
	}
	o.Origins, o.Every, o.Horizon, o.End = backtest.SelfCheckOrigins, 13, 13, m.AsOf.Time
	res, err := backtest.Run(context.Background(), h, o)
	if err != nil {
		t.Fatal(err)
	}
	combined := 0
	for _, s := range res.Summary() {
		r := tr.Target(s.Target)
		if r == nil {
			t.Fatalf("no record of %s", s.Target)
		}
		if r.Scored != s.N || r.Covered80 != int(math.Round(s.Model().Cover80*float64(s.N))) || r.Strongest != s.Methods[s.Best].Method || r.Skill[r.Strongest] != s.Methods[s.Best].Skill {
			t.Errorf("%s: record %+v, the backtest's: %d scored, 80%% cover %.2f, strongest %s %+.3f", s.Target, *r, s.N, s.Model().Cover80, s.Methods[s.Best].Method, s.Methods[s.Best].Skill)
		}
		c := r.Combination
		if c == nil {
			continue
		}
		combined++
		q := float64(min(r.Scored, len(tr.Origins)))
		if c.Weight <= 0 || c.Weight > q/(q+4)+1e-12 {
			t.Errorf("%s: weight %.3f outside (0, %.3f]", s.Target, c.Weight, q/(q+4))
		}
		for j := 1; j < len(c.Quantiles); j++ {
			if c.Quantiles[j] < c.Quantiles[j-1] {
				t.Errorf("%s: quantiles decrease at %d", s.Target, j)
			}
		}
	}
	t.Logf("%d origins, %d of %d targets combined", len(tr.Origins), combined, len(tr.Targets))
	if err := m.Validate(); err != nil {
		t.Error(err)
	}
	m.TrackRecord = tr
	if err := m.Validate(); err != nil {
		t.Errorf("the record is refused: %v", err)
	}
}

// TestSelfCheckShort checks that a history too short for one origin gives
// a record that says so, not an error.
func TestSelfCheckShort(t *testing.T) {
	_, h := fixture.Generated(t, sample.Company(), generate.Options{Seed: 11, Weeks: 30})
	m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{DeriveStale: true})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := backtest.SelfCheck(context.Background(), h, m, backtest.Options{Seed: 1, Trials: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tr.Skipped, "too short for one origin") || len(tr.Targets) != 0 {
		t.Errorf("skipped %q, %d targets", tr.Skipped, len(tr.Targets))
	}
	if l := tr.Lines(13); len(l) != 1 || !strings.HasPrefix(l[0], "no track record: the history") {
		t.Errorf("lines %q", l)
	}
}
