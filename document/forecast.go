package document

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/funnelsim/funnelsim/model"
)

// Forecast is a forecast's document (DESIGN.md §6).
type Forecast struct {
	Model       string             `json:"model"`
	Currency    string             `json:"currency"`
	Start       string             `json:"start"`
	Trials      int                `json:"trials"`
	Weeks       int                `json:"weeks"`
	Seed        uint64             `json:"seed"`
	FixedParams bool               `json:"fixed_params"`
	Metrics     map[string]Summary `json:"metrics"`
	Weekly      []Week             `json:"weekly"`
	Target      *float64           `json:"target,omitempty"`
	PTarget     *float64           `json:"p_target,omitempty"`
	PTargetMCSE *float64           `json:"p_target_mcse,omitempty"`
	Warnings    []string           `json:"warnings"`
	// Recalibrated says how the totals were recalibrated.
	Recalibrated string `json:"recalibrated,omitempty"`

	result *model.Result
}

// Week is the revenue and wins booked by the end of one week.
type Week struct {
	Week    int     `json:"week"`
	Revenue Summary `json:"revenue"`
	Wins    Summary `json:"wins"`
}

// NewForecast is r's document, with the weekly summaries; target, where
// it is a number, adds the chance that revenue reaches it.
func NewForecast(r *model.Result, target float64) *Forecast {
	out := NewForecastTotals(r, target)
	for _, w := range r.WeeklySummaries() {
		out.Weekly = append(out.Weekly, Week{Week: w.Week, Revenue: SummaryOf(w.Revenue), Wins: SummaryOf(w.Wins)})
	}
	return out
}

// NewForecastTotals is NewForecast without the weekly summaries, which
// the tables do not show.
func NewForecastTotals(r *model.Result, target float64) *Forecast {
	out := &Forecast{Model: r.Model, Currency: r.Currency, Start: r.Start.String(), Trials: r.Trials, Weeks: r.Weeks,
		Seed: r.Seed, FixedParams: r.FixedParams, Metrics: map[string]Summary{}, Warnings: r.Warnings, Recalibrated: r.Recalibrated, result: r}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, s := range r.Summaries() {
		out.Metrics[s.Name] = SummaryOf(s)
	}
	if !math.IsNaN(target) {
		p, se, _ := r.PTarget("revenue", target)
		out.Target, out.PTarget, out.PTargetMCSE = Num(target), Num(p), Num(se)
	}
	return out
}

// Rows are the forecast's metrics as table rows, in the result's order:
// name, mean, P10, P50, P90 and the MCSE of the P50.
func (f *Forecast) Rows(side func(model.MetricInfo) bool) [][]string {
	var rows [][]string
	for _, m := range f.result.Metrics {
		if side != nil && !side(m) {
			continue
		}
		s := f.Metrics[m.Name]
		rows = append(rows, []string{m.Name, Value(s["mean"], m, true), Value(s["p10"], m, false), Value(s["p50"], m, false), Value(s["p90"], m, false), SE(s["p50_mcse"])})
	}
	return rows
}

// WriteText writes the forecast as text tables: the marketing and the
// sales metrics, P(target), the warnings.
func (f *Forecast) WriteText(w io.Writer) error {
	r := f.result
	fmt.Fprintf(w, "%s: %d weeks from %s, %d trials, seed %d", r.Model, r.Weeks, f.Start, r.Trials, r.Seed)
	if r.FixedParams {
		fmt.Fprint(w, ", fixed parameters")
	}
	fmt.Fprintln(w)
	for _, side := range []model.Side{model.Marketing, model.Sales} {
		fmt.Fprintf(w, "\n%s\n", strings.ToUpper(side.String()))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "metric\tmean\tP10\tP50\tP90\t± (P50)\t")
		for _, row := range f.Rows(func(m model.MetricInfo) bool { return m.Side == side }) {
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if f.PTarget != nil {
		fmt.Fprintf(w, "\nP(revenue >= %s) = %.3f ± %.3f (MCSE)\n", Thousands(*f.Target), *f.PTarget, *f.PTargetMCSE)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if r.Recalibrated != "" {
		fmt.Fprintf(w, "note: %s\n", r.Recalibrated)
	}
	return nil
}
