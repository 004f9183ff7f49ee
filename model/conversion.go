package model

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/model/rng"
)

// Conversion is a stage's eventual probability of advancing (to any later
// stage) under the model's posterior: its mean and 90% interval over
// posterior draws, and the median weeks in stage at the posterior mean.
// An empty Channel means all channels, weighted by each channel's share
// of the stage's recorded exits (its MedianWeeks is the same weighted
// average of the channels' medians).
type Conversion struct {
	Stage, Channel string
	Mean, P5, P95  float64
	MedianWeeks    float64
}

// Conversions draws the hazards draws times from their posteriors and
// returns, per stage, the all-channel conversion followed by each
// channel's. The draws are keyed by seed, so the result is reproducible.
func Conversions(m *Model, draws int, seed uint64) ([]Conversion, error) {
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	q := newParams(p)
	st := rng.NewStream()
	// conv[s][c+1][i]: draw i of stage s, channel c; c = -1 is all channels.
	conv := make([][][]float64, p.nS)
	weight := exitWeights(m, p)
	for s := range m.Stages {
		conv[s] = make([][]float64, p.nC+1)
	}
	for i := range draws {
		q.draw(p, st, seed, uint64(i), false)
		for s := range p.nS {
			all := 0.0
			for c := range p.nC {
				v, _ := q.advance(p, s, c)
				conv[s][c+1] = append(conv[s][c+1], v)
				all += weight[s][c] * v
			}
			conv[s][0] = append(conv[s][0], all)
		}
	}
	var out []Conversion
	for s, stage := range m.Stages {
		for c := -1; c < p.nC; c++ {
			x := conv[s][c+1]
			slices.Sort(x)
			k := Conversion{Stage: stage.Name, Mean: stat.Mean(x, nil),
				P5: QuantileOf(x, 0.05), P95: QuantileOf(x, 0.95)}
			if c >= 0 {
				k.Channel = m.Channels[c].Name
				k.MedianWeeks = p.medianWeeks(s, c)
			} else {
				for cc := range p.nC {
					k.MedianWeeks += weight[s][cc] * p.medianWeeks(s, cc)
				}
			}
			out = append(out, k)
		}
	}
	return out, nil
}

// FormatWeeks formats a median time in stage: weeks with one decimal, or
// "over 2 years" when most leads stay longer than that (as when few ever
// leave the stage and the median lies far beyond the data).
func FormatWeeks(w float64) string {
	if w > 104 {
		return "over 2 years"
	}
	return fmt.Sprintf("%.1f", w)
}

// exitWeights weights each stage's channels by their recorded exits (evenly
// where a stage has none).
func exitWeights(m *Model, p *plan) [][]float64 {
	weight := make([][]float64, p.nS)
	for s, stage := range m.Stages {
		weight[s] = make([]float64, p.nC)
		for _, e := range stage.Exits {
			for _, b := range e.Bands {
				weight[s][m.ChannelIndex(e.Channel)] += b.Advance + b.Lost
			}
		}
		total := 0.0
		for _, w := range weight[s] {
			total += w
		}
		for c := range weight[s] {
			if total > 0 {
				weight[s][c] /= total
			} else {
				weight[s][c] = 1 / float64(p.nC)
			}
		}
	}
	return weight
}

// CumulativeAdvance returns, per stage, the probability that a lead
// entering it has advanced within w weeks, for w = 0..weeks, at the
// posterior means, over all channels (weighted as in Conversions): the
// model's side of the calibration diagnostic.
func CumulativeAdvance(m *Model, weeks int) ([][]float64, error) {
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	q := newParams(p)
	q.draw(p, rng.NewStream(), 0, 0, true)
	weight := exitWeights(m, p)
	out := make([][]float64, p.nS)
	for s := range p.nS {
		out[s] = make([]float64, weeks+1)
		for c := range p.nC {
			surv, f := 1.0, 0.0
			for a := range weeks {
				i := p.hz(s, c, p.bandOf[min(a, p.maxAge)])
				f += surv * q.pLeave[i] * q.qAdv[i]
				surv *= 1 - q.pLeave[i]
				out[s][a+1] += weight[s][c] * f
			}
		}
	}
	return out, nil
}
