package document

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/scenarios"
)

// Compare is a scenario comparison's document: the baseline's forecast
// and each scenario's, with its paired differences from the baseline.
type Compare struct {
	Baseline  *Forecast  `json:"baseline"`
	Scenarios []Scenario `json:"scenarios"`

	comparison *scenarios.Comparison
	model      *model.Model
}

// Scenario is one scenario's forecast and differences.
type Scenario struct {
	Name     string           `json:"name"`
	Warnings []string         `json:"warnings"`
	Forecast *Forecast        `json:"forecast"`
	Delta    map[string]Delta `json:"delta"`
}

// Delta is a metric's paired difference: its summary, P(better) and the
// paired and unpaired standard errors of its mean.
type Delta struct {
	Summary
	PBetter     *float64 `json:"p_better"`
	PBetterMCSE *float64 `json:"p_better_mcse"`
	PWorse      *float64 `json:"p_worse"`
	PairedSE    *float64 `json:"paired_se"`
	UnpairedSE  *float64 `json:"unpaired_se"`
}

// MarshalJSON writes the summary's fields and the delta's side by side.
func (d Delta) MarshalJSON() ([]byte, error) {
	out := map[string]*float64{}
	for k, v := range d.Summary {
		out[k] = v
	}
	out["p_better"], out["p_better_mcse"], out["p_worse"], out["paired_se"], out["unpaired_se"] = d.PBetter, d.PBetterMCSE, d.PWorse, d.PairedSE, d.UnpairedSE
	return json.Marshal(out)
}

// NewCompare is c's document for model m; weekly adds each run's weekly
// summaries, which the table does not show.
func NewCompare(m *model.Model, c *scenarios.Comparison, target float64, weekly bool) *Compare {
	forecast := NewForecastTotals
	if weekly {
		forecast = NewForecast
	}
	doc := &Compare{Baseline: forecast(c.Baseline, target), comparison: c, model: m}
	for _, o := range c.Scenarios {
		s := Scenario{Name: o.Name, Warnings: o.Warnings, Forecast: forecast(o.Result, target), Delta: map[string]Delta{}}
		if s.Warnings == nil {
			s.Warnings = []string{}
		}
		for _, d := range o.Deltas {
			s.Delta[d.Metric] = Delta{Summary: SummaryOf(d.Summary), PBetter: Num(d.PBetter), PBetterMCSE: Num(d.PBetterMCSE),
				PWorse: Num(d.PWorse), PairedSE: Num(d.PairedSE), UnpairedSE: Num(d.UnpairedSE)}
		}
		doc.Scenarios = append(doc.Scenarios, s)
	}
	return doc
}

// SQLMetric is the metric of m's SQL stage, whatever the stage is called;
// "" when the funnel has none.
func SQLMetric(m *model.Model) string {
	if i := m.StageIndex(m.SQLStage); i >= 0 {
		return m.Stages[i].MetricName()
	}
	return ""
}

// Change prints a scenario's mean difference in metric with its paired
// standard error: "+12,000 ± 3,400"; a share's in percentage points.
func (c *Compare) Change(s *Scenario, metric string) string {
	info, _ := c.Baseline.result.Info(metric)
	d := s.Delta[metric]
	if info.Unit == model.Ratio && d.Summary["mean"] != nil && d.PairedSE != nil {
		return fmt.Sprintf("%+.1f ± %.2g pts", 100**d.Summary["mean"], 100**d.PairedSE)
	}
	return Signed(d.Summary["mean"], info) + " ± " + MetricSE(d.PairedSE, info)
}

// WriteText writes the comparison as a table: a row per run, the
// scenarios' differences from the baseline, then their notes.
func (c *Compare) WriteText(w io.Writer) error {
	r := c.comparison.Baseline
	fmt.Fprintf(w, "%d weeks from %s, %d trials, seed %d; differences are scenario minus baseline, paired trial by trial\n\n", r.Weeks, c.Baseline.Start, r.Trials, r.Seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "scenario\trevenue P50\tΔ revenue\tP(better)\tP(worse)\tΔ wins\tΔ win rate\tΔ SQLs\tΔ cost/win\t"
	if c.Baseline.PTarget != nil {
		head += "P(target)\t"
	}
	fmt.Fprintln(tw, head)
	row := func(name string, f *Forecast, s *Scenario) {
		p50 := "-"
		if v := f.Metrics["revenue"]["p50"]; v != nil {
			p50 = Thousands(*v)
		}
		cells := []string{name, p50}
		for _, k := range []string{"revenue", "wins", "win_rate", SQLMetric(c.model), "cost_per_win"} {
			if s == nil {
				cells = append(cells, "")
				if k == "revenue" {
					cells = append(cells, "", "")
				}
				continue
			}
			cells = append(cells, c.Change(s, k))
			if k == "revenue" {
				cells = append(cells, Prob(s.Delta[k].PBetter), Prob(s.Delta[k].PWorse))
			}
		}
		if f.PTarget != nil {
			cells = append(cells, fmt.Sprintf("%.3f", *f.PTarget))
		}
		for _, c := range cells {
			fmt.Fprintf(tw, "%s\t", c)
		}
		fmt.Fprintln(tw)
	}
	row(r.Model, c.Baseline, nil)
	for i := range c.Scenarios {
		row(c.Scenarios[i].Name, c.Scenarios[i].Forecast, &c.Scenarios[i])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nΔ: the scenario's mean minus the baseline's (money in %s); ± its Monte Carlo error, which more trials make smaller, not a range of outcomes. P(better), P(worse): the shares of trials in which the scenario's revenue is higher, lower; the rest are ties.\n", c.Baseline.Currency)
	for _, s := range c.Scenarios {
		for _, warn := range s.Warnings {
			fmt.Fprintf(w, "note: %s: %s\n", s.Name, warn)
		}
	}
	if r.Recalibrated != "" {
		fmt.Fprintf(w, "note: %s\n", r.Recalibrated)
	}
	writeTrust(w, r.Combined, r.TrackRecord)
	return nil
}
