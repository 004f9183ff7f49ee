package backtest

import (
	"math"
	"testing"
	"time"
)

// TestStrongestForecastsHalf: a baseline scored at only 3 of 10 origins,
// however well it did there, is not the strongest baseline, nor the
// combination's; one scored at all of them is. Its own skill is still
// reported.
func TestStrongestForecastsHalf(t *testing.T) {
	nan := math.NaN()
	r := &Result{Targets: []string{"wins"}}
	for j := range 10 {
		o := Outcome{Origin: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 28*j), Target: "wins", Actual: 10, Scores: make([]Score, len(Methods))}
		for k := range o.Scores {
			o.Scores[k].CRPS = nan
		}
		o.Scores[Model].CRPS, o.Scores[Combined].CRPS = 2, 2
		o.Scores[Naive].CRPS = 2.2
		if j >= 7 {
			o.Scores[Seasonal].CRPS = 0.5
		}
		r.Outcomes = append(r.Outcomes, o)
	}
	s := r.Summary()[0]
	if s.Best != int(Naive) || s.CombinedBest != int(Naive) {
		t.Errorf("strongest %s, the combination's %s; want naive, which forecast every origin", Methods[s.Best], Methods[s.CombinedBest])
	}
	if got := s.Methods[Seasonal]; got.N != 3 || math.Abs(got.Skill-(1-6.0/1.5)) > 1e-12 {
		t.Errorf("seasonal: %d origins, skill %v; want 3 and %v", got.N, got.Skill, 1-6.0/1.5)
	}
}
