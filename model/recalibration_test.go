package model_test

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// TestRecalibrationTransform: the map keeps the median and every trial's
// rank, widens by its scale on the log scale, and does nothing as the
// identity.
func TestRecalibrationTransform(t *testing.T) {
	// Four trials: the median (QuantileOf's, R's type 4) is the second.
	xs := []float64{9, 99, 999, 9999}
	id := slices.Clone(xs)
	model.RecalibratedTarget{Scale: 1}.Transform(id)
	if !slices.Equal(id, xs) {
		t.Errorf("identity changed %v to %v", xs, id)
	}
	wide := slices.Clone(xs)
	model.RecalibratedTarget{Scale: 2}.Transform(wide)
	// log1p: 2.30, 4.61, 6.91, 9.21 around the median 4.61, doubled.
	for i, want := range []float64{0, 99, math.Expm1(4.60517 + 2*2.302585), math.Expm1(4.60517 + 2*4.60517)} {
		if math.Abs(wide[i]-math.Max(want, 0)) > 1e-3*math.Max(1, want) {
			t.Errorf("scale 2: trial %d is %.3f, want %.3f", i, wide[i], math.Max(want, 0))
		}
	}
	if !slices.IsSorted(wide) {
		t.Errorf("ranks changed: %v", wide)
	}
	up := slices.Clone(xs)
	model.RecalibratedTarget{Scale: 1, Shift: math.Log(2)}.Transform(up)
	if math.Abs(up[1]-199) > 1e-9 {
		t.Errorf("shift log 2 moved the median 99 to %v, want 199", up[1])
	}
}

// TestRecalibrationRun: a run with a recalibration widens the revenue and
// wins it names, scales their weekly paths to the new totals, says so,
// refuses another horizon, and a file round-trips.
func TestRecalibrationRun(t *testing.T) {
	m := sample.Model()
	o := model.Options{Trials: 2000, Seed: 4}
	raw, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	rc := &model.Recalibration{HorizonWeeks: m.HorizonWeeks, Source: "a test", Targets: []model.RecalibratedTarget{
		{Target: "revenue", Scale: 1.5, Shift: 0.1}, {Target: "wins", Scale: 2}}}
	o.Recalibration = rc
	got, err := model.Run(context.Background(), m, o)
	if err != nil {
		t.Fatal(err)
	}
	spread := func(r *model.Result, name string) float64 {
		xs, _ := r.Metric(name)
		s := model.Summarize(name, xs)
		return s.Q(0.9).Value - s.Q(0.1).Value
	}
	for _, name := range []string{"revenue", "wins"} {
		if a, b := spread(raw, name), spread(got, name); !(b > 1.3*a) {
			t.Errorf("%s: P10–P90 %.0f recalibrated, %.0f raw: not widened", name, b, a)
		}
	}
	if a, b := spread(raw, "sql"), spread(got, "sql"); a != b {
		t.Errorf("sql, not in the recalibration, changed: %v to %v", a, b)
	}
	rev, _ := got.Metric("revenue")
	for i := range 50 {
		if last := got.CumRevenue[(i+1)*got.Weeks-1]; math.Abs(last-rev[i]) > 1e-6*math.Max(1, rev[i]) {
			t.Fatalf("trial %d: the revenue path ends at %.2f, its total is %.2f", i, last, rev[i])
		}
	}
	if !strings.Contains(got.Recalibrated, "recalibrated") || raw.Recalibrated != "" {
		t.Errorf("Recalibrated %q (raw %q)", got.Recalibrated, raw.Recalibrated)
	}
	o.Weeks = m.HorizonWeeks + 1
	if _, err := model.Run(context.Background(), m, o); err == nil || !strings.Contains(err.Error(), "learned on") {
		t.Errorf("another horizon: %v", err)
	}
	path := filepath.Join(t.TempDir(), "recalibration.yaml")
	if err := rc.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := model.ReadRecalibration(path)
	if err != nil || back.HorizonWeeks != rc.HorizonWeeks || !slices.Equal(back.Targets, rc.Targets) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	// A map past what a backtest can learn, as a hand edit leaves it,
	// blanked or zeroed the forecast: it is refused, naming the file.
	for _, c := range []struct {
		scale, shift float64
		want         string
	}{
		{0, 0, "target wins: scale 0 and shift 0: the scale must be in [0.1, 10]"},
		{1e300, 0, "target wins: scale 1e+300 and shift 0"},
		{1, 800, "target wins: scale 1 and shift 800: the scale must be in [0.1, 10] and the shift in [-6.91, 6.91] (a factor of 1000)"},
		{1, math.NaN(), "target wins: scale 1 and shift NaN"},
	} {
		bad := &model.Recalibration{HorizonWeeks: 13, Targets: []model.RecalibratedTarget{{Target: "wins", Scale: c.scale, Shift: c.shift}}}
		if err := bad.WriteFile(path); err != nil {
			t.Fatal(err)
		}
		if _, err := model.ReadRecalibration(path); err == nil || !strings.Contains(err.Error(), "recalibration.yaml: recalibration: "+c.want) {
			t.Errorf("scale %v, shift %v: %v", c.scale, c.shift, err)
		}
	}
}
