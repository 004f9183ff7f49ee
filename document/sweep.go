package document

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/funnelsim/funnelsim/scenarios"
)

// Point is one lever value's revenue, wins and P(target).
type Point struct {
	Value       float64  `json:"value"`
	Revenue     Summary  `json:"revenue"`
	Wins        Summary  `json:"wins"`
	PTarget     *float64 `json:"p_target,omitempty"`
	PTargetMCSE *float64 `json:"p_target_mcse,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
}

// PointOf is p as a Point; nil for nil.
func PointOf(p *scenarios.Point) *Point {
	if p == nil {
		return nil
	}
	return &Point{Value: p.Value, Revenue: SummaryOf(p.Revenue), Wins: SummaryOf(p.Wins), PTarget: Num(p.PTarget), PTargetMCSE: Num(p.PTargetMCSE), Warnings: p.Warnings}
}

// Run says how a sweep or goal seek ran: its model, start and weeks, its
// lever, trials a value, seed, revenue target (NaN for none) and
// recalibration note.
type Run struct {
	Model, Start string
	Weeks        int
	Lever        string
	Trials       int
	Seed         uint64
	Target       float64
	Recalibrated string
}

// Sweep is a sweep's document: a point per lever value, the same trials
// at every value.
type Sweep struct {
	Lever        string   `json:"lever"`
	Model        string   `json:"model"`
	Points       []*Point `json:"points"`
	Recalibrated string   `json:"recalibrated"`
	Seed         uint64   `json:"seed"`
	Start        string   `json:"start"`
	Target       *float64 `json:"target,omitempty"`
	Trials       int      `json:"trials"`
	Weeks        int      `json:"weeks"`

	run Run
	pts []scenarios.Point
}

// NewSweep is the document of a sweep that ran as run says.
func NewSweep(run Run, pts []scenarios.Point) *Sweep {
	s := &Sweep{Lever: run.Lever, Model: run.Model, Recalibrated: run.Recalibrated, Seed: run.Seed, Start: run.Start, Target: Num(run.Target),
		Trials: run.Trials, Weeks: run.Weeks, run: run, pts: pts}
	for i := range pts {
		s.Points = append(s.Points, PointOf(&pts[i]))
	}
	return s
}

// WriteText writes the sweep as a table, a row per value, then its
// warnings, each once.
func (s *Sweep) WriteText(w io.Writer) error {
	f := s.run
	fmt.Fprintf(w, "sweep of %s, %d trials a value, seed %d, the same trials at every value\n\n", f.Lever, f.Trials, f.Seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "value\trevenue P10\tP50\tP90\t± (P50)\twins P50\t"
	if !math.IsNaN(f.Target) {
		head += fmt.Sprintf("P(revenue >= %s)\t", Thousands(f.Target))
	}
	fmt.Fprintln(tw, head)
	for _, p := range s.pts {
		q := SummaryOf(p.Revenue)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t", LeverValue(p.Value), Thousands(*q["p10"]), Thousands(*q["p50"]), Thousands(*q["p90"]), SE(q["p50_mcse"]),
			strconv.FormatFloat(*SummaryOf(p.Wins)["p50"], 'f', 0, 64))
		if !math.IsNaN(f.Target) {
			fmt.Fprintf(tw, "%.3f ± %.3f\t", p.PTarget, p.PTargetMCSE)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var warnings [][]string
	for _, p := range s.pts {
		warnings = append(warnings, p.Warnings)
	}
	writeNotes(w, warnings, f.Recalibrated)
	return nil
}

// writeNotes writes each warning once, in order, then the recalibration
// note, where there is one.
func writeNotes(w io.Writer, warnings [][]string, recalibrated string) {
	seen := map[string]bool{}
	for _, ws := range warnings {
		for _, warn := range ws {
			if !seen[warn] {
				fmt.Fprintf(w, "warning: %s\n", warn)
				seen[warn] = true
			}
		}
	}
	if recalibrated != "" {
		fmt.Fprintf(w, "note: %s\n", recalibrated)
	}
}

// Goal is a goal seek's document: the smallest lever value whose chance
// of reaching the target reaches the confidence, and the points at and
// below it.
type Goal struct {
	At           *Point   `json:"at"`
	Below        *Point   `json:"below"`
	Confidence   float64  `json:"confidence"`
	Lever        string   `json:"lever"`
	Model        string   `json:"model"`
	Reached      bool     `json:"reached"`
	Recalibrated string   `json:"recalibrated"`
	Runs         int      `json:"runs"`
	Seed         uint64   `json:"seed"`
	Start        string   `json:"start"`
	Target       float64  `json:"target"`
	Trials       int      `json:"trials"`
	Value        *float64 `json:"value"`
	Weeks        int      `json:"weeks"`

	run  Run
	goal *scenarios.Goal
}

// NewGoal is the document of goal seek g, run as run says, for confidence.
func NewGoal(run Run, confidence float64, g *scenarios.Goal) *Goal {
	d := &Goal{At: PointOf(g.At), Below: PointOf(g.Below), Confidence: confidence, Lever: run.Lever, Model: run.Model, Reached: g.Reached,
		Recalibrated: run.Recalibrated, Runs: g.Evals, Seed: run.Seed, Start: run.Start, Target: run.Target, Trials: run.Trials, Weeks: run.Weeks, run: run, goal: g}
	if g.Reached {
		d.Value = Num(g.Value)
	}
	return d
}

// WriteText writes the goal seek's answer as sentences.
func (d *Goal) WriteText(w io.Writer) error {
	f, g := d.run, d.goal
	if !g.Reached {
		top := g.Below
		fmt.Fprintf(w, "%s cannot reach P(revenue >= %s) >= %.2f in its range: at %s it is %.3f ± %.3f\n",
			f.Lever, Thousands(f.Target), d.Confidence, LeverValue(top.Value), top.PTarget, top.PTargetMCSE)
		if c := math.Floor(100*top.PTarget) / 100; c > 0 {
			fmt.Fprintf(w, "a confidence of %.2f is met at %s; ", c, LeverValue(top.Value))
		}
		fmt.Fprintf(w, "more than %s may reach %.2f (try --range %s:%s)\n", LeverValue(top.Value), d.Confidence, rangeValue(top.Value), rangeValue(4*math.Max(top.Value, 1)))
		return nil
	}
	fmt.Fprintf(w, "%s = %s is the smallest value reaching P(revenue >= %s) >= %.2f: %.3f ± %.3f (median revenue %s)\n",
		f.Lever, LeverValue(g.Value), Thousands(f.Target), d.Confidence, g.At.PTarget, g.At.PTargetMCSE, Thousands(*SummaryOf(g.At.Revenue)["p50"]))
	if g.Below != nil {
		fmt.Fprintf(w, "at %s it is %.3f ± %.3f\n", LeverValue(g.Below.Value), g.Below.PTarget, g.Below.PTargetMCSE)
	}
	fmt.Fprintf(w, "(%d runs of %d trials, seed %d, on common random numbers)\n", g.Evals, f.Trials, f.Seed)
	if n := f.Recalibrated; n != "" {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

// LeverValue formats a lever's value for a table: whole numbers and values
// of 100 or more rounded, with thousands separators, and others to four
// significant digits, so that a bisection's 123.2267289 reads 123.
func LeverValue(v float64) string {
	if math.Abs(v) >= 100 || v == math.Trunc(v) {
		return Thousands(math.Round(v))
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// rangeValue formats a lever value for a --range the user can paste.
func rangeValue(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
