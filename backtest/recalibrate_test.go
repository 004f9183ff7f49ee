package backtest

import (
	"math"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/model/rng"
)

// recalibrationCase draws n forecasts, a quarter apart, each of 2000
// samples from Normal(1000, 50), and outcomes from Normal(1000, 50·spread):
// spread 1 is a calibrated forecast, 3 an over-confident one.
func recalibrationCase(st *rng.Stream, n int, spread float64) (past []Outcome, fcs [][]float64) {
	start := time.Date(2020, 1, 6, 0, 0, 0, 0, time.UTC)
	for j := range n {
		fc := make([]float64, 2000)
		for i := range fc {
			fc[i] = 1000 + 50*st.NormFloat64()
		}
		o := Outcome{Origin: start.Add(time.Duration(13*j) * week), Target: "revenue", Actual: 1000 + 50*spread*st.NormFloat64()}
		keep(&o, fc)
		past, fcs = append(past, o), append(fcs, fc)
	}
	return past, fcs
}

// TestRecalibrationWidens: learned from 100 non-overlapping quarters, the
// map widens an over-confident forecast until its 80% intervals cover
// nearly 80% of new outcomes, and leaves a calibrated one nearly alone.
func TestRecalibrationWidens(t *testing.T) {
	st := rng.NewStream()
	st.Reset(7)
	for _, c := range []struct {
		spread   float64
		min, max float64 // the learned scale
	}{
		// Over-confident by 3: the full fit is 3, shrunk by 100/108
		// toward 1, exp(100/108·ln 3) = 2.8; a scale's standard error
		// from 100 outcomes is about 7% (1/√200), so 2.3 to 3.4 is
		// ±2.5 of them.
		{3, 2.3, 3.4},
		// Calibrated: only chance widens it (the map never narrows), by
		// less than 2.5 standard errors.
		{1, 1, 1.17},
	} {
		past, _ := recalibrationCase(st, 100, c.spread)
		m := learnTarget("revenue", past, 13)
		t.Logf("spread %.0f: scale %.3f, shift %.4f over %.0f quarters", c.spread, m.Scale, m.Shift, m.Quarters)
		if m.Quarters != 100 {
			t.Errorf("spread %v: %v quarters, want 100", c.spread, m.Quarters)
		}
		if m.Scale < c.min || m.Scale > c.max {
			t.Errorf("spread %v: scale %.3f, want %.2f to %.2f", c.spread, m.Scale, c.min, c.max)
		}
		// No bias to remove; the widening on the log scale skews the
		// forecast up, which a small negative shift offsets, so only the
		// calibrated forecast must keep its place.
		if c.spread == 1 && math.Abs(m.Shift) > 0.02 {
			t.Errorf("spread %v: shift %.4f, want about 0 (no bias)", c.spread, m.Shift)
		}
		// Fresh outcomes: the recalibrated 80% intervals cover about 80%
		// (the shrunk scale 2.8 gives 0.76 at the over-confident case; the
		// binomial's standard deviation for 400 at 0.8 is 0.02, and the
		// scale's own error adds about as much).
		fresh, fcs := recalibrationCase(st, 400, c.spread)
		covered := 0.0
		for j, o := range fresh {
			m.Transform(fcs[j])
			if Covers(fcs[j], o.Actual, 0.8) {
				covered++
			}
		}
		if cov := covered / 400; cov < 0.66 || cov > 0.88 {
			t.Errorf("spread %v: recalibrated 80%% intervals cover %.3f of new outcomes", c.spread, cov)
		}
	}
}

// TestRecalibrationNeedsPast: with fewer than four past forecasts the map
// does nothing, and a forecast is recalibrated only on the outcomes whose
// quarter had ended by its origin.
func TestRecalibrationNeedsPast(t *testing.T) {
	st := rng.NewStream()
	st.Reset(8)
	past, _ := recalibrationCase(st, 3, 3)
	if m := learnTarget("revenue", past, 13); !m.Identity() {
		t.Errorf("from 3 forecasts: %+v, want the identity", m)
	}
	past, _ = recalibrationCase(st, 12, 3)
	at := past[5].Origin // quarters 0..4 have ended, 5.. have not
	if m := recalTarget(past, "revenue", at, 13); m.Origins != 5 {
		t.Errorf("at origin 5: learned from %d forecasts, want 5", m.Origins)
	}
}
