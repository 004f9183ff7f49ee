package backtest

import "math"

// TargetSummary is a target's scores over the origins.
type TargetSummary struct {
	Target string
	N      int
	// CRPS is each method's mean CRPS (in the order of Methods); Skill
	// is the model's against each method, 1 − CRPS(model)/CRPS(method)
	// (positive: the model is better; the first, against itself, is 0).
	// Scaled is each method's mean CRPS over the target's mean outcome, so
	// that targets of different size can be averaged; Pinball its mean
	// pinball loss at the M5 quantiles.
	CRPS, Skill, Scaled, Pinball []float64
	Mean                         float64 // the mean outcome
	// Coverage of the model's central 50, 80 and 90% intervals.
	Cover50, Cover80, Cover90 float64
	PITs                      []float64 // the model's, by origin
}

// Summary summarises the outcomes by target.
func (r *Result) Summary() []TargetSummary {
	var out []TargetSummary
	for _, target := range r.Targets {
		k := len(Methods)
		s := TargetSummary{Target: target, CRPS: make([]float64, k), Skill: make([]float64, k), Scaled: make([]float64, k), Pinball: make([]float64, k)}
		var c50, c80, c90 float64
		for _, o := range r.Outcomes {
			if o.Target != target {
				continue
			}
			s.N++
			s.Mean += o.Actual
			for k, sc := range o.Scores {
				s.CRPS[k] += sc.CRPS
				s.Pinball[k] += sc.Pinball
			}
			m := o.Scores[0]
			c50 += b2f(m.Cover50)
			c80 += b2f(m.Cover80)
			c90 += b2f(m.Cover90)
			s.PITs = append(s.PITs, m.PIT)
		}
		if s.N == 0 {
			continue
		}
		n := float64(s.N)
		s.Mean /= n
		for k := range s.CRPS {
			s.CRPS[k] /= n
			s.Pinball[k] /= n
			s.Scaled[k] = s.CRPS[k] / s.Mean
			if s.Mean == 0 {
				s.Scaled[k] = math.NaN()
			}
		}
		for k := range s.Skill {
			s.Skill[k] = 1 - s.CRPS[0]/s.CRPS[k]
			if s.CRPS[k] == 0 {
				s.Skill[k] = math.NaN()
			}
		}
		s.Cover50, s.Cover80, s.Cover90 = c50/n, c80/n, c90/n
		out = append(out, s)
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Overall averages the scaled CRPS of each method over the targets that
// have one, and gives the model's skill on it.
func Overall(sums []TargetSummary) (scaled, skill []float64) {
	scaled, skill = make([]float64, len(Methods)), make([]float64, len(Methods))
	n := 0.0
	for _, s := range sums {
		if math.IsNaN(s.Scaled[0]) {
			continue
		}
		n++
		for k := range scaled {
			scaled[k] += s.Scaled[k]
		}
	}
	for k := range scaled {
		scaled[k] /= n
		skill[k] = 1 - scaled[0]/scaled[k]
	}
	return scaled, skill
}
