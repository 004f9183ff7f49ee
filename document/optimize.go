package document

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/funnelsim/funnelsim/scenarios"
)

// Optimum is an optimizer's document: the chosen weekly spend per channel
// against today's and an equal split, the objective of each with its
// MCSE, the paired gain over today's, each channel's marginal revenue per
// extra unit of spend, how robust the choice is to the response curves'
// uncertainty, and the frontier of budget against objective.
type Optimum struct {
	Best         *Split          `json:"best"`
	Budget       float64         `json:"budget"`
	Channels     []string        `json:"channels"`
	Equal        *Split          `json:"equal"`
	Evaluations  int             `json:"evaluations"`
	FrontierEval int             `json:"frontier_evaluations"`
	FinalTrials  int             `json:"final_trials"`
	Frontier     []FrontierPoint `json:"frontier"`
	Gain         *float64        `json:"gain"`
	GainMCSE     *float64        `json:"gain_mcse"`
	Marginal     []*float64      `json:"marginal_revenue"`
	MarginalMCSE []*float64      `json:"marginal_revenue_mcse"`
	Max          []float64       `json:"max"`
	Min          []float64       `json:"min"`
	Model        string          `json:"model"`
	Objective    string          `json:"objective"`
	PBetter      float64         `json:"p_better"`
	PWorse       float64         `json:"p_worse"`
	Robust       *float64        `json:"robust"`
	RobustDraws  int             `json:"robust_draws"`
	Seed         uint64          `json:"seed"`
	Start        string          `json:"start"`
	Target       *float64        `json:"target,omitempty"`
	Today        *Split          `json:"today"`
	Trials       int             `json:"trials"`
	Warnings     []string        `json:"warnings"`
	Weeks        int             `json:"weeks"`
	opt          *scenarios.Optimum
	currency     string
}

// Split is one allocation in an Optimum: weekly spend per channel, and
// per channel the mean leads, wins and revenue over the horizon.
type Split struct {
	Leads     []float64 `json:"leads"`
	Revenue   []float64 `json:"revenue"`
	Spend     []float64 `json:"spend"`
	Total     float64   `json:"revenue_total"`
	Value     *float64  `json:"value"`
	ValueMCSE *float64  `json:"value_mcse"`
	Wins      []float64 `json:"wins"`
}

// FrontierPoint is the objective at one weekly budget, at today's mix and
// at the best split found.
type FrontierPoint struct {
	Best        *float64  `json:"best"`
	BestMCSE    *float64  `json:"best_mcse"`
	BestSpend   []float64 `json:"best_spend"`
	Budget      float64   `json:"budget"`
	Chosen      bool      `json:"chosen"`
	TodayBudget bool      `json:"today_budget"`
	TodayMix    *float64  `json:"today_mix"`
	TodayMCSE   *float64  `json:"today_mix_mcse"`
}

func splitOf(s *scenarios.Split) *Split {
	return &Split{Leads: s.Leads, Revenue: s.Revenue, Spend: s.Spend, Total: s.Total, Value: Num(s.Value), ValueMCSE: Num(s.MCSE), Wins: s.Wins}
}

func nums(x []float64) []*float64 {
	out := make([]*float64, len(x))
	for i, v := range x {
		out[i] = Num(v)
	}
	return out
}

// NewOptimum is the document of optimum o of the model named model,
// starting at start, whose money is in currency.
func NewOptimum(model, start, currency string, o *scenarios.Optimum) *Optimum {
	d := &Optimum{Best: splitOf(&o.Best), Budget: o.Budget, Channels: o.Channels, Equal: splitOf(&o.Equal), Evaluations: o.Evaluations,
		FrontierEval: o.FrontierEvaluations,
		FinalTrials:  o.FinalTrials, Gain: Num(o.Gain), GainMCSE: Num(o.GainMCSE), Marginal: nums(o.Marginal), MarginalMCSE: nums(o.MarginalMCSE),
		Max: o.Hi, Min: o.Lo, Model: model, Objective: o.Objective.String(), PBetter: o.PBetter, PWorse: o.PWorse, Robust: Num(o.Robust),
		RobustDraws: o.RobustDraws, Seed: o.Seed, Start: start, Today: splitOf(&o.Today), Trials: o.Trials, Warnings: o.Warnings, Weeks: o.Weeks, opt: o, currency: currency}
	if d.Warnings == nil {
		d.Warnings = []string{}
	}
	if o.Objective == scenarios.PTarget {
		d.Target = Num(o.Target)
	}
	for _, f := range o.Frontier {
		d.Frontier = append(d.Frontier, FrontierPoint{Best: Num(f.Best), BestMCSE: Num(f.BestMCSE), BestSpend: f.BestSpend, Budget: f.Budget,
			Chosen: f.IsMain, TodayBudget: f.TodayBudget, TodayMix: Num(f.TodayMix), TodayMCSE: Num(f.TodayMCSE)})
	}
	return d
}

// ObjectiveLabel names o's objective as a person reads it.
func ObjectiveLabel(o *scenarios.Optimum) string {
	switch o.Objective {
	case scenarios.PTarget:
		return fmt.Sprintf("P(revenue >= %s)", Thousands(o.Target))
	case scenarios.Median:
		return "median revenue"
	case scenarios.Mean:
		return "mean revenue"
	}
	return "mean of the worst 10% of revenue"
}

// ObjectiveValue prints a value of o's objective: a share with three
// decimals, money whole.
func ObjectiveValue(o *scenarios.Optimum, x float64) string {
	if o.Objective == scenarios.PTarget {
		return strconv.FormatFloat(x, 'f', 3, 64)
	}
	return Thousands(x)
}

