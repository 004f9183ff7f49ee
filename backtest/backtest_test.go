package backtest_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/sample"
)

func TestCRPS(t *testing.T) {
	// A point forecast scores its absolute error.
	if got := backtest.CRPS([]float64{5, 5, 5}, 2); got != 3 {
		t.Errorf("CRPS of a point = %v, want 3", got)
	}
	// Uniform sample 0..n−1 against y = (n−1)/2: E|X−y| − ½E|X−X'|.
	xs := []float64{0, 1, 2, 3, 4}
	// E|X−2| = 6/5; E|X−X'| over all pairs = 40/25; CRPS = 1.2 − 0.8 = 0.4.
	if got := backtest.CRPS(xs, 2); math.Abs(got-0.4) > 1e-12 {
		t.Errorf("CRPS = %v, want 0.4", got)
	}
	if got := backtest.PIT([]float64{1, 2, 2, 3}, 2, 0.5); got != 0.5 {
		t.Errorf("PIT = %v, want 0.5", got)
	}
	if !backtest.Covers([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 0.8) || backtest.Covers([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 1, 0.5) {
		t.Error("Covers")
	}
}

// TestBacktestGenerated backtests a three-year generated history (30% of
// losses never recorded, leads idle 26 weeks taken as lost) at 20 origins
// four weeks apart. Pooled over its targets, the model's 80% intervals
// must cover 70 to 90% of outcomes, and the PIT of wins must be roughly
// flat: its Kolmogorov–Smirnov distance from uniform under the 1%
// critical value for 20 values (0.356).
func TestBacktestGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates and forecasts at 20 origins")
	}
	truth := sample.Company()
	_, h := fixture.Generated(t, truth, generate.Options{Seed: 51, Weeks: 156})
	res, err := backtest.Run(context.Background(), h, backtest.Options{Calibrate: calibrate.Options{StaleAfter: 26 * 7 * 24 * time.Hour}, Trials: 1000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Origins) != 20 {
		t.Fatalf("%d origins, want 20 (%v)", len(res.Origins), res.Notes)
	}
	in, n := 0.0, 0.0
	for _, s := range res.Summary() {
		m := s.Model()
		t.Logf("%-13s CRPS model %9.1f; best baseline %s, skill %+.2f; covers 50/80/90%%: %.2f %.2f %.2f", s.Target, m.CRPS, s.Methods[s.Best].Method, s.Methods[s.Best].Skill, m.Cover50, m.Cover80, m.Cover90)
		in += m.Cover80 * float64(m.N)
		n += float64(m.N)
		if s.Target == "wins" {
			if d := backtest.KSUniform(m.PITs); d > 0.356 {
				t.Errorf("wins: PIT values %v are not flat: KS distance %.3f", m.PITs, d)
			}
			// The weighted pipeline forecasts within 25% of what came,
			// and the model still beats every baseline.
			var p50 float64
			for _, o := range res.Outcomes {
				if o.Target == "wins" {
					p50 += o.Scores[backtest.Pipeline].P50 / float64(s.N)
				}
			}
			if math.Abs(p50/s.Mean-1) > 0.25 {
				t.Errorf("wins: the pipeline's median %.1f against %.1f won on average", p50, s.Mean)
			}
			for _, b := range s.Methods[1:] {
				if b.Method != backtest.Recalibrated.String() && b.Method != backtest.Combined.String() && b.N > 0 && !(b.Skill > 0) {
					t.Errorf("wins: the model's skill against %s is %+.2f", b.Method, b.Skill)
				}
			}
		}
	}
	if c := in / n; c < 0.7 || c > 0.9 {
		t.Errorf("80%% intervals cover %.2f of %v outcomes, want 0.70 to 0.90", c, n)
	}
}
