package scenarios

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/floats"

	"github.com/funnelsim/funnelsim/model"
)

// Lever is one planning lever a sweep varies or a goal seeks: it makes a
// model with the lever at a value.
type Lever struct {
	Name string
	// Integer levers take whole values (reps).
	Integer bool
	// Unit is what the lever's values count: reps, money a week, a rate.
	Unit model.Unit
	// Rising says more of the lever never lowers revenue, as a goal seek
	// needs (reps, spend, budget; not cold_rate).
	Rising bool
	set    func(m *model.Model, v float64) (*model.Model, []string, error)
	kind   *LeverKind
}

// LeverKind is a kind of lever, a value in LeverKinds: its name (or, for
// one lever a channel, the prefix its names share), what it moves, and
// how it moves a model. A new kind is a file with its value and a line in
// LeverKinds; help, parsing, suggestions and default ranges follow.
type LeverKind struct {
	// Name is the lever's name, or with Prefix the start of its levers'
	// names, the rest naming a channel (spend:webinar).
	Name   string
	Prefix bool
	// Help says what it moves, for the command line's help.
	Help            string
	Unit            model.Unit
	Integer, Rising bool
	// bind makes the lever of the kind named name (the part after the
	// prefix, for a prefix kind) for model m: how it sets a value, or an
	// error where m has nothing for it to move.
	bind func(m *model.Model, name string) (func(m *model.Model, v float64) (*model.Model, []string, error), error)
	// current is the lever's value in m, NaN where m has none.
	current func(m *model.Model, name string) float64
	// defaultRange is the range swept without --range, from today's value.
	defaultRange func(now float64) (lo, hi, step float64)
}

// LeverKinds are the kinds of lever, as the command line lists them.
var LeverKinds = []*LeverKind{repsLever, leadsLever, spendLever, budgetLever, coldRateLever}

// Levers lists the lever names ParseLever knows, with what each moves;
// RisingLevers those a goal seek takes, where more never lowers revenue.
var (
	Levers       = leverHelp(false, true)
	RisingLevers = leverHelp(true, true)
)

// leverHelp lists the kinds' names (only the rising ones, with rising),
// with what each moves where help is set, the last after "or".
func leverHelp(rising, help bool) string {
	var parts []string
	for _, k := range LeverKinds {
		if rising && !k.Rising {
			continue
		}
		name := k.Name
		if k.Prefix {
			name += "CHANNEL"
		}
		if help {
			name += " (" + k.Help + ")"
		}
		parts = append(parts, name)
	}
	if rising && len(parts) > 1 {
		return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
	}
	return strings.Join(parts, ", ")
}

// LeverNames are the names of the levers model m has, for suggestions.
func LeverNames(m *model.Model) []string {
	var out []string
	for _, k := range LeverKinds {
		if !k.Prefix {
			out = append(out, k.Name)
			continue
		}
		for _, c := range m.Channels {
			out = append(out, k.Name+c.Name)
		}
	}
	return out
}

// ParseLever returns the named lever for model m.
func ParseLever(m *model.Model, name string) (*Lever, error) {
	for _, k := range LeverKinds {
		arg, ok := name, name == k.Name
		if k.Prefix {
			arg, ok = strings.CutPrefix(name, k.Name)
		}
		if !ok {
			continue
		}
		set, err := k.bind(m, arg)
		if err != nil {
			return nil, fmt.Errorf("lever %s: %w", name, err)
		}
		return &Lever{Name: name, Integer: k.Integer, Unit: k.Unit, Rising: k.Rising, set: set, kind: k}, nil
	}
	return nil, fmt.Errorf("unknown lever %q; levers are %s", name, Levers)
}

// arg is the part of the lever's name after its kind's prefix.
func (l *Lever) arg() string {
	if l.kind.Prefix {
		return strings.TrimPrefix(l.Name, l.kind.Name)
	}
	return l.Name
}

// Point is a sweep's result at one lever value.
type Point struct {
	Value       float64
	Revenue     model.Summary
	Wins        model.Summary
	PTarget     float64 // NaN without a target
	PTargetMCSE float64
	Warnings    []string
	// CycleWeeks and Utilization are the means over trials of the weeks a
	// new lead takes to win and of the team's utilization, which say what
	// holds a goal seek back (NaN where the result has no such metric).
	CycleWeeks, Utilization float64
}

