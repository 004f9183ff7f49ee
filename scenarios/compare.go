package scenarios

import (
	"context"
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/internal/parallel"
	"github.com/funnelsim/funnelsim/model"
)

// Comparison is the baseline and every scenario run on the same trials.
type Comparison struct {
	Baseline  *model.Result
	Scenarios []Outcome
}

// Outcome is one scenario's result and its paired differences from the
// baseline, metric by metric.
type Outcome struct {
	Name     string
	Warnings []string
	Result   *model.Result
	Deltas   []Delta
}

// Delta is a metric's per-trial difference, scenario minus baseline, on
// common random numbers: its summary (mean, quantiles, each with its
// MCSE), the share of trials in which the scenario is better, and the
// standard error of the mean difference paired and, for contrast, as if
// the two runs were independent.
type Delta struct {
	Metric      string
	Summary     model.Summary
	PBetter     float64
	PBetterMCSE float64
	PWorse      float64 // the share in which it does worse; the rest are ties
	PairedSE    float64
	UnpairedSE  float64
}

// Compare runs the baseline model and each scenario of f applied to it
// with the same options, so that trial i of every run shares its parameter
// draws and random streams (common random numbers), and reports each
// scenario's paired differences. ev, the history behind m, is needed only
// by attribute rules.
func Compare(ctx context.Context, m *model.Model, f *File, o model.Options, ev *Evidence) (*Comparison, error) {
	models := make([]*model.Model, len(f.Scenarios))
	warnings := make([][]string, len(f.Scenarios))
	for i, s := range f.Scenarios {
		var err error
		if models[i], warnings[i], err = Apply(m, s, ev); err != nil {
			return nil, err
		}
	}
	names := make([]string, len(f.Scenarios))
	for i, s := range f.Scenarios {
		names[i] = s.Name
	}
	m2 := *m
	m2.Name = f.Baseline
	c, err := CompareModels(ctx, &m2, models, names, o)
	if err != nil {
		return nil, err
	}
	for i := range c.Scenarios {
		c.Scenarios[i].Warnings = warnings[i]
	}
	return c, nil
}

// CompareModels runs a baseline and changed models on the same trials and
// reports the paired differences, as Compare does for a scenario file.
func CompareModels(ctx context.Context, base *model.Model, changed []*model.Model, names []string, o model.Options) (*Comparison, error) {
	models := []*model.Model{base}
	for i, m := range changed {
		mm := *m
		mm.Name = names[i]
		models = append(models, &mm)
	}
	rs, err := model.RunAll(ctx, models, o)
	if err != nil {
		return nil, err
	}
	return Compared(rs[0], rs[1:], nil), nil
}

// Compared is the comparison of results of runs over the same trials
// (such as a merge's, trials.Merge): base's against each of changed,
// trial by trial. Each scenario is named by its result, and notes, where
// given, are the scenarios' warnings.
func Compared(base *model.Result, changed []*model.Result, notes [][]string) *Comparison {
	c := &Comparison{Baseline: base}
	for i, r := range changed {
		o := Outcome{Name: r.Model, Result: r, Deltas: deltas(base, r)}
		if i < len(notes) {
			o.Warnings = notes[i]
		}
		c.Scenarios = append(c.Scenarios, o)
	}
	return c
}

func deltas(base, r *model.Result) []Delta {
	out := make([]Delta, len(r.Metrics))
	parallel.For(len(r.Metrics), func(k int) { out[k] = delta(base, r, k) })
	return out
}

// delta is the paired difference in metric k.
func delta(base, r *model.Result, k int) Delta {
	info := r.Metrics[k]
	a, b := base.Column(k), r.Column(k)
	d := make([]float64, len(a))
	var better, worse, n float64
	var aa, bb []float64
	for i := range a {
		d[i] = b[i] - a[i]
		if math.IsNaN(d[i]) || math.IsInf(d[i], 0) {
			continue
		}
		aa, bb = append(aa, a[i]), append(bb, b[i])
		n++
		switch {
		case tie(a[i], b[i]):
		case (info.Better == model.Lower) == (d[i] < 0):
			better++
		default:
			worse++
		}
	}
	x := Delta{Metric: info.Name, Summary: model.Summarize("delta."+info.Name, d), PBetter: math.NaN(), PBetterMCSE: math.NaN(), PWorse: math.NaN(),
		PairedSE: math.NaN(), UnpairedSE: math.NaN()}
	if n > 1 {
		x.PBetter, x.PWorse = better/n, worse/n
		x.PBetterMCSE = math.Sqrt(x.PBetter * (1 - x.PBetter) / n)
		x.PairedSE = x.Summary.SD / math.Sqrt(n)
		x.UnpairedSE = math.Sqrt((stat.Variance(aa, nil) + stat.Variance(bb, nil)) / n)
	}
	return x
}

// tie reports whether a and b are equal to within rounding: a trial's
// revenue sums the same amounts in another order when a deal is won in
// another week, which can move the last bits, and such a trial neither
// beats the baseline nor falls short of it.
func tie(a, b float64) bool {
	return math.Abs(b-a) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

// Delta returns the outcome's difference in the named metric.
func (o *Outcome) Delta(metric string) (Delta, bool) {
	for _, d := range o.Deltas {
		if d.Metric == metric {
			return d, true
		}
	}
	return Delta{}, false
}
