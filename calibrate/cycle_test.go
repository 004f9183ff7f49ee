package calibrate_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/sample"
)

// TestQuarterCycleRecovery generates two years of the sample company with
// a quarter-end push (from the opportunity stage on, the advance hazard
// ×0.7, ×1 and ×1.6 in a quarter's three months, the loss hazard divided
// by the same) and calibrates it: the cycle is found, and the third
// month's factor over the first's is the push's 1.6/0.7 = 2.3 on the
// hazard of advancing, and its inverse on the hazard of loss: the log
// ratios, pooled over three seeds with inverse-variance weights, within 3
// standard errors (a seed's variance is 1/n₁ + 1/n₃ for the events
// counted in the two months). Without the push, no seed shows a cycle.
func TestQuarterCycleRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("six generated histories calibrated; make test runs it without the race detector")
	}
	push := [3]float64{0.7, 1, 1.6}
	want := math.Log(push[2] / push[0])
	// Per seed, the estimated log ratios and their variances, pooled
	// over the seeds with inverse-variance weights.
	var advSum, advW, lossSum, lossW float64
	for _, seed := range []uint64{3, 4, 5} {
		_, h := fixture.Generated(t, sample.Company(), generate.Options{Weeks: 104, Seed: seed, QuarterPush: &push})
		m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c := m.QuarterCycle
		if c == nil {
			t.Fatalf("seed %d: no quarter cycle found", seed)
		}
		adv, lost := closesByMonth(h, m.AsOf.Time)
		w := 1 / (1/adv[0] + 1/adv[2])
		advSum, advW = advSum+w*math.Log(c.Advance[2]/c.Advance[0]), advW+w
		w = 1 / (1/lost[0] + 1/lost[2])
		lossSum, lossW = lossSum+w*math.Log(c.Loss[0]/c.Loss[2]), lossW+w
		t.Logf("seed %d: advance %v, loss %v", seed, c.Advance, c.Loss)
		_, flat := fixture.Generated(t, sample.Company(), generate.Options{Weeks: 104, Seed: seed})
		m, err = calibrate.Estimate(context.Background(), flat, calibrate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if m.QuarterCycle != nil {
			t.Errorf("seed %d: a cycle %+v found in a history without one", seed, *m.QuarterCycle)
		}
	}
	if got, se := advSum/advW, math.Sqrt(1/advW); math.Abs(got-want) > 3*se {
		t.Errorf("the third month's advance factor over the first's is %.2f, want %.2f (log ratio %.3f, want %.3f ± %.3f)", math.Exp(got), math.Exp(want), got, want, 3*se)
	}
	if got, se := lossSum/lossW, math.Sqrt(1/lossW); math.Abs(got-want) > 3*se {
		t.Errorf("the first month's loss factor over the third's is %.2f, want %.2f (log ratio %.3f, want %.3f ± %.3f)", math.Exp(got), math.Exp(want), got, want, 3*se)
	}
}

// closesByMonth counts, by month of the calendar quarter, the advances
// from the opportunity stage on (into proposal, or won) and the recorded
// losses of leads that reached the opportunity stage, before asOf.
func closesByMonth(h *calibrate.History, asOf time.Time) (adv, lost [3]float64) {
	opp, prop := slices.Index(h.Stages, "opportunity"), slices.Index(h.Stages, "proposal")
	month := func(t time.Time) int { return (int(t.Month()) - 1) % 3 }
	for i := range h.Leads {
		l := &h.Leads[i]
		if l.Reached[opp].IsZero() {
			continue
		}
		for _, at := range []time.Time{l.Reached[prop], l.Won} {
			if !at.IsZero() && at.Before(asOf) {
				adv[month(at)]++
			}
		}
		if !l.Lost.IsZero() && l.Lost.Before(asOf) {
			lost[month(l.Lost)]++
		}
	}
	return adv, lost
}
