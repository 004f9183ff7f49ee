package sample

import (
	"fmt"
	"math"
)

// Profile is one combination of attribute levels.
type Profile struct {
	Levels  []int   // per attribute, the index of the level
	Share   float64 // of new leads
	Quality float64 // the sum of the levels' effects on the log-odds
}

// Profiles lists every combination of the truth's attribute levels; with
// no attributes, one profile of all leads.
func (t *Truth) Profiles() []Profile {
	out := []Profile{{Share: 1}}
	for _, at := range t.Attributes {
		var next []Profile
		for _, p := range out {
			for k := range at.Levels {
				levels := append(append([]int(nil), p.Levels...), k)
				next = append(next, Profile{Levels: levels, Share: p.Share * at.Shares[k], Quality: p.Quality + at.Effects[k]})
			}
		}
		out = next
	}
	return out
}

// ProfileHazards returns the hazards of every stage, channel and profile
// ([stage][channel][profile]). A profile of quality z converts at stage s
// with logistic(logit(p) + z + δ), where p is the stated conversion and δ
// is set so that the mean over the leads entering the stage (weighted by
// share and by their conversion at the earlier stages) is p. Every
// profile has the stage's leave hazard, so the mix of profiles among
// leads in a stage does not change with age, and the funnel of all leads
// has exactly the stated conversions, band by band constant hazards.
func (t *Truth) ProfileHazards() ([][][]Hazards, []Profile, error) {
	ps := t.Profiles()
	out := make([][][]Hazards, len(t.Stages))
	for s := range out {
		out[s] = make([][]Hazards, len(t.Channels))
	}
	for c := range t.Channels {
		w := make([]float64, len(ps)) // weight of each profile among entrants
		for i, p := range ps {
			w[i] = p.Share
		}
		conv := make([]float64, len(ps))
		for s, st := range t.Stages {
			target := st.Conversion[c]
			delta := solveShift(w, ps, target)
			for i, p := range ps {
				conv[i] = logistic(logit(target) + p.Quality + delta)
				h, err := t.hazards(s, conv[i])
				if err != nil {
					return nil, nil, fmt.Errorf("stage %s, channel %s, profile %v: %w", st.Name, t.Channels[c].Name, p.Levels, err)
				}
				out[s][c] = append(out[s][c], h)
			}
			sum := 0.0
			for i := range w {
				w[i] *= conv[i]
				sum += w[i]
			}
			for i := range w {
				w[i] /= sum
			}
		}
	}
	return out, ps, nil
}

// solveShift finds δ with Σ w_i·logistic(logit(p) + z_i + δ) = p (w sums
// to 1) by bisection; the left side increases with δ.
func solveShift(w []float64, ps []Profile, p float64) float64 {
	mean := func(d float64) float64 {
		m := 0.0
		for i, pr := range ps {
			m += w[i] * logistic(logit(p)+pr.Quality+d)
		}
		return m
	}
	lo, hi := -20.0, 20.0
	for range 200 {
		mid := (lo + hi) / 2
		if mean(mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

func logit(p float64) float64    { return math.Log(p / (1 - p)) }
func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
