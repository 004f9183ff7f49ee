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
	// TrackRecord is the model's track record, a line per target.
	TrackRecord []string
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
// below it; where none in the range does, what the lever can do at most
// and what holds it back.
type Goal struct {
	At           *Point   `json:"at"`
	Below        *Point   `json:"below"`
	Best         *Point   `json:"best"`
	Binds        []string `json:"binds"`
	Confidence   float64  `json:"confidence"`
	Current      *float64 `json:"current"`
	Extended     *float64 `json:"extended"`
	Far          *Point   `json:"far"`
	Flat         bool     `json:"flat"`
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
	// TrackRecord says, a line per target, how the model's forecasts did
	// on its own history.
	TrackRecord []string `json:"track_record"`

	run  Run
	goal *scenarios.Goal
}

// NewGoal is the document of goal seek g, run as run says, for confidence.
func NewGoal(run Run, confidence float64, g *scenarios.Goal) *Goal {
	d := &Goal{At: PointOf(g.At), Below: PointOf(g.Below), Best: PointOf(g.Best), Binds: Binds(run, g), Confidence: confidence,
		Current: Num(g.Current), Far: PointOf(g.Far), Flat: g.Flat, Lever: run.Lever, Model: run.Model, Reached: g.Reached,
		Recalibrated: run.Recalibrated, Runs: g.Evals, Seed: run.Seed, Start: run.Start, Target: run.Target, Trials: run.Trials, Weeks: run.Weeks, TrackRecord: run.TrackRecord, run: run, goal: g}
	if g.Reached {
		d.Value = Num(g.Value)
	}
	if g.Extended > 0 {
		d.Extended = Num(g.Extended)
	}
	return d
}

// Binds says what holds a seek's lever back where more of it stopped
// helping (g.Flat), from what the run measured at the farthest value
// tried: the weeks a new lead takes to win, where that is at least three
// quarters of the horizon, and the team's utilization, where at least
// 90% for a lever other than reps. Nil where the lever did not stop
// helping.
func Binds(run Run, g *scenarios.Goal) []string {
	if !g.Flat || g.Far == nil {
		return nil
	}
	var out []string
	far := g.Far
	target, horizon, capacity := binding(run, far)
	if target {
		p90, _, _ := far.Revenue.Quantile(0.9)
		return []string{fmt.Sprintf("the target: at %s no trial reaches it, and revenue's P90 is %s", LeverValue(far.Value), Thousands(p90))}
	}
	if horizon {
		out = append(out, fmt.Sprintf("the horizon: a new lead takes %.1f weeks to win here, against a %d-week horizon, so most of what the lever adds wins after it; the horizon's revenue rests on the pipeline open now", far.CycleWeeks, run.Weeks))
	}
	if capacity {
		out = append(out, fmt.Sprintf("rep capacity: at %s the team is %.0f%% busy, so more leads wait or go cold", LeverValue(far.Value), 100*far.Utilization))
	}
	if len(out) == 0 {
		out = append(out, fmt.Sprintf("not the lever: at %s a new lead takes %.1f weeks to win and the team is %.0f%% busy; revenue's spread, not its level, keeps P(target) there", LeverValue(far.Value), far.CycleWeeks, 100*far.Utilization))
	}
	return out
}

