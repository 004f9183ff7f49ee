package document

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnelsim/backtest"
)

// WriteText writes the backtest as a table, a row per target and method,
// then each target's best baseline and coverage, and the notes.
func (d *Backtest) WriteText(w io.Writer) error {
	res, horizon := d.res, d.horizon
	fmt.Fprintf(w, "%d origins from %s to %s, forecasting %d weeks; CRPS and pinball loss: lower is better; skill: the model's, 1 - CRPS(model)/CRPS(method)\n\n",
		len(res.Origins), res.Origins[0].Format(time.DateOnly), res.Origins[len(res.Origins)-1].Format(time.DateOnly), horizon)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tmethod\tn\tCRPS\tpinball\tmodel's skill\t50% covers\t80%\t90%\tPIT mean\t")
	sums := res.Summary()
	for _, s := range sums {
		for k, m := range s.Methods {
			name := ""
			if k == 0 {
				name = s.Target
			}
			if m.N == 0 {
				fmt.Fprintf(tw, "%s\t%s\t0\t-\t-\t-\t-\t-\t-\t-\t\n", name, m.Method)
				continue
			}
			skill := skillText(m.Skill)
			if k == 0 {
				skill = ""
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t\n", name, m.Method, m.N, crps(m.CRPS), crps(m.Pinball), skill, m.Cover50, m.Cover80, m.Cover90, m.PITMean)
		}
	}
	sc, skill := backtest.Overall(sums)
	fmt.Fprintf(tw, "all, scaled\tmodel\t\t%.3f\t\t\t\t\t\t\t\n", sc[0])
	for k := 1; k < len(backtest.Methods); k++ {
		if !math.IsNaN(sc[k]) {
			fmt.Fprintf(tw, "\t%s\t\t%.3f\t\t%s\t\t\t\t\t\n", backtest.Methods[k], sc[k], skillText(skill[k]))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n(naive: the last quarter times a quarter-to-quarter change the history showed; seasonal: the same quarter last year times a year-on-year change, where two years are recorded; run-rate: trailing weeks resampled; ets: damped-trend exponential smoothing of the weekly series; pipeline: each open lead's chance of winning within the horizon from its stage and weeks in it, plus new leads' wins, for wins and revenue. all, scaled: each target's CRPS over its mean outcome, averaged over the targets the method forecasts at every origin, and the model's skill over the same targets)")
	fmt.Fprintln(w)
	for _, s := range sums {
		m := s.Model()
		lo, hi := backtest.CoverageBand(m.N, 0.8)
		best := "no baseline"
		if s.Best > 0 {
			best = fmt.Sprintf("best baseline %s (model's skill %s)", s.Methods[s.Best].Method, skillText(s.Methods[s.Best].Skill))
		}
		fmt.Fprintf(w, "%s: %s; the model's 80%% intervals cover %.0f of %d (calibrated ones would cover %d to %d, 9 times in 10)\n", s.Target, best, m.Cover80*float64(m.N), m.N, lo, hi)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

// WriteAblation prints, per target, each variant's CRPS and the coverage
// of its 80% intervals.
func WriteAblation(w io.Writer, vs []backtest.Variant) error {
	fmt.Fprintln(w, "model's CRPS (80% interval coverage) by target, with every part of the estimation, each turned off alone, and all off")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, s := range vs[0].Summary {
		fmt.Fprintf(tw, "%s\t", s.Target)
	}
	fmt.Fprintln(tw)
	for _, v := range vs {
		fmt.Fprintf(tw, "%s\t", v.Name)
		for _, s := range v.Summary {
			fmt.Fprintf(tw, "%s (%.2f)\t", crps(s.Model().CRPS), s.Model().Cover80)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func skillText(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return fmt.Sprintf("%+.2f", x)
}

func crps(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	if math.Abs(x) >= 1000 {
		return Thousands(x)
	}
	return fmt.Sprintf("%.2f", x)
}

// Outcome is one target's outcome at one origin and every method's score.
type Outcome struct {
	Origin string           `json:"origin"`
	Target string           `json:"target"`
	Actual float64          `json:"actual"`
	Scores map[string]Score `json:"scores"`
}

// jsonName is a method's name as a JSON key: snake_case (run_rate).
func jsonName(method string) string { return strings.ReplaceAll(method, "-", "_") }

// Score is one method's forecast of one outcome, scored: its CRPS,
// pinball loss and PIT, whether its central 50, 80 and 90% intervals held
// the outcome, and its P10, P50 and P90.
type Score struct {
	CRPS    float64 `json:"crps"`
	Pinball float64 `json:"pinball"`
	PIT     float64 `json:"pit"`
	Cover50 bool    `json:"cover50"`
	Cover80 bool    `json:"cover80"`
	Cover90 bool    `json:"cover90"`
	P10     float64 `json:"p10"`
	P50     float64 `json:"p50"`
	P90     float64 `json:"p90"`
}

// Method is one method's scores over a target's origins.
type Method struct {
	Method  string    `json:"method"`
	N       int       `json:"n"`
	CRPS    *float64  `json:"crps"`
	Scaled  *float64  `json:"scaled_crps"`
	Pinball *float64  `json:"pinball"`
	Skill   *float64  `json:"model_skill,omitempty"`
	Cover50 *float64  `json:"cover50"`
	Cover80 *float64  `json:"cover80"`
	Cover90 *float64  `json:"cover90"`
	PITMean *float64  `json:"pit_mean"`
	PITs    []float64 `json:"pit"`
}

// Target is one target's summary: its best baseline, the band a
// calibrated forecast's 80% intervals would cover, and every method.
type Target struct {
	Target       string   `json:"target"`
	N            int      `json:"n"`
	Mean         float64  `json:"mean_outcome"`
	BestBaseline string   `json:"best_baseline,omitempty"`
	Cover80Band  [2]int   `json:"cover80_band"`
	Methods      []Method `json:"methods"`
}

// Backtest is a backtest's document.
type Backtest struct {
	Targets  []Target  `json:"targets"`
	Outcomes []Outcome `json:"outcomes"`
	Notes    []string  `json:"notes"`

	res     *backtest.Result
	horizon int
}

// NewBacktest is the document of res, a backtest of forecasts horizon
// weeks ahead.
func NewBacktest(res *backtest.Result, horizon int) *Backtest {
	doc := &Backtest{Notes: res.Notes, res: res, horizon: horizon}
	if doc.Notes == nil {
		doc.Notes = []string{}
	}
	for _, s := range res.Summary() {
		lo, hi := backtest.CoverageBand(s.N, 0.8)
		t := Target{Target: s.Target, N: s.N, Mean: s.Mean, Cover80Band: [2]int{lo, hi}}
		if s.Best > 0 {
			t.BestBaseline = jsonName(backtest.Methods[s.Best])
		}
		for k, m := range s.Methods {
			x := Method{Method: jsonName(m.Method), N: m.N, CRPS: Num(m.CRPS), Scaled: Num(m.Scaled), Pinball: Num(m.Pinball),
				Cover50: Num(m.Cover50), Cover80: Num(m.Cover80), Cover90: Num(m.Cover90), PITMean: Num(m.PITMean), PITs: m.PITs}
			if k > 0 {
				x.Skill = Num(m.Skill)
			}
			if x.PITs == nil {
				x.PITs = []float64{}
			}
			t.Methods = append(t.Methods, x)
		}
		doc.Targets = append(doc.Targets, t)
	}
	for _, o := range res.Outcomes {
		x := Outcome{Origin: o.Origin.Format(time.DateOnly), Target: o.Target, Actual: o.Actual, Scores: map[string]Score{}}
		for k, m := range backtest.Methods {
			if !math.IsNaN(o.Scores[k].CRPS) { // a method that does not forecast this target
				sc := o.Scores[k]
				x.Scores[jsonName(m)] = Score{CRPS: sc.CRPS, Pinball: sc.Pinball, PIT: sc.PIT, Cover50: sc.Cover50, Cover80: sc.Cover80, Cover90: sc.Cover90, P10: sc.P10, P50: sc.P50, P90: sc.P90}
			}
		}
		doc.Outcomes = append(doc.Outcomes, x)
	}
	return doc
}
