package backtest

import "math"

// TargetSummary is a target's scores over the origins.
type TargetSummary struct {
	Target string
	N      int
	// CRPS is each method's mean CRPS (in the order of Methods); Skill
	// is the model's against each method, 1 − CRPS(model)/CRPS(method)
	// (positive: the model is better; the first, against itself, is 0).
	CRPS, Skill []float64
	// Coverage of the model's central 50, 80 and 90% intervals.
	Cover50, Cover80, Cover90 float64
	PITs                      []float64 // the model's, by origin
}

// Summary summarises the outcomes by target.
func (r *Result) Summary() []TargetSummary {
	var out []TargetSummary
	for _, target := range r.Targets {
		s := TargetSummary{Target: target, CRPS: make([]float64, len(Methods)), Skill: make([]float64, len(Methods))}
		var c50, c80, c90 float64
		for _, o := range r.Outcomes {
			if o.Target != target {
				continue
			}
			s.N++
			for k, sc := range o.Scores {
				s.CRPS[k] += sc.CRPS
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
		for k := range s.CRPS {
			s.CRPS[k] /= n
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
