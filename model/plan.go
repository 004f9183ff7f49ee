package model

import (
	"fmt"
	"math"
	"strings"

	"go.yaml.in/yaml/v3"
	"gonum.org/v1/gonum/stat/distuv"
)

// PlanVersion is the planner's file format this package reads.
const PlanVersion = 1

// Plan is a planner's funnel: the numbers a team without CRM history would
// put in a spreadsheet (leads a week and their cost per channel, each
// stage's conversion and median weeks, deal sizes, reps), each a Guess
// that says how sure the planner is of it. Model turns it into a Model
// whose parameter uncertainty is the planner's, so that every command
// that takes a calibrated model takes a plan in its place. A plan file is
// told from a model file by its top key, plan.
type Plan struct {
	Plan         int    `yaml:"plan"` // the format, PlanVersion
	Name         string `yaml:"name"`
	Currency     string `yaml:"currency"`
	Start        Date   `yaml:"start"` // the first week planned
	HorizonWeeks int    `yaml:"horizon_weeks"`

	Channels []PlanChannel `yaml:"channels"`
	Stages   []PlanStage   `yaml:"stages"`

	// SalesStart is the stage at which reps take leads over (default: the
	// second stage); SQLStage and OpportunityStage name the stages the
	// SQL and opportunity metrics count (default: the sales start and the
	// last stage).
	SalesStart       string `yaml:"sales_start,omitempty"`
	SQLStage         string `yaml:"sql_stage,omitempty"`
	OpportunityStage string `yaml:"opportunity_stage,omitempty"`

	DealSize PlanDealSize `yaml:"deal_size"`
	Reps     *PlanReps    `yaml:"reps,omitempty"` // none: no limit on sales capacity
}

// PlanChannel is one source of leads.
type PlanChannel struct {
	Name        string  `yaml:"name"`
	WeeklyLeads Guess   `yaml:"weekly_leads"`
	CostPerLead float64 `yaml:"cost_per_lead,omitempty"`
}

// PlanStage is one stage of the funnel, in order; the last stage's
// conversion is its win rate.
type PlanStage struct {
	Name        string  `yaml:"name"`
	Metric      string  `yaml:"metric,omitempty"`
	Conversion  Guess   `yaml:"conversion"`   // the share of leads in the stage that go on
	MedianWeeks float64 `yaml:"median_weeks"` // the median stay, for those who go on and those who drop
	Open        int     `yaml:"open,omitempty"`
}

// PlanDealSize is the size of won deals: the typical (median) deal, and
// the range that 8 in 10 deals fall in.
type PlanDealSize struct {
	Median Guess      `yaml:"median"`
	Range  [2]float64 `yaml:"range,flow"`
}

// PlanReps is the sales team.
type PlanReps struct {
	Count          int     `yaml:"count"`
	WeeklyCapacity float64 `yaml:"weekly_capacity"` // new leads a rep takes on a week
	RampWeeks      int     `yaml:"ramp_weeks,omitempty"`
	ColdRate       float64 `yaml:"cold_rate,omitempty"`
	Hires          []Hire  `yaml:"hires,omitempty"`
}

// Guess is a planner's number and how sure of it the planner is: the
// range [Low, High] the planner is 80% sure holds the true value. In a
// file it is a number, taken as the middle of a range a factor of
// GuessFactor either side of it, or a list [low, high].
type Guess struct {
	Low, High float64
	// Value is the lone number given, if one was (lone true).
	Value float64
	lone  bool
}

// odds is the guess of a probability: a lone number's range is a factor
// of GuessFactor either side of it on the odds scale, so that it stays
// inside (0, 1).
func (g Guess) odds() Guess {
	if !g.lone || g.Value <= 0 || g.Value >= 1 {
		return g
	}
	o := g.Value / (1 - g.Value)
	lo, hi := o/GuessFactor, o*GuessFactor
	g.Low, g.High = lo/(1+lo), hi/(1+hi)
	return g
}

// String is the guess as written: the lone number, or the range.
func (g Guess) String() string {
	if g.lone {
		return fmt.Sprint(g.Value)
	}
	return fmt.Sprintf("[%g, %g]", g.Low, g.High)
}

// GuessFactor is how far either side of a lone number its 80% range runs.
const GuessFactor = 1.25

// z80 is the standard normal's 90% point: an 80% range spans ±z80 sd.
const z80 = 1.2815515655446004

// UnmarshalYAML reads a number or a list of two.
func (g *Guess) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var v float64
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
		}
		*g = Guess{Low: v / GuessFactor, High: v * GuessFactor, Value: v, lone: true}
		if v <= 0 {
			g.Low, g.High = v, v
		}
		return nil
	case yaml.SequenceNode:
		var v []float64
		if err := n.Decode(&v); err != nil || len(v) != 2 {
			return fmt.Errorf("line %d: want a number or a range [low, high]", n.Line)
		}
		*g = Guess{Low: v[0], High: v[1]}
		return nil
	}
	return fmt.Errorf("line %d: want a number or a range [low, high]", n.Line)
}