// WriteText writes the chosen split against today's and an equal one, a
// row per channel, then the objective, the gain, the robustness, the
// frontier and the warnings.
func (d *Optimum) WriteText(w io.Writer) error {
	o := d.opt
	fmt.Fprintf(w, "optimize %s over %d weeks from %s: weekly budget %s over %d channels\n", ObjectiveLabel(o), o.Weeks, d.Start, Thousands(o.Budget), len(o.Channels))
	fmt.Fprintf(w, "search: %d splits at %d trials each (and %d for the frontier); answer: the best of its best, today's and an equal split on %d fresh trials each (seed %d)\n\n",
		o.Evaluations, o.Trials, o.FrontierEvaluations, o.FinalTrials, o.Seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "channel\tspend today\tbest\tequal\tleads today\tbest\twins today\tbest\trevenue today\tbest\trevenue per extra %s\t\n", d.currency)
	for i, ch := range o.Channels {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f\t%.0f\t%.1f\t%.1f\t%s\t%s\t%s\t\n", ch, Thousands(o.Today.Spend[i]), Thousands(o.Best.Spend[i]), Thousands(o.Equal.Spend[i]),
			o.Today.Leads[i], o.Best.Leads[i], o.Today.Wins[i], o.Best.Wins[i], Thousands(o.Today.Revenue[i]), Thousands(o.Best.Revenue[i]), marginal(o, i))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, s := range []*scenarios.Split{&o.Today, &o.Equal, &o.Best} {
		fmt.Fprintf(w, "%-6s %s = %s ± %s, mean revenue %s\n", s.Name, ObjectiveLabel(o), ObjectiveValue(o, s.Value), ObjectiveValue(o, s.MCSE), Thousands(s.Total))
	}
	fmt.Fprintf(w, "gain over today's: %s ± %s (paired); the best split books more revenue than today's in %.0f%% of trials, less in %.0f%%\n",
		signedObjective(o, o.Gain), ObjectiveValue(o, o.GainMCSE), 100*o.PBetter, 100*o.PWorse)
	if math.IsNaN(o.Robust) {
		fmt.Fprintln(w, "robustness: not measured: the response curves carry no uncertainty (given or default curves), or the answer is today's split")
	} else {
		fmt.Fprintf(w, "robustness: the best split beats today's in %d of %d draws of the response curves (%.0f%%)\n", int(math.Round(o.Robust*float64(o.RobustDraws))), o.RobustDraws, 100*o.Robust)
	}
	fmt.Fprintln(w, "\nfrontier (weekly budget: today's mix, best split found):")
	for _, f := range o.Frontier {
		mark := ""
		if f.IsMain {
			mark = "  <- this budget"
		}
		if f.TodayBudget {
			mark += "  (today's budget)"
		}
		fmt.Fprintf(w, "  %s: %s, %s%s\n", Thousands(f.Budget), ObjectiveValue(o, f.TodayMix), ObjectiveValue(o, f.Best), mark)
	}
	writeNotes(w, [][]string{o.Warnings}, "")
	return nil
}

func signedObjective(o *scenarios.Optimum, x float64) string {
	s := ObjectiveValue(o, x)
	if x >= 0 && !strings.HasPrefix(s, "-") {
		return "+" + s
	}
	return s
}

// marginal prints channel i's revenue per extra unit of spend, with its
// standard error.
func marginal(o *scenarios.Optimum, i int) string {
	if i >= len(o.Marginal) {
		return ""
	}
	return fmt.Sprintf("%.2f ± %.2f", o.Marginal[i], o.MarginalMCSE[i])
}

// WriteCSV writes the optimum as a table: a row per channel and split
// (today, equal, best), then a row per frontier budget (channel empty).
func (d *Optimum) WriteCSV(w io.Writer) error {
	header := []string{"objective", "target", "weeks", "trials", "final_trials", "seed", "row", "channel", "budget", "spend", "leads", "wins", "revenue",
		"marginal_revenue", "marginal_revenue_mcse", "value", "value_mcse"}
	o := d.opt
	run := []string{o.Objective.String(), csvNum(d.Target), strconv.Itoa(o.Weeks), strconv.Itoa(o.Trials), strconv.Itoa(o.FinalTrials), strconv.FormatUint(o.Seed, 10)}
	var rows [][]string
	for _, s := range []*scenarios.Split{&o.Today, &o.Equal, &o.Best} {
		for i, ch := range o.Channels {
			m, mse := "", ""
			if s == &o.Best && i < len(o.Marginal) {
				m, mse = csvFloat(o.Marginal[i]), csvFloat(o.MarginalMCSE[i])
			}
			rows = append(rows, append(append([]string{}, run...), s.Name, ch, csvFloat(o.Budget), csvFloat(s.Spend[i]), csvFloat(s.Leads[i]),
				csvFloat(s.Wins[i]), csvFloat(s.Revenue[i]), m, mse, csvFloat(s.Value), csvFloat(s.MCSE)))
		}
	}
	for _, f := range o.Frontier {
		rows = append(rows, append(append([]string{}, run...), "frontier_today_mix", "", csvFloat(f.Budget), "", "", "", "", "", "", csvFloat(f.TodayMix), csvFloat(f.TodayMCSE)),
			append(append([]string{}, run...), "frontier_best", "", csvFloat(f.Budget), "", "", "", "", "", "", csvFloat(f.Best), csvFloat(f.BestMCSE)))
	}
	return csvTable(w, header, rows)
}
