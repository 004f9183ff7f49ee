package backtest

import (
	"math"
	"testing"
	"time"
)

// pastOutcome is an outcome at origin whose model forecast is centred on
// model and whose naive forecast is centred on naive, each ±10%.
func pastOutcome(origin time.Time, actual, model, naive float64) Outcome {
	o := Outcome{Origin: origin, Target: "wins", Actual: actual, Methods: make([][]float64, len(Methods))}
	for _, c := range []struct {
		m Method
		x float64
	}{{Model, model}, {Naive, naive}} {
		q := make([]float64, len(QuantileLevels))
		for k, p := range QuantileLevels {
			q[k] = c.x * (0.9 + 0.2*p)
		}
		o.Methods[c.m] = q
	}
	return o
}

// TestCombineWeights: the combination leans toward the baseline that
// forecast the past well, by no more than the shrinkage allows; it learns
// only from forecasts whose quarter had ended; and with fewer than four
// of them it is the model.
func TestCombineWeights(t *testing.T) {
	start := time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)
	var past []Outcome
	for i := range 20 {
		// The naive forecast hits; the model runs 30% high.
		past = append(past, pastOutcome(start.Add(time.Duration(4*i)*week), 100, 130, 100))
	}
	now := [][]float64{Model: {1, 2, 3}, Naive: {1, 2, 3}, Combined: nil, Recalibrated: nil}
	origin := start.Add(80 * week)
	w := combineWeights(forecastsIn(now), past, "wins", origin, 13)
	if w == nil {
		t.Fatal("no weights from 17 ended forecasts")
	}
	// 17 forecasts ended, spanning 64 weeks: 5 quarters, shrinkage 5/9.
	if want := 5.0 / 9; math.Abs(w[Naive]-want) > 1e-12 || math.Abs(w[Model]+w[Naive]-1) > 1e-12 {
		t.Errorf("weights %v, want naive %.4f and the rest the model's", w, want)
	}
	// At the sixth origin only the first two forecasts had ended.
	if w := combineWeights(forecastsIn(now), past[:6], "wins", start.Add(20*week), 13); w != nil {
		t.Errorf("weights %v from two ended forecasts, want none", w)
	}
	// Forecasts not yet ended are not learned from: here the model hits
	// in every later one, and the weights at the ninth origin are those
	// of the five that had ended.
	late := append([]Outcome{}, past[:5]...)
	for i := 5; i < 20; i++ {
		late = append(late, pastOutcome(start.Add(time.Duration(4*i)*week), 130, 130, 100))
	}
	w1, w2 := combineWeights(forecastsIn(now), late, "wins", start.Add(32*week), 13), combineWeights(forecastsIn(now), past[:5], "wins", start.Add(32*week), 13)
	if w1 == nil || w1[Naive] == 0 || w1[Naive] != w2[Naive] {
		t.Errorf("weights %v at the ninth origin, want %v: those of the five ended forecasts", w1, w2)
	}
	// The combined samples are the quantile average.
	samples := make([][]float64, len(Methods))
	samples[Model], samples[Naive] = []float64{10, 10, 10, 10}, []float64{0, 0, 0, 0}
	got := combined(samples, past, "wins", origin, 13, 4)
	if want := 10 * 4.0 / 9; math.Abs(got[0]-want) > 1e-9 {
		t.Errorf("combined samples %v, want %v each", got, want)
	}
}
