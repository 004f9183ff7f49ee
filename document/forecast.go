package document

import (
	"fmt"
	"io"
	"math"
	"slices"
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
	// Quarter is the fiscal quarter's view, with --quarter.
	Quarter *Quarter `json:"quarter,omitempty"`
	// Combined says how the totals were combined with the baselines that
	// forecast best on the model's history, or why they were not; Raw
	// holds the model's own totals of the metrics combined.
	Combined string             `json:"combined,omitempty"`
	Raw      map[string]Summary `json:"raw,omitempty"`
	// TrackRecord says, a line per target, how the model's forecasts did
	// on its own history.
	TrackRecord []string `json:"track_record"`

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
	out.Combined, out.TrackRecord = r.Combined, r.TrackRecord
	for k, raw := range r.Raw {
		if raw != nil {
			if out.Raw == nil {
				out.Raw = map[string]Summary{}
			}
			out.Raw[r.Metrics[k].Name] = SummaryOf(model.Summarize(r.Metrics[k].Name, raw))
		}
	}
	if !math.IsNaN(target) {
		p, se, _ := r.PTarget("revenue", target)
		out.Target, out.PTarget, out.PTargetMCSE = Num(target), Num(p), Num(se)
	}
	return out
}

// order places the metrics in a table: revenue and wins first, the
// stages' entries in funnel order, then the rest; lower comes first.
func order(m model.MetricInfo) int {
	switch m.Name {
	case "revenue":
		return 0
	case "wins":
		return 1
	case "win_rate":
		return 2
	case "avg_deal":
		return 3
	case "spend":
		return 20
	case "cost_per_lead", "cost_per_sql", "cost_per_win":
		return 21
	case "handoffs", "lost_opportunities", "cycle_weeks", "cold", "utilization":
		return 30
	}
	return 10 // the stages' entries, in funnel order
}

// noSpend says the model spends nothing: its spend and costs are not
// known, not zero.
func (f *Forecast) noSpend() bool {
	s := f.Metrics["spend"]
	return s != nil && s["p95"] != nil && *s["p95"] == 0
}

// always0 says the metric is 0 in every trial.
func always0(s Summary) bool {
	return s["p5"] != nil && s["p95"] != nil && *s["p5"] == 0 && *s["p95"] == 0
}

// Rows are the forecast's metrics as a person reads them, those of side
// (nil for all) in the order of order: the label (money with the
// currency), mean, P10, P50, P90 and the Monte Carlo standard error of the
// P50; shares as percentages. Spend and costs of a model without spend
// are one row, not known; cold leads none ever goes cold are left out.
func (f *Forecast) Rows(side func(model.MetricInfo) bool) [][]string {
	var ms []model.MetricInfo
	for _, m := range f.result.Metrics {
		if side == nil || side(m) {
			ms = append(ms, m)
		}
	}
	slices.SortStableFunc(ms, func(a, b model.MetricInfo) int { return order(a) - order(b) })
	var rows [][]string
	costs := false
	for _, m := range ms {
		s := f.Metrics[m.Name]
		switch {
		case (m.Name == "spend" || strings.HasPrefix(m.Name, "cost_")) && f.noSpend():
			if !costs {
				rows = append(rows, []string{"spend and costs", "not known", "", "", "", ""})
				costs = true
			}
			continue
		case m.Name == "cold" && always0(s):
			continue
		}
		label := m.Label
		if m.Unit == model.Money && f.Currency != "" {
			label += " (" + f.Currency + ")"
		}
		rows = append(rows, []string{label, Value(s["mean"], m, true), Value(s["p10"], m, false), Value(s["p50"], m, false), Value(s["p90"], m, false), humanSE(s["p50_mcse"], m)})
	}
	return rows
}

// Value prints a metric's value for a person: money and large counts
// with thousands separators, counts whole (small means with a decimal),
// shares as percentages, weeks with a decimal; "-" for none.
func Value(x *float64, m model.MetricInfo, mean bool) string {
	switch {
	case x == nil:
		return "-"
	case m.Unit == model.Ratio:
		return fmt.Sprintf("%.1f%%", 100**x)
	case m.Unit == model.Money, math.Abs(*x) >= 100:
		return Thousands(*x)
	case m.Unit == model.Count && !mean:
		return Thousands(*x)
	}
	return fmt.Sprintf("%.1f", *x)
}

// humanSE prints a standard error as Value prints its value: in
// percentage points for a share.
func humanSE(x *float64, m model.MetricInfo) string {
	if x != nil && m.Unit == model.Ratio {
		return fmt.Sprintf("%.2g pts", 100**x)
	}
	return SE(x)
}

// seNote explains the ± column once, under the tables.
const seNote = "± (P50): the Monte Carlo error of the median, which more trials make smaller; the spread of the forecast is P10 to P90."

// WriteText writes the forecast as text tables: the sales and the
// marketing metrics, P(target), the warnings.
func (f *Forecast) WriteText(w io.Writer) error {
	r := f.result
	fmt.Fprintf(w, "%s: %d weeks from %s, %d trials, seed %d", r.Model, r.Weeks, f.Start, r.Trials, r.Seed)
	if r.FixedParams {
		fmt.Fprint(w, ", fixed parameters")
	}
	fmt.Fprintln(w)
	for _, side := range []model.Side{model.Sales, model.Marketing} {
		fmt.Fprintf(w, "\n%s\n", strings.ToUpper(side.String()))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "\tmean\tP10\tP50\tP90\t± (P50)\t")
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
	if f.Quarter != nil {
		if err := f.Quarter.WriteText(w, f.Currency); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\n%s\n", seNote)
	if f.noSpend() {
		fmt.Fprintln(w, "spend and costs: not known, the model has no spend (calibrate it with weekly spend)")
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if r.Recalibrated != "" {
		fmt.Fprintf(w, "note: %s\n", r.Recalibrated)
	}
	writeTrust(w, r.Combined, r.TrackRecord)
	return nil
}

// writeTrust writes how the totals were combined, or why not, and the
// track record's lines.
func writeTrust(w io.Writer, combined string, lines []string) {
	if combined != "" {
		fmt.Fprintf(w, "note: %s\n", combined)
	}
	if len(lines) > 0 {
		fmt.Fprintln(w, "\nTRACK RECORD")
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	}
}