// MarshalYAML writes the lone number or the range.
func (g Guess) MarshalYAML() (any, error) {
	if g.lone {
		return g.Value, nil
	}
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range []float64{g.Low, g.High} {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: fmt.Sprint(v)})
	}
	return n, nil
}

// logRange returns the middle of a positive guess on the log scale and
// the standard deviation of its logarithm.
func (g Guess) logRange() (mid, sd float64) {
	return math.Sqrt(g.Low * g.High), math.Log(g.High/g.Low) / (2 * z80)
}

// Model turns the plan into a model. Each number's uncertainty becomes the
// model's: a channel's weekly leads have the Gamma level whose 80% range
// is the planner's; a stage's conversion is the Beta, on the log-odds
// scale, whose 80% range is the planner's, and its stays are exponential
// with the median given, as sure as the conversion; the deal size is
// lognormal with the median's range and the deals' spread given. Channels
// share a stage's conversion, each drawing its own. Errors name the key
// path.
func (p *Plan) Model() (*Model, error) {
	v := &validator{}
	v.check(p.Plan == PlanVersion, "plan", "is %d, want %d", p.Plan, PlanVersion)
	v.check(p.HorizonWeeks > 0 && p.HorizonWeeks <= maxAgeWeeks, "horizon_weeks", "must be in 1..%d (got %d)", maxAgeWeeks, p.HorizonWeeks)
	v.check(!p.Start.IsZero(), "start", "is missing (the first week planned, YYYY-MM-DD)")
	v.check(len(p.Channels) > 0, "channels", "must list at least one channel")
	v.check(len(p.Stages) > 0, "stages", "must list at least one stage")
	m := &Model{
		Format: FormatVersion, Name: p.Name, Currency: p.Currency, AsOf: p.Start,
		HorizonWeeks: p.HorizonWeeks, Bands: []int{0},
		SalesStart: p.SalesStart, SQLStage: p.SQLStage, OpportunityStage: p.OpportunityStage,
		Provenance: Provenance{Source: "plan"},
	}
	var total float64
	for i, c := range p.Channels {
		path := fmt.Sprintf("channels[%d]", i)
		ch, ok := c.channel(v, path)
		if ok {
			total += ch.WeeklyLeads
		}
		m.Channels = append(m.Channels, ch)
	}
	for i, s := range p.Stages {
		m.Stages = append(m.Stages, s.stage(v, fmt.Sprintf("stages[%d]", i), p.Channels))
	}
	if n := len(p.Stages); n > 0 {
		if m.SalesStart == "" {
			m.SalesStart = p.Stages[min(1, n-1)].Name
		}
		if m.SQLStage == "" {
			m.SQLStage = m.SalesStart
		}
		if m.OpportunityStage == "" {
			m.OpportunityStage = p.Stages[n-1].Name
		}
	}
	m.DealSize.LogNormal = p.DealSize.logNormal(v)
	if r := p.Reps; r != nil {
		m.Reps = Reps{Count: r.Count, WeeklyCapacity: r.WeeklyCapacity, RampWeeks: r.RampWeeks, ColdRate: r.ColdRate, Hires: r.Hires}
		v.positive("reps.weekly_capacity", r.WeeklyCapacity)
	} else {
		m.Reps.Unlimited = true
	}
	if total > 0 {
		for _, s := range p.Stages {
			m.Pipeline.Open = append(m.Pipeline.Open, split(s.Name, s.Open, m.Channels, total)...)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// guess checks that g is a range low ≤ high inside (lo, hi), and reports
// whether it is.
func (v *validator) guess(path string, g Guess, lo, hi float64) bool {
	return v.check(g.Low > lo && g.High < hi && g.Low <= g.High && !math.IsNaN(g.Low) && !math.IsNaN(g.High),
		path, "must be a number or a range [low, high], low <= high, in (%g, %g) (got %v)", lo, hi, g)
}

func (c PlanChannel) channel(v *validator, path string) (Channel, bool) {
	v.check(c.Name != "", path+".name", "is missing")
	v.nonNeg(path+".cost_per_lead", c.CostPerLead)
	ch := Channel{Name: c.Name, Dispersion: math.Inf(1), HistoryWeeks: 1}
	if !v.guess(path+".weekly_leads", c.WeeklyLeads, 0, math.Inf(1)) {
		return ch, false
	}
	k, mean := gammaRange(c.WeeklyLeads.Low, c.WeeklyLeads.High)
	ch.WeeklyLeads = mean
	ch.WeeklySpend = mean * c.CostPerLead
	if !v.check(c.WeeklyLeads.High*c.CostPerLead*maxAgeWeeks <= maxMoney, path+".cost_per_lead",
		"%g a lead at up to %g leads a week is more than %g spent over %d weeks: costs and totals would not stay finite", c.CostPerLead, c.WeeklyLeads.High, maxMoney, maxAgeWeeks) {
		return ch, false
	}
	// The level's Gamma has shape k and mean μ, and HistoryWeeks·μ = k for
	// Poisson weeks (model.Channel). A sure number is a long history.
	ch.HistoryWeeks = math.Max(k/mean, 1e-6)
	return ch, true
}

func (s PlanStage) stage(v *validator, path string, channels []PlanChannel) Stage {
	st := Stage{Name: s.Name, Metric: s.Metric}
	v.check(s.Name != "", path+".name", "is missing")
	v.check(s.Open >= 0, path+".open", "must be >= 0 (got %d)", s.Open)
	okW := v.check(s.MedianWeeks > 0 && s.MedianWeeks <= maxAgeWeeks, path+".median_weeks", "must be in (0, %d] (got %v)", maxAgeWeeks, s.MedianWeeks)
	conv := s.Conversion.odds()
	if !v.guess(path+".conversion", conv, 0, 1) || !okW {
		return st
	}
	// Log-odds: the middle and sd of the planner's range; the Beta with
	// that mean and the delta method's variance has n = 1/(p(1−p)sd²) − 1
	// leads' worth of evidence.
	lo, hi := logit(conv.Low), logit(conv.High)
	p := 1 / (1 + math.Exp(-(lo+hi)/2))
	sd := (hi - lo) / (2 * z80)
	n := 1e6
	if sd > 0 {
		n = math.Min(1e6, math.Max(1/(p*(1-p)*sd*sd)-1, 2))
	}
	// Exponential stays: the weekly exit hazard with that median.
	h := math.Ln2 / s.MedianWeeks
	band := Band{Weeks: 0, Exposure: n / h, Advance: p * n, Lost: (1 - p) * n}
	for _, c := range channels {
		st.Exits = append(st.Exits, ChannelExits{Channel: c.Name, Bands: []Band{band}})
	}
	return st
}

// gammaRange returns the shape and mean of the Gamma whose 10% and 90%
// points are lo and hi: the shape from their ratio (by bisection on the
// log shape, the ratio falling as the shape grows), the mean from where
// they lie. Equal points give a shape of 1e6.
func gammaRange(lo, hi float64) (k, mean float64) {
	ratio := func(k float64) float64 {
		g := distuv.Gamma{Alpha: k, Beta: 1}
		return g.Quantile(0.9) / g.Quantile(0.1)
	}
	if hi <= lo || ratio(1e6) >= hi/lo {
		return 1e6, math.Sqrt(lo * hi)
	}
	a, b := math.Log(1e-2), math.Log(1e6)
	for range 60 {
		m := (a + b) / 2
		if ratio(math.Exp(m)) > hi/lo {
			a = m
		} else {
			b = m
		}
	}
	k = math.Exp((a + b) / 2)
	g := distuv.Gamma{Alpha: k, Beta: 1}
	return k, k * lo / g.Quantile(0.1)
}

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// maxMoney bounds the money a planner's file can make a run count, in
// any currency: spend and revenue summed over trials and weeks must stay
// finite (a cost per lead of 1e306 printed as "-").
const maxMoney = 1e15

func (d PlanDealSize) logNormal(v *validator) LogNormal {
	okM := v.guess("deal_size.median", d.Median, 0, math.Inf(1))
	okR := v.check(d.Range[0] > 0 && d.Range[0] < d.Range[1] && !math.IsInf(d.Range[1], 0), "deal_size.range",
		"must be [low, high], 0 < low < high: the sizes 8 in 10 deals fall between (got [%g, %g])", d.Range[0], d.Range[1])
	if !okM || !okR {
		return LogNormal{}
	}
	if !v.check(d.Range[0] < d.Median.Low && d.Median.High < d.Range[1], "deal_size.range",
		"[%g, %g] must hold the median %v: it is where 8 in 10 deals fall, the median among them", d.Range[0], d.Range[1], d.Median) {
		return LogNormal{}
	}
	mid, sdMid := d.Median.logRange()
	sd := math.Log(d.Range[1]/d.Range[0]) / (2 * z80)
	// The normal-inverse-gamma's mean has sd LogSD/√Deals.
	deals := 1e6
	if sdMid > 0 {
		deals = math.Min(1e6, math.Max(sd*sd/(sdMid*sdMid), 2))
	}
	return LogNormal{Deals: deals, LogMean: math.Log(mid), LogSD: sd}
}

// split shares count leads open in stage among the channels by their
// weekly leads (largest remainders), as cohorts that entered this week.
func split(stage string, count int, channels []Channel, total float64) []Cohort {
	if count <= 0 {
		return nil
	}
	type share struct {
		c    int
		n    int
		frac float64
	}
	shares := make([]share, len(channels))
	left := count
	for c, ch := range channels {
		x := float64(count) * ch.WeeklyLeads / total
		shares[c] = share{c, int(x), x - math.Floor(x)}
		left -= int(x)
	}
	for ; left > 0; left-- {
		best := 0
		for i, s := range shares {
			if s.frac > shares[best].frac {
				best = i
			}
		}
		shares[best].n++
		shares[best].frac = -1
	}
	var out []Cohort
	for _, s := range shares {
		if s.n > 0 {
			out = append(out, Cohort{Stage: stage, Channel: channels[s.c].Name, Count: s.n})
		}
	}
	return out
}

// isPlan reports whether a YAML document's top mapping has the key plan.
func isPlan(doc *yaml.Node) bool {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if strings.TrimSpace(top.Content[i].Value) == "plan" {
			return true
		}
	}
	return false
}
