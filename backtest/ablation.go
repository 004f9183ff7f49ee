package backtest

import (
	"context"

	"github.com/funnelsim/funnelsim/calibrate"
)

// Variant is one backtest of an ablation: its name ("all parts", "without
// windows", …, "without any") and its summary by target.
type Variant struct {
	Name    string
	Summary []TargetSummary
}

// Ablation backtests the history with every part of the estimation that
// follows real exports (calibrate.Parts), with each turned off alone, and
// with all turned off, on the same origins and seeds, so that what each
// part does can be read off target by target.
func Ablation(ctx context.Context, h *calibrate.History, o Options) ([]Variant, error) {
	type variant struct {
		name string
		off  []string
	}
	variants := []variant{{"all parts", nil}}
	for _, p := range calibrate.PartNames {
		variants = append(variants, variant{"without " + p, []string{p}})
	}
	variants = append(variants, variant{"without any", calibrate.PartNames})
	var out []Variant
	for k, v := range variants {
		vo := o
		if o.Progress != nil {
			vo.Progress = func(done, total int) { o.Progress(k*total+done, len(variants)*total) }
		}
		for _, p := range v.off {
			if err := vo.Calibrate.Without.Set(p); err != nil {
				return nil, err
			}
		}
		res, err := Run(ctx, h, vo)
		if err != nil {
			return nil, err
		}
		out = append(out, Variant{Name: v.name, Summary: res.Summary()})
	}
	return out, nil
}
