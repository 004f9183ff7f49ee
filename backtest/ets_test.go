package backtest

import (
	"math"
	"testing"

	"github.com/funnelsim/funnelsim/model/rng"
)

// livestock is the fpp package's livestock series, 1970 to 2000 (sheep in
// Asia, millions).
var livestock = []float64{263.917747, 268.307222, 260.662556, 266.639419, 277.515778, 283.834045, 290.309028, 292.474198,
	300.830694, 309.286657, 318.331081, 329.37239, 338.883998, 339.244126, 328.600632, 314.255385, 314.459695, 321.413779,
	329.789292, 346.385165, 352.297882, 348.370515, 417.562922, 417.12357, 417.749459, 412.233904, 411.946817, 394.697075,
	401.49927, 408.270468, 414.2428}

// TestDampedTrendReference checks the recursions against R's
// forecast::ets(livestock, model = "AAN", damped = TRUE, phi = 0.98): the
// fitted parameters below and R's printed res$states, res$fitted and
// forecast(res)$mean, as recorded in statsmodels' test_holtwinters.py
// (test_holt_damp_r).
func TestDampedTrendReference(t *testing.T) {
	d := dampedTrend{Alpha: 0.97402626, Beta: 0.00010006, Phi: 0.98, Level: 252.59039965, Trend: 6.90265918}
	fitted, level, trend := d.smooth(livestock)
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("%s = %.10f, R gives %.10f", what, got, want)
		}
	}
	near("l_31", level, 414.1814574903921)
	near("b_31", trend, 3.690553892582855)
	near("fitted[0]", fitted[0], 259.3550056432622)
	near("fitted[15]", fitted[15], 334.0077050580596)
	near("fitted[30]", fitted[30], 411.8810877289437)
	l1, b1 := d.Level+d.Phi*d.Trend, d.Trend*d.Phi
	e := livestock[0] - l1
	near("l_1", l1+d.Alpha*e, 263.7992355246843)
	near("b_1", b1+d.Beta*e, 6.765062519124909)
	want := []float64{417.7982003051233, 421.3426082635598, 424.8161280628277, 428.2201774661102, 431.5561458813270,
		434.8253949282395, 438.0292589942138, 441.1690457788685, 444.2460368278302, 447.2614880558126}
	for h, f := range d.forecast(level, trend, len(want)) {
		near("forecast", f, want[h])
	}
	var sse float64
	for i, f := range fitted {
		sse += (livestock[i] - f) * (livestock[i] - f)
	}
	// R's res$mse.
	if mse := sse / float64(len(livestock)); math.Abs(mse-195.4397924865488) > 1e-3 {
		t.Errorf("mse %.6f, R gives 195.439792", mse)
	}
}

// TestDampedTrendFit: fitted to a line with noise, the damped trend's
// forecast stays near the line's next values, and its simulated quarter
// is centred on them.
func TestDampedTrendFit(t *testing.T) {
	st := rng.NewStream()
	st.Reset(3)
	y := make([]float64, 104)
	for i := range y {
		y[i] = 100 + 0.5*float64(i) + 5*st.NormFloat64()
	}
	d := fitDampedTrend(y)
	if d.Alpha <= 0 || d.Alpha >= 1 || d.Beta <= 0 || d.Beta >= d.Alpha || d.Phi < 0.8 || d.Phi > 0.98 {
		t.Fatalf("parameters out of bounds: %+v", d)
	}
	_, level, trend := d.smooth(y)
	f := d.forecast(level, trend, 13)
	var sum float64
	for _, v := range f {
		sum += v
	}
	line := 0.0
	for h := 1; h <= 13; h++ {
		line += 100 + 0.5*float64(103+h)
	}
	// The damped forecast may fall short of the line by what the damping
	// leaves out, at most about 0.5·13·7/2 a quarter, and the level's noise.
	if math.Abs(sum-line) > 0.05*line {
		t.Errorf("forecast quarter %.0f, the line's %.0f", sum, line)
	}
	xs := etsSample(st, y, 13, 4000)
	var mean, sd float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	sd = math.Sqrt(sd / float64(len(xs)-1))
	if se := sd / math.Sqrt(float64(len(xs))); math.Abs(mean-sum) > 4*se+0.01*sum {
		t.Errorf("simulated quarter's mean %.1f, its forecast %.1f (sd %.1f)", mean, sum, sd)
	}
}

// TestLaggedSample: the naive is the last quarter times the changes the
// series showed; the seasonal naive needs a year and a quarter of it.
func TestLaggedSample(t *testing.T) {
	st := rng.NewStream()
	st.Reset(1)
	// Newest first: the last 2 weeks are 3 each, the 2 before 1 each, the
	// 2 before those 2 each.
	y := []float64{3, 3, 1, 1, 2, 2}
	xs := laggedSample(st, y, 2, 2, 1000)
	// Base 6; changes 6/2 (weeks 0–1 over 2–3), 4/3 (1–2 over 3–4), 2/4.
	seen := map[float64]bool{}
	for _, x := range xs {
		seen[math.Round(x*1e9)/1e9] = true
	}
	for _, want := range []float64{18, 8, 3} {
		if !seen[want] {
			t.Errorf("naive draws %v lack %v", seen, want)
		}
	}
	if len(seen) != 3 {
		t.Errorf("naive draws %v, want only 18, 8 and 3", seen)
	}
	if laggedSample(st, y, 2, 52, 10) != nil {
		t.Error("a seasonal naive from 6 weeks")
	}
}