// WriteText writes the goal seek's answer as sentences.
func (d *Goal) WriteText(w io.Writer) error {
	f, g := d.run, d.goal
	now := ""
	if !math.IsNaN(g.Current) {
		now = fmt.Sprintf(" (now %s)", LeverValue(g.Current))
	}
	if !g.Reached {
		top := g.Below
		fmt.Fprintf(w, "%s cannot reach P(revenue >= %s) >= %.2f: at %s it is %.3f ± %.3f%s\n",
			f.Lever, Thousands(f.Target), d.Confidence, LeverValue(top.Value), top.PTarget, top.PTargetMCSE, now)
		switch far := g.Far; {
		case far == nil:
			fmt.Fprintf(w, "more than %s may reach %.2f (try --range %s:%s)\n", LeverValue(top.Value), d.Confidence, rangeValue(top.Value), rangeValue(4*math.Max(top.Value, 1)))
		case g.Flat:
			fmt.Fprintf(w, "raising %s further stops helping: at %s it is %.3f ± %.3f\n", f.Lever, LeverValue(far.Value), far.PTarget, far.PTargetMCSE)
			if far.PTarget == 0 {
				fmt.Fprintf(w, "no trial reaches the target at any value tried\n")
			} else if b := g.Best; b != nil && b != far {
				fmt.Fprintf(w, "at %s = %s it is %.3f ± %.3f already, within %.3f of that\n", f.Lever, LeverValue(b.Value), b.PTarget, b.PTargetMCSE, far.PTarget-b.PTarget)
			}
			for _, b := range d.Binds {
				fmt.Fprintf(w, "what binds: %s\n", b)
			}
			fmt.Fprintf(w, "what would move it: %s\n", d.moves())
		default:
			fmt.Fprintf(w, "at %s it is %.3f ± %.3f, still rising: try --range %s:%s\n", LeverValue(far.Value), far.PTarget, far.PTargetMCSE, rangeValue(far.Value), rangeValue(4*far.Value))
		}
		fmt.Fprintf(w, "(%d runs of %d trials, seed %d, on common random numbers)\n", g.Evals, f.Trials, f.Seed)
		return nil
	}
	fmt.Fprintf(w, "%s = %s is the smallest value reaching P(revenue >= %s) >= %.2f: %.3f ± %.3f (median revenue %s)%s\n",
		f.Lever, LeverValue(g.Value), Thousands(f.Target), d.Confidence, g.At.PTarget, g.At.PTargetMCSE, Thousands(*SummaryOf(g.At.Revenue)["p50"]), now)
	if g.Below != nil {
		fmt.Fprintf(w, "at %s it is %.3f ± %.3f\n", LeverValue(g.Below.Value), g.Below.PTarget, g.Below.PTargetMCSE)
	} else {
		fmt.Fprintf(w, "the range's lowest value reaches it already; fewer may too (a lower --range)\n")
	}
	if g.Extended > 0 {
		fmt.Fprintf(w, "the range asked for did not reach it; the seek looked up to %s\n", LeverValue(g.Extended))
	}
	fmt.Fprintf(w, "(%d runs of %d trials, seed %d, on common random numbers)\n", g.Evals, f.Trials, f.Seed)
	if n := f.Recalibrated; n != "" {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	writeTrust(w, "", f.TrackRecord)
	return nil
}

// binding says what holds P(target) back at far, the farthest value a
// seek tried: the target itself (no trial reaches it), the horizon (a new
// lead takes at least three quarters of it to win) and rep capacity (the
// team at least 90% busy, for a lever other than reps).
func binding(run Run, far *scenarios.Point) (target, horizon, capacity bool) {
	return far.PTarget == 0, far.CycleWeeks >= 0.75*float64(run.Weeks), run.Lever != "reps" && far.Utilization >= 0.9
}

// moves suggests what could lift P(target) where the lever stopped
// helping: a longer horizon, another lever, a lower target.
func (d *Goal) moves() string {
	far := d.goal.Far
	target, horizon, capacity := binding(d.run, far)
	if target {
		return "a lower target"
	}
	var out []string
	if horizon {
		out = append(out, fmt.Sprintf("a longer horizon (--weeks %d)", 13*int(math.Ceil((far.CycleWeeks+float64(d.Weeks)/2)/13))))
	}
	switch {
	case capacity:
		out = append(out, "more reps (--lever reps)")
	case d.Lever == "reps":
		out = append(out, "more leads (--lever leads or budget)")
	default:
		out = append(out, "another lever")
	}
	out = append(out, fmt.Sprintf("or a lower target or confidence (P(revenue >= %s) is %.2f at most here)", Thousands(d.Target), far.PTarget))
	return strings.Join(out, ", ")
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