// Eval runs the model with the lever at v on options o (the same seed at
// every value, so that points differ by the lever, not by luck).
func (l *Lever) Eval(ctx context.Context, m *model.Model, v, target float64, o model.Options) (*Point, error) {
	pts, err := l.Sweep(ctx, m, []float64{v}, target, o)
	if err != nil {
		return nil, err
	}
	return &pts[0], nil
}

// Sweep evaluates the lever at each value, running the models together on
// the same trials (model.RunAll).
func (l *Lever) Sweep(ctx context.Context, m *model.Model, values []float64, target float64, o model.Options) ([]Point, error) {
	rs, warnings, err := l.Run(ctx, m, values, o)
	if err != nil {
		return nil, err
	}
	return Points(values, rs, warnings, target), nil
}

// Run runs m with the lever at each value, together on the same trials
// (model.RunAll), and returns each value's result and the warnings of
// setting it.
func (l *Lever) Run(ctx context.Context, m *model.Model, values []float64, o model.Options) ([]*model.Result, [][]string, error) {
	if len(values) > MaxSweepValues {
		return nil, nil, fmt.Errorf("sweep: %d values, more than %d; sweep parts of the range in several runs", len(values), MaxSweepValues)
	}
	models := make([]*model.Model, len(values))
	warnings := make([][]string, len(values))
	for i, v := range values {
		var err error
		if models[i], warnings[i], err = l.set(m, v); err != nil {
			return nil, nil, err
		}
	}
	o.Combine = false // the combination is a forecast's and compare's: their first model is the unchanged one
	rs, err := model.RunAll(ctx, models, o)
	if err != nil {
		if len(values) == 1 {
			return nil, nil, fmt.Errorf("%s = %g: %w", l.Name, values[0], err)
		}
		return nil, nil, fmt.Errorf("%s: %w", l.Name, err)
	}
	return rs, warnings, nil
}

// Points summarises a sweep's results, one per value (Run's, or a merge's
// of its shards): revenue and wins, and the chance of reaching target
// where it is not NaN.
func Points(values []float64, rs []*model.Result, warnings [][]string, target float64) []Point {
	out := make([]Point, len(values))
	for i, r := range rs {
		rev, _ := r.Metric("revenue")
		wins, _ := r.Metric("wins")
		out[i] = Point{Value: values[i], Revenue: model.Summarize("revenue", rev), Wins: model.Summarize("wins", wins), PTarget: math.NaN(), PTargetMCSE: math.NaN(),
			CycleWeeks: mean(r, "cycle_weeks"), Utilization: mean(r, "utilization")}
		if i < len(warnings) {
			out[i].Warnings = warnings[i]
		}
		if !math.IsNaN(target) { // from the column read above: a stored result's is read once
			out[i].PTarget, out[i].PTargetMCSE = model.AtLeast(rev, target)
		}
	}
	return out
}

// mean is the mean of r's metric over its trials, NaN where r has none.
func mean(r *model.Result, metric string) float64 {
	xs, ok := r.Metric(metric)
	if !ok || len(xs) == 0 {
		return math.NaN()
	}
	return floats.Sum(xs) / float64(len(xs))
}

// Current is the lever's value in model m, NaN where m has none.
func (l *Lever) Current(m *model.Model) float64 { return l.kind.current(m, l.arg()) }

// weeklyLeads is the model's new leads a week, over its channels.
func weeklyLeads(m *model.Model) float64 {
	total := 0.0
	for _, c := range m.Channels {
		total += c.WeeklyLeads
	}
	return total
}

// withLeads is m with every channel's weekly leads multiplied by v/total
// from the first week, so that they sum to v at the current mix; each
// channel keeps its trend, season and shock.
func withLeads(m *model.Model, v, total float64) (*model.Model, []string, error) {
	if !(v >= 0) || math.IsInf(v, 0) {
		return nil, nil, fmt.Errorf("leads: %v is not a number of leads a week >= 0", v)
	}
	out := *m
	out.Changes = slices.Clone(m.Changes)
	for _, c := range m.Channels {
		out.Changes = append(out.Changes, model.Change{Week: 0, Channel: c.Name, Leads: ptr(v / total), Note: fmt.Sprintf("leads = %g a week", v)})
	}
	return &out, nil, nil
}

