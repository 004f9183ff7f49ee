package report

import (
	"context"
	"fmt"

	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/scenarios"
)

// TornadoResult is how far a metric's median moves when each driver
// moves: the baseline's median, each driver's swing and the trials a run.
type TornadoResult struct {
	Metric string
	Base   float64
	Swings []scenarios.Swing
	Step   float64 // the share each driver moves by
	Trials int
}

// Tornado is how far median revenue moves when each driver moves by the
// tornado's step.
var Tornado = Kind{
	Name: "tornado",
	Figures: func(in *Inputs) []Figure {
		t := in.Tornado
		if t == nil || in.Model == nil || len(t.Swings) == 0 {
			return nil
		}
		return []Figure{{Name: "tornado", Draw: func() (*plot.Plot, error) {
			ps := make([]plots.Swing, len(t.Swings))
			for i, s := range t.Swings {
				ps[i] = plots.Swing{Driver: s.Driver, Low: s.Low, High: s.High}
			}
			return plots.Tornado(t.Metric, in.Model.Currency, t.Base, ps)
		}}}
	},
}

// caption is the tornado's caption in the report.
func (t *TornadoResult) caption() string {
	return fmt.Sprintf("How far median %s moves when each driver moves by %.0f%%, on the same %d trials a run.", t.Metric, 100*t.Step, t.Trials)
}

// Response is each channel's leads against its spend, where the model has
// a response to spend.
var Response = Kind{
	Name:    "response",
	Caption: "Each channel's new leads a week against its spend a week, as fitted to the history: solid over the spend it showed, dashed beyond it, a dot at today's.",
	Figures: func(in *Inputs) []Figure {
		if in.Model == nil || in.Result == nil || in.Parts != nil {
			return nil
		}
		for _, c := range in.Model.Channels {
			if c.Response != nil {
				return one("response", func() (*plot.Plot, error) { return plots.Response(in.Model) })
			}
		}
		return nil
	},
}

// TornadoStep is the share each driver moves by in the tornado.
const TornadoStep = 0.1

// NewTornado runs the tornado of median revenue for m: each driver down
// and up by TornadoStep, on at most TornadoTrials trials a run.
func NewTornado(ctx context.Context, m *model.Model, o model.Options) (*TornadoResult, error) {
	o.Trials, o.Progress = min(o.Trials, TornadoTrials), nil
	base, swings, err := scenarios.Tornado(ctx, m, "revenue", TornadoStep, o)
	if err != nil {
		return nil, err
	}
	return &TornadoResult{Metric: "revenue", Base: base, Swings: swings, Step: TornadoStep, Trials: o.Trials}, nil
}
