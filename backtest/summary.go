package backtest

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MethodSummary is one method's scores of one target over the origins at
// which it forecasts it.
type MethodSummary struct {
	Method string
	N      int // origins at which it forecasts the target
	// CRPS and Pinball are the mean CRPS and pinball loss; Scaled is the
	// mean CRPS over the target's mean outcome at the same origins, so
	// that targets of different size can be averaged.
	CRPS, Scaled, Pinball float64
	// Skill is the model's against the method, 1 − ΣCRPS(model)/ΣCRPS(it)
	// over the origins both forecast: positive when the model is better
	// (0 for the model itself).
	Skill float64
	// Coverage of the central 50, 80 and 90% intervals, and the mean of
	// the randomized PIT values (0.5 for a centred forecast).
	Cover50, Cover80, Cover90, PITMean float64
	PITs                               []float64 // by origin
}

// TargetSummary is a target's scores over the origins, method by method.
type TargetSummary struct {
	Target  string
	N       int     // origins scored
	Mean    float64 // the mean outcome
	Methods []MethodSummary
	// Best is the index in Methods of the strongest baseline: the one
	// the model's skill is lowest against, of those that forecast at
	// least half the origins (0 when there is none; the recalibrated
	// model is not a baseline). A baseline the history allows only late
	// (the seasonal naive needs a year) is scored at its origins, but a
	// skill over a few of them is too noisy to name the strongest by.
	Best int
	// CombinedSkill is the combination's skill against its strongest
	// baseline, CombinedBest (an index in Methods): the lowest over the
	// baselines that forecast at least half the origins of 1 −
	// ΣCRPS(combined)/ΣCRPS(baseline), over the origins both forecast.
	CombinedSkill float64
	CombinedBest  int
}

// Model is the model's summary.
func (s TargetSummary) Model() MethodSummary { return s.Methods[0] }

// Summary summarises the outcomes by target and method.
func (r *Result) Summary() []TargetSummary {
	var out []TargetSummary
	for _, target := range r.Targets {
		s := TargetSummary{Target: target, Methods: make([]MethodSummary, len(Methods))}
		var outcomes []Outcome
		for _, o := range r.Outcomes {
			if o.Target == target {
				outcomes = append(outcomes, o)
				s.Mean += o.Actual
			}
		}
		if len(outcomes) == 0 {
			continue
		}
		s.N = len(outcomes)
		s.Mean /= float64(s.N)
		for k, name := range Methods {
			s.Methods[k] = summarise(name, outcomes, k)
		}
		s.CombinedSkill, s.CombinedBest = math.NaN(), 0
		least := (s.N + 1) / 2 // the origins a strongest baseline forecasts, at least
		for _, k := range pooled[1:] {
			var own, base float64
			n := 0
			for _, o := range outcomes {
				if c, b := o.Scores[Combined].CRPS, o.Scores[k].CRPS; !math.IsNaN(c) && !math.IsNaN(b) {
					own, base = own+c, base+b
					n++
				}
			}
			if base > 0 && n >= least && (s.CombinedBest == 0 || 1-own/base < s.CombinedSkill) {
				s.CombinedSkill, s.CombinedBest = 1-own/base, int(k)
			}
		}
		for k := 1; k < len(Methods); k++ {
			if m := s.Methods[k]; Method(k) != Recalibrated && Method(k) != Combined && m.N > 0 && m.N >= least && (s.Best == 0 || m.Skill < s.Methods[s.Best].Skill) {
				s.Best = k
			}
		}
		out = append(out, s)
	}
	return out
}

// summarise scores method k over the outcomes where it forecasts.
func summarise(name string, outcomes []Outcome, k int) MethodSummary {
	m := MethodSummary{Method: name}
	var mean, model, own float64
	for _, o := range outcomes {
		sc := o.Scores[k]
		if math.IsNaN(sc.CRPS) {
			continue
		}
		m.N++
		mean += o.Actual
		m.CRPS += sc.CRPS
		m.Pinball += sc.Pinball
		m.Cover50 += b2f(sc.Cover50)
		m.Cover80 += b2f(sc.Cover80)
		m.Cover90 += b2f(sc.Cover90)
		m.PITMean += sc.PIT
		m.PITs = append(m.PITs, sc.PIT)
		model += o.Scores[0].CRPS
		own += sc.CRPS
	}
	if m.N == 0 {
		nan := math.NaN()
		m.CRPS, m.Scaled, m.Pinball, m.Skill = nan, nan, nan, nan
		m.Cover50, m.Cover80, m.Cover90, m.PITMean = nan, nan, nan, nan
		return m
	}
	n := float64(m.N)
	m.CRPS /= n
	m.Pinball /= n
	m.Scaled = m.CRPS / (mean / n)
	if mean == 0 {
		m.Scaled = math.NaN()
	}
	m.Skill = 1 - model/own
	if own == 0 {
		m.Skill = math.NaN()
	}
	m.Cover50, m.Cover80, m.Cover90, m.PITMean = m.Cover50/n, m.Cover80/n, m.Cover90/n, m.PITMean/n
	return m
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Overall averages the scaled CRPS of each method over the targets it
// forecasts, and gives the model's skill against it on the same targets.
func Overall(sums []TargetSummary) (scaled, skill []float64) {
	scaled, skill = make([]float64, len(Methods)), make([]float64, len(Methods))
	for k := range Methods {
		var model, own, n float64
		for _, s := range sums {
			if math.IsNaN(s.Methods[0].Scaled) || math.IsNaN(s.Methods[k].Scaled) || s.Methods[k].N < s.N {
				continue
			}
			model += s.Methods[0].Scaled
			own += s.Methods[k].Scaled
			n++
		}
		scaled[k], skill[k] = own/n, 1-model/own
		if n == 0 {
			scaled[k], skill[k] = math.NaN(), math.NaN()
		}
	}
	return scaled, skill
}

// CoverageBand is the central 90% range of how many of n outcomes an
// interval of the given probability covers when it is calibrated and the
// outcomes independent: the binomial's 5% and 95% quantiles.
func CoverageBand(n int, p float64) (lo, hi int) {
	b := distuv.Binomial{N: float64(n), P: p}
	lo, hi = 0, n
	for k := 0; k <= n; k++ {
		if b.CDF(float64(k)) >= 0.05 {
			lo = k
			break
		}
	}
	for k := 0; k <= n; k++ {
		if b.CDF(float64(k)) >= 0.95 {
			hi = k
			break
		}
	}
	return lo, hi
}