// DefaultRange is the range the lever sweeps for model m when none is
// given, its kind's from today's value.
func (l *Lever) DefaultRange(m *model.Model) (lo, hi, step float64) {
	return l.kind.defaultRange(l.Current(m))
}

// Values is the grid a sweep runs from lo to hi by step, rounded to whole
// values for an integer lever (a value once), at most MaxSweepValues.
func (l *Lever) Values(lo, hi, step float64) ([]float64, error) {
	if !(lo <= hi) || !(step > 0) && hi > lo {
		return nil, fmt.Errorf("sweep: want lo <= hi and step > 0 (got %g, %g, %g)", lo, hi, step)
	}
	if hi > lo {
		if n := math.Floor((hi-lo)/step*(1+1e-9)) + 1; !(n <= MaxSweepValues) {
			return nil, &GridError{N: n}
		}
	}
	var values []float64
	for k := 0; ; k++ {
		v := lo + float64(k)*step
		if v > hi+step*1e-9 || (hi == lo && k > 0) {
			break
		}
		if l.Integer {
			v = math.Round(v)
			if len(values) > 0 && values[len(values)-1] == v {
				continue // a fractional step rounds to a value already run
			}
		}
		values = append(values, v)
	}
	return values, nil
}

// GridError is Values' error for a grid of more than MaxSweepValues.
type GridError struct {
	N float64 // values in the grid asked for
}

func (e *GridError) Error() string {
	return fmt.Sprintf("sweep: %.3g values; a sweep runs at most %d", e.N, MaxSweepValues)
}

// Limits on the grids a sweep and a goal seek run over: a sweep runs
// every value (MaxSweepValues runs at most); a goal seek bisects its grid
// (MaxSeekSteps steps at most, about 20 runs).
const (
	MaxSweepValues = 1000
	MaxSeekSteps   = 1 << 20
)

// Goal is a goal seek's answer.
type Goal struct {
	// Reached says whether some value in the range reaches the confidence;
	// Value is the smallest such value found (to Step), and At its point.
	Reached bool
	Value   float64
	At      *Point
	// Below is the point just under Value (one step), or, when the range
	// cannot reach the target, the point at the top of the range.
	Below *Point
	Evals int
	// Current is the lever's value in the model (NaN where not known).
	Current float64
	// Extended is the top of the range searched where the range asked
	// for could not reach the confidence and Seek looked beyond it
	// (FarFactor times its top); 0 where it did not look.
	Extended float64
	// Far is the point at Extended, where the seek looked beyond the
	// range and did not reach the confidence there either; Flat says
	// that more of the lever stops helping: P(target) at Far is within
	// FlatBy of the range's top. Best is then the smallest value whose
	// P(target) comes within FlatBy of Far's, the most the lever can do.
	Far  *Point
	Flat bool
	Best *Point
}

// FarFactor is how far beyond a range's top Seek looks when the range
// cannot reach the confidence; FlatBy is the rise in P(target) below which
// the lever is taken to have stopped helping (or twice the difference's
// Monte Carlo error, where that is larger).
const (
	FarFactor = 4
	FlatBy    = 0.01
)

// Seek finds the smallest lever value in [lo, hi] whose P(revenue >=
// target) reaches confidence, by bisection to step (1 for whole-number
// levers), assuming more of the lever never lowers revenue (reps, spend,
// budget). With common random numbers that holds trial by trial up to the
// lever's effect on the random streams, so the answer is the one an
// exhaustive sweep at that step with the same seed would give wherever
// P(target) rises with the lever.
//
// Where the range's top does not reach the confidence, Seek looks at
// FarFactor times the top: if that reaches it, it bisects between the
// two (Extended); if not, it says whether the lever has stopped helping
// (Flat) and from which value (Best).
func (l *Lever) Seek(ctx context.Context, m *model.Model, lo, hi, step, target, confidence float64, o model.Options) (*Goal, error) {
	g, err := l.SeekFar(lo, hi, step, confidence, func(v float64) (*Point, error) { return l.Eval(ctx, m, v, target, o) })
	if err != nil {
		return nil, err
	}
	g.Current = l.Current(m)
	return g, nil
}

