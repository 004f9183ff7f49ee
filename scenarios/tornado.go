package scenarios

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/funnelsim/funnelsim/model"
)

// Swing is how far the median of a metric moves when one driver is moved
// down and up by a stated amount, on the same trials as the baseline.
type Swing struct {
	Driver    string
	Low, High float64 // the metric's median with the driver down, and up
}

// Tornado moves each driver of m in turn, down and up by the share step
// (each stage's conversion, each channel's arrivals, the size of deals won
// from now on; open deals keep their known amounts), and the
// team by one rep where capacity is limited, and returns the median of
// metric at each end, with the baseline's median, the widest swing first.
func Tornado(ctx context.Context, m *model.Model, metric string, step float64, o model.Options) (base float64, swings []Swing, err error) {
	if !(step > 0 && step < 1) {
		return 0, nil, fmt.Errorf("tornado: step must be in (0, 1), got %v", step)
	}
	with := func(c model.Change) *model.Model {
		out := *m
		out.Changes = append(slices.Clone(m.Changes), c)
		return &out
	}
	f := func(x float64) *float64 { return &x }
	type driver struct {
		name     string
		low, hig *model.Model
	}
	pct := fmt.Sprintf("±%.0f%%", 100*step)
	var ds []driver
	for _, st := range m.Stages {
		ds = append(ds, driver{st.Name + " conversion " + pct, with(model.Change{Stage: st.Name, Conversion: f(1 - step)}), with(model.Change{Stage: st.Name, Conversion: f(1 + step)})})
	}
	for _, ch := range m.Channels {
		ds = append(ds, driver{ch.Name + " leads " + pct, with(model.Change{Channel: ch.Name, Leads: f(1 - step)}), with(model.Change{Channel: ch.Name, Leads: f(1 + step)})})
	}
	ds = append(ds, driver{"new deals' size " + pct, with(model.Change{DealSize: f(1 - step)}), with(model.Change{DealSize: f(1 + step)})})
	if !m.Reps.Unlimited && m.Reps.Count > 0 {
		lo, hi := *m, *m
		lo.Reps.Count--
		hi.Reps.Count++
		ds = append(ds, driver{"reps ±1", &lo, &hi})
	}
	models := []*model.Model{m}
	for _, d := range ds {
		models = append(models, d.low, d.hig)
	}
	o.Combine = false // the combination is a forecast's and compare's: their first model is the unchanged one
	rs, err := model.RunAll(ctx, models, o)
	if err != nil {
		return 0, nil, fmt.Errorf("tornado: %w", err)
	}
	medians := make([]float64, len(rs))
	for i, r := range rs {
		v, ok := r.Metric(metric)
		if !ok {
			return 0, nil, fmt.Errorf("tornado: no metric %q", metric)
		}
		medians[i], _, _ = model.Summarize(metric, v).Quantile(0.5)
	}
	base = medians[0]
	for i, d := range ds {
		swings = append(swings, Swing{Driver: d.name, Low: medians[1+2*i], High: medians[2+2*i]})
	}
	slices.SortStableFunc(swings, func(a, b Swing) int {
		return cmp.Compare(math.Abs(b.High-b.Low), math.Abs(a.High-a.Low))
	})
	return base, swings, nil
}
