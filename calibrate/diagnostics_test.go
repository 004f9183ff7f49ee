package calibrate_test

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/model"
)

// TestObservedMatchesFitted sets the model-free Aalen–Johansen estimate of
// advancing by weeks in stage against the calibrated model's, on a clean
// generated history: where the model is right, they agree within the
// estimate's binomial error (4 standard errors of a share, on the stays
// in the stage).
func TestObservedMatchesFitted(t *testing.T) {
	hist, truth := generated(t, generate.Options{Seed: 17, UnrecordedLoss: -1, Dirty: -1})
	o := calibrate.Options{AsOf: truth.AsOf.Time}
	m, err := calibrate.Estimate(context.Background(), hist, o)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := calibrate.ObservedAdvance(hist, o, 26)
	if err != nil {
		t.Fatal(err)
	}
	fit, err := model.CumulativeAdvance(m, 26)
	if err != nil {
		t.Fatal(err)
	}
	for s, st := range truth.Stages {
		n := 0.0
		for _, l := range hist.Leads {
			if !l.Reached[s].IsZero() {
				n++
			}
		}
		for _, w := range []int{1, 4, 13, 26} {
			f := fit[s][w]
			se := math.Sqrt(f * (1 - f) / n)
			t.Logf("%s, week %d: observed %.3f, fitted %.3f ± %.3f", st.Name, w, obs[s][w], f, se)
			if math.Abs(obs[s][w]-f) > 4*se {
				t.Errorf("%s, week %d: observed %.3f, fitted %.3f (4 SE %.3f)", st.Name, w, obs[s][w], f, 4*se)
			}
		}
	}
	// A model with one age band (hazards constant in time) is wrong for
	// the truth, whose leads leave more slowly with age: the diagnostic
	// must show it.
	o.Bands = []int{0}
	flat, err := calibrate.Estimate(context.Background(), hist, o)
	if err != nil {
		t.Fatal(err)
	}
	fit, err = model.CumulativeAdvance(flat, 26)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for s := range truth.Stages {
		n := 0.0
		for _, l := range hist.Leads {
			if !l.Reached[s].IsZero() {
				n++
			}
		}
		for w := 1; w <= 26; w++ {
			f := fit[s][w]
			worst = math.Max(worst, math.Abs(obs[s][w]-f)/math.Sqrt(f*(1-f)/n))
		}
	}
	t.Logf("one band: the largest gap is %.1f standard errors", worst)
	if worst < 4 {
		t.Errorf("the diagnostic does not show the misfit of a one-band model (largest gap %.1f SE)", worst)
	}
}