// SeekFar is Seek with the point at each value given by eval (a lever's
// Eval, or the points of a merged run of every value SeekValues lists):
// the seek over the range (SeekWith), and where that falls short, the
// look beyond it. Evals counts the values asked for, each once.
func (l *Lever) SeekFar(lo, hi, step, confidence float64, eval func(v float64) (*Point, error)) (*Goal, error) {
	seen := map[float64]*Point{}
	once := func(v float64) (*Point, error) {
		if p, ok := seen[v]; ok {
			return p, nil
		}
		p, err := eval(v)
		if err != nil {
			return nil, err
		}
		seen[v] = p
		return p, nil
	}
	g, err := l.SeekWith(lo, hi, step, confidence, once)
	if err != nil {
		return nil, err
	}
	g.Current = math.NaN()
	defer func() { g.Evals = len(seen) }()
	if g.Reached {
		return g, nil
	}
	lo, hi, step, _ = l.seekRange(lo, hi, step)
	far, step := l.farRange(lo, hi, step)
	farPt, err := once(far)
	if err != nil {
		return nil, err
	}
	if farPt.PTarget >= confidence {
		ext, err := l.SeekWith(hi, far, step, confidence, once)
		if err != nil {
			return nil, err
		}
		ext.Current, ext.Extended = g.Current, far
		g = ext
		return g, nil
	}
	top := g.Below
	g.Extended, g.Far = far, farPt
	flat := math.Max(FlatBy, 2*math.Hypot(top.PTargetMCSE, farPt.PTargetMCSE))
	if g.Flat = farPt.PTarget-top.PTarget <= flat; !g.Flat {
		return g, nil
	}
	best, err := l.SeekWith(lo, far, step, farPt.PTarget-flat, once)
	if err != nil {
		return nil, err
	}
	if best.Reached {
		g.Best = best.At
	} else {
		g.Best = farPt
	}
	return g, nil
}

// farRange is where a seek over [lo, hi] by step looks beyond the range:
// FarFactor times its top, by a step that keeps the grid from lo to there
// within MaxSeekSteps.
func (l *Lever) farRange(lo, hi, step float64) (far, farStep float64) {
	far = FarFactor * math.Max(hi, step)
	if l.Integer {
		far = math.Ceil(far)
	}
	farStep = math.Max(step, (far-lo)/MaxSeekSteps)
	if l.Integer {
		farStep = math.Ceil(farStep)
	}
	return far, farStep
}

// seekRange is the grid a seek bisects: [lo, hi] by step, whole for an
// integer lever.
func (l *Lever) seekRange(lo, hi, step float64) (float64, float64, float64, error) {
	if !l.Rising {
		return 0, 0, 0, fmt.Errorf("goal: more %s can lower revenue; a goal seek needs a lever where it never does (%s)", l.Name, leverHelp(true, false))
	}
	if l.Integer {
		lo, hi, step = math.Ceil(lo), math.Floor(hi), math.Max(1, math.Round(step))
	}
	if !(lo <= hi) || !(step > 0) {
		return 0, 0, 0, fmt.Errorf("goal: empty range %g..%g", lo, hi)
	}
	if n := (hi - lo) / step; !(n <= MaxSeekSteps) {
		return 0, 0, 0, fmt.Errorf("goal: %g..%g by %g is %.3g steps, more than the %d a seek bisects; use a larger step", lo, hi, step, n, MaxSeekSteps)
	}
	return lo, hi, step, nil
}

// SeekRuns is about the most runs Seek makes over [lo, hi] by step, for a
// progress bar: the two ends and a bisection to the step, and where the
// range falls short, the look beyond it (about as many again).
func SeekRuns(lo, hi, step float64) int {
	return 2 * (2 + int(math.Ceil(math.Log2(math.Max(1, (hi-lo)/step)))))
}

// SeekPoints answers a seek over [lo, hi] by step, as Seek does, from
// pts, the points of a run of every value SeekValues lists (a merge of
// its shards, say): an error names a value it asks for that pts lack.
func (l *Lever) SeekPoints(m *model.Model, lo, hi, step, confidence float64, pts []Point) (*Goal, error) {
	at := map[float64]*Point{}
	for i := range pts {
		at[pts[i].Value] = &pts[i]
	}
	g, err := l.SeekFar(lo, hi, step, confidence, func(v float64) (*Point, error) {
		if p, ok := at[v]; ok {
			return p, nil
		}
		return nil, fmt.Errorf("goal: the run has no point at %s = %v", l.Name, v)
	})
	if err != nil {
		return nil, err
	}
	g.Current = l.Current(m)
	return g, nil
}

// SeekWith is Seek with the point at each value the bisection asks for
// given by eval: a lever's Eval, or the points of a merged run of every
// value it could ask for (SeekValues).
func (l *Lever) SeekWith(lo, hi, step, confidence float64, eval func(v float64) (*Point, error)) (*Goal, error) {
	lo, hi, step, err := l.seekRange(lo, hi, step)
	if err != nil {
		return nil, err
	}
	g := &Goal{}
	count := func(v float64) (*Point, error) {
		g.Evals++
		return eval(v)
	}
	top, err := count(hi)
	if err != nil {
		return nil, err
	}
	if top.PTarget < confidence {
		g.Below = top
		return g, nil
	}
	bottom, err := count(lo)
	if err != nil {
		return nil, err
	}
	if bottom.PTarget >= confidence {
		g.Reached, g.Value, g.At = true, lo, bottom
		return g, nil
	}
	// Invariant: P(lo) < confidence <= P(hi); values on the grid lo + k·step.
	below, at := bottom, top
	for hi-lo > step*(1+1e-9) {
		mid := bisect(lo, hi, step)
		pt, err := count(mid)
		if err != nil {
			return nil, err
		}
		if pt.PTarget >= confidence {
			hi, at = mid, pt
		} else {
			lo, below = mid, pt
		}
	}
	g.Reached, g.Value, g.At, g.Below = true, hi, at, below
	return g, nil
}

// bisect is the grid value a seek tries between lo and hi.
func bisect(lo, hi, step float64) float64 {
	k := math.Floor((hi - lo) / step / 2)
	return lo + k*step
}

// SeekValues returns every value a seek over [lo, hi] by step could ask
// for, whatever the target and confidence, computed as the seek computes
// them, its look beyond the range included: so that a run of them all,
// split over many machines, answers any seek over the range as Seek does
// (SeekFar). It refuses more than MaxSweepValues.
func (l *Lever) SeekValues(lo, hi, step float64) ([]float64, error) {
	lo, hi, step, err := l.seekRange(lo, hi, step)
	if err != nil {
		return nil, err
	}
	far, farStep := l.farRange(lo, hi, step)
	var values []float64
	seen := map[float64]bool{}
	for _, r := range [][3]float64{{lo, hi, step}, {hi, far, farStep}, {lo, far, farStep}} {
		vs, err := seekTree(r[0], r[1], r[2])
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if !seen[v] {
				seen[v] = true
				values = append(values, v)
			}
		}
		if len(values) > MaxSweepValues {
			return nil, &GridError{N: float64(len(values))}
		}
	}
	return values, nil
}

// seekTree lists every value a bisection over [lo, hi] by step could ask
// for, its ends first, at most MaxSweepValues.
func seekTree(lo, hi, step float64) ([]float64, error) {
	values := []float64{hi, lo}
	var walk func(lo, hi float64) error
	walk = func(lo, hi float64) error {
		if !(hi-lo > step*(1+1e-9)) {
			return nil
		}
		if len(values) >= MaxSweepValues {
			return &GridError{N: math.Floor((hi-lo)/step) + float64(len(values))}
		}
		mid := bisect(lo, hi, step)
		values = append(values, mid)
		if err := walk(lo, mid); err != nil {
			return err
		}
		return walk(mid, hi)
	}
	if lo == hi {
		return values[:1], nil
	}
	if err := walk(lo, hi); err != nil {
		return nil, err
	}
	return values, nil
}
