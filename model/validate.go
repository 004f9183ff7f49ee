package model

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/funnelsim/funnelsim/internal/nearest"
)

// maxAgeWeeks bounds band starts and pipeline ages: ten years in stage.
const maxAgeWeeks = 520

// Validate reports every impossible value in m, each error naming its key
// path in the model file (for example stages[sql].exits[webinar].bands[2].lost).
func (m *Model) Validate() error {
	v := &validator{}
	v.check(m.Format == FormatVersion, "format", "is %d, want %d", m.Format, FormatVersion)
	v.check(m.HorizonWeeks > 0 && m.HorizonWeeks <= maxAgeWeeks, "horizon_weeks", "must be in 1..%d (got %d)", maxAgeWeeks, m.HorizonWeeks)
	v.bands(m.Bands)
	stages := v.names("stages", len(m.Stages), func(i int) string { return m.Stages[i].Name })
	channels := v.names("channels", len(m.Channels), func(i int) string { return m.Channels[i].Name })
	v.check(len(m.Stages) >= 1, "stages", "must list at least one stage")
	v.check(len(m.Channels) >= 1, "channels", "must list at least one channel")
	v.stageRef("sales_start", m.SalesStart, stages)
	v.stageRef("sql_stage", m.SQLStage, stages)
	v.stageRef("opportunity_stage", m.OpportunityStage, stages)
	v.stageOrder(m, stages)
	for i := range m.Stages {
		v.stage(m, i, stages, channels)
	}
	for i, c := range m.Channels {
		v.channel(fmt.Sprintf("channels[%s]", c.Name), i, c)
	}
	v.nonNeg("arrival_shock_cv", m.ArrivalShockCV)
	v.check(m.ArrivalShockDF >= 0 && m.ArrivalShockDF < 1e6, "arrival_shock_df", "must be in [0, 1e6) (got %v)", m.ArrivalShockDF)
	if m.ArrivalSeason != nil {
		m.ArrivalSeason.validate(v)
	}
	for i, c := range m.Changes {
		v.change(fmt.Sprintf("changes[%d]", i), c, stages, channels)
	}
	v.logNormal("deal_size", m.DealSize.LogNormal)
	v.amounts("deal_size.amounts", m.DealSize.Amounts)
	for i, d := range m.DealSize.Channels {
		p := fmt.Sprintf("deal_size.channels[%d]", i)
		v.ref(p+".channel", d.Channel, channels)
		v.logNormal(p, d.LogNormal)
		v.amounts(p+".amounts", d.Amounts)
		v.check(len(d.Amounts) == 0 || len(m.DealSize.Amounts) > 0, p+".amounts", "need the overall deal_size.amounts, which the channel's lean on")
	}
	v.reps(m.Reps)
	v.pipeline(m, stages, channels)
	v.check(m.FiscalYearStart >= 0 && m.FiscalYearStart <= 12, "fiscal_year_start", "must be a month 1..12, or 0 for January (got %d)", m.FiscalYearStart)
	if m.Booked != nil {
		v.booked(m, channels)
	}
	v.segments(m)
	if c := m.QuarterCycle; c != nil {
		for k := range 3 {
			v.positive(fmt.Sprintf("quarter_cycle.advance[%d]", k), c.Advance[k])
			v.positive(fmt.Sprintf("quarter_cycle.loss[%d]", k), c.Loss[k])
		}
	}
	if t := m.TrackRecord; t != nil {
		if err := t.Validate(); err != nil {
			v.errs = append(v.errs, err)
		}
	}
	return v.err()
}

type validator struct{ errs []error }

func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

func (v *validator) check(ok bool, path, format string, args ...any) bool {
	if !ok {
		v.add(path, format, args...)
	}
	return ok
}

func (v *validator) err() error { return errors.Join(v.errs...) }

func (v *validator) nonNeg(path string, x float64) {
	v.check(x >= 0 && !math.IsInf(x, 1), path, "must be a finite number >= 0 (got %v)", x)
}

func (v *validator) positive(path string, x float64) {
	v.check(x > 0 && !math.IsInf(x, 1), path, "must be a finite number > 0 (got %v)", x)
}

func (v *validator) bands(b []int) {
	if len(b) == 0 || b[0] != 0 {
		v.add("bands", "must start at week 0")
		return
	}
	for i := 1; i < len(b); i++ {
		v.check(b[i] > b[i-1] && b[i] <= maxAgeWeeks, fmt.Sprintf("bands[%d]", i), "must increase and be at most %d (got %d after %d)", maxAgeWeeks, b[i], b[i-1])
	}
}

// names checks that names are present and unique, and returns their index.
func (v *validator) names(path string, n int, name func(int) string) map[string]int {
	idx := make(map[string]int, n)
	for i := range n {
		s := name(i)
		switch _, dup := idx[s]; {
		case s == "":
			v.add(fmt.Sprintf("%s[%d].name", path, i), "is empty")
		case dup:
			v.add(fmt.Sprintf("%s[%d].name", path, i), "%q is listed twice", s)
		default:
			idx[s] = i
		}
	}
	return idx
}

func (v *validator) ref(path, name string, known map[string]int) {
	if _, ok := known[name]; !ok {
		v.add(path, "unknown name %q%s", name, nearest.DidYouMean(name, slices.Sorted(maps.Keys(known))))
	}
}

func (v *validator) stageRef(path, name string, stages map[string]int) {
	if name == "" {
		v.add(path, "is missing")
		return
	}
	v.ref(path, name, stages)
}

// stageOrder checks that the stages' roles come in the funnel's order:
// sales start at or before the SQL stage, and the SQL stage at or before
// the opportunity stage (a one-stage funnel has all three on its one).
// Out of order, the costs per SQL and the opportunity metrics count the
// wrong entries with no other sign of it.
func (v *validator) stageOrder(m *Model, stages map[string]int) {
	start, okStart := stages[m.SalesStart]
	sql, okSQL := stages[m.SQLStage]
	opp, okOpp := stages[m.OpportunityStage]
	if okStart && okSQL {
		v.check(start <= sql, "sql_stage", "%q comes before sales_start %q: the SQL stage is a sales stage, at or after the hand-off", m.SQLStage, m.SalesStart)
	}
	if okSQL && okOpp {
		v.check(sql <= opp, "opportunity_stage", "%q comes before sql_stage %q: opportunities are made of SQLs", m.OpportunityStage, m.SQLStage)
	}
}

func (v *validator) stage(m *Model, i int, stages, channels map[string]int) {
	s := m.Stages[i]
	p := fmt.Sprintf("stages[%s]", s.Name)
	v.nonNeg(p+".pool_weeks", s.PoolWeeks)
	for j, sk := range s.Skips {
		q := fmt.Sprintf("%s.skips[%d]", p, j)
		if k, ok := stages[sk.To]; !ok {
			v.add(q+".to", "unknown stage %q%s", sk.To, nearest.DidYouMean(sk.To, slices.Sorted(maps.Keys(stages))))
		} else {
			v.check(k > i+1, q+".to", "%q is not a stage after the next one", sk.To)
		}
		v.nonNeg(q+".count", sk.Count)
	}
	seen := map[string]bool{}
	exposure := 0.0
	for _, e := range s.Exits {
		q := fmt.Sprintf("%s.exits[%s]", p, e.Channel)
		v.ref(q+".channel", e.Channel, channels)
		v.check(!seen[e.Channel], q, "channel listed twice")
		seen[e.Channel] = true
		if len(e.Bands) != len(m.Bands) {
			v.add(q+".bands", "has %d bands, want %d (one per entry of bands)", len(e.Bands), len(m.Bands))
			continue
		}
		for k, b := range e.Bands {
			r := fmt.Sprintf("%s.bands[%d]", q, k)
			v.check(b.Weeks == m.Bands[k], r+".weeks", "is %d, want %d", b.Weeks, m.Bands[k])
			v.nonNeg(r+".exposure", b.Exposure)
			v.nonNeg(r+".advance", b.Advance)
			v.nonNeg(r+".lost", b.Lost)
			exposure += b.Exposure
		}
	}
	for c := range m.Channels {
		if !seen[m.Channels[c].Name] {
			v.add(p+".exits", "has no entry for channel %q", m.Channels[c].Name)
		}
	}
	v.check(exposure > 0, p+".exits", "has no exposure in any channel")
}

func (v *validator) channel(p string, _ int, c Channel) {
	v.nonNeg(p+".weekly_leads", c.WeeklyLeads)
	v.check(c.Dispersion > 0, p+".dispersion", "must be > 0, or .inf for Poisson arrivals (got %v)", c.Dispersion)
	v.positive(p+".history_weeks", c.HistoryWeeks)
	v.check(!math.IsNaN(c.Trend) && math.Abs(c.Trend) <= 0.2, p+".trend", "must be a log growth per week in [-0.2, 0.2] (got %v)", c.Trend)
	v.check(c.TrendSE >= 0 && c.TrendSE <= 0.2, p+".trend_se", "must be in [0, 0.2] (got %v)", c.TrendSE)
	v.check(c.Damping >= 0 && c.Damping <= 1, p+".damping", "must be in (0, 1], or 0 for none (got %v)", c.Damping)
	v.check(c.WeeklySpend >= 0 && c.WeeklySpend*maxAgeWeeks <= maxMoney, p+".weekly_spend", "must be a number >= 0 that keeps %d weeks' spend within %g (got %v)", maxAgeWeeks, maxMoney, c.WeeklySpend)
	if r := c.Response; r != nil {
		v.nonNeg(p+".response.base", r.Base)
		v.nonNeg(p+".response.max", r.Max)
		v.positive(p+".response.half_spend", r.HalfSpend)
		v.check(r.Source == "fitted" || r.Source == "default" || r.Source == "given", p+".response.source", "must be fitted, default or given (got %q)", r.Source)
		v.check(len(r.Range) == 0 || len(r.Range) == 2 && r.Range[0] <= r.Range[1], p+".response.range", "must be empty or [low, high]")
		v.check(len(r.Cov) == 0 || len(r.Cov) == 3 && len(r.Cov[0]) == 3 && len(r.Cov[1]) == 3 && len(r.Cov[2]) == 3, p+".response.cov", "must be empty or 3×3")
	}
}

func (v *validator) logNormal(p string, d LogNormal) {
	v.check(d.Deals >= 1 && !math.IsInf(d.Deals, 1), p+".deals", "must be at least 1 (got %v)", d.Deals)
	v.check(!math.IsNaN(d.LogMean) && math.Abs(d.LogMean) < 50, p+".log_mean", "must be a finite log amount (got %v)", d.LogMean)
	v.check(d.LogSD >= 0 && d.LogSD < 10, p+".log_sd", "must be in [0, 10) (got %v)", d.LogSD)
}

// amounts checks observed won amounts: each a positive, finite amount.
func (v *validator) amounts(p string, a []float64) {
	for i, x := range a {
		if !(x > 0 && x < 1e15) {
			v.add(fmt.Sprintf("%s[%d]", p, i), "must be a positive amount below 1e15 (got %v)", x)
			return
		}
	}
}

// MaxReps bounds a team, its hires and departures: far above any sales
// team, and far below where counts overflow.
const MaxReps = 1_000_000

func (v *validator) reps(r Reps) {
	v.check(r.Count >= 0 && r.Count <= MaxReps, "reps.count", "must be in 0..%d (got %d)", MaxReps, r.Count)
	v.nonNeg("reps.weekly_capacity", r.WeeklyCapacity)
	v.nonNeg("reps.close_capacity", r.CloseCapacity)
	v.check(r.RampWeeks >= 0 && r.RampWeeks <= maxAgeWeeks, "reps.ramp_weeks", "must be in 0..%d (got %d)", maxAgeWeeks, r.RampWeeks)
	v.check(r.ColdRate >= 0 && r.ColdRate <= 1, "reps.cold_rate", "must be a share in [0, 1] (got %v)", r.ColdRate)
	seen := map[string]bool{}
	for i, s := range r.Shares {
		p := fmt.Sprintf("reps.shares[%d]", i)
		v.check(s.Rep != "" && !seen[s.Rep], p+".rep", "must be present and unique (got %q)", s.Rep)
		seen[s.Rep] = true
		v.check(s.Share >= 0 && s.Share <= 1, p+".share", "must be a share in [0, 1] (got %v)", s.Share)
	}
	team := r.Count
	for i, h := range r.Hires {
		p := fmt.Sprintf("reps.hires[%d]", i)
		v.check(h.Week >= 0 && h.Week <= maxAgeWeeks, p+".week", "must be in 0..%d (got %d)", maxAgeWeeks, h.Week)
		if !v.check(h.Count >= -MaxReps && h.Count <= MaxReps, p+".count", "must be in -%d..%d (got %d)", MaxReps, MaxReps, h.Count) {
			return
		}
		team += h.Count
		v.check(team >= 0 && team <= MaxReps, p+".count", "leaves a team of %d reps", team)
	}
}

func (v *validator) segments(m *Model) {
	seen := map[string]bool{"rep": true, "channel": true}
	for i, s := range m.Segments {
		p := fmt.Sprintf("segments[%d]", i)
		v.check(s.Name != "" && !seen[s.Name], p+".name", "must be present, unique and neither rep nor channel (got %q)", s.Name)
		seen[s.Name] = true
		values := map[string]bool{}
		for j, x := range s.Shares {
			q := fmt.Sprintf("%s.shares[%d]", p, j)
			v.check(x.Value != "" && !values[x.Value], q+".value", "must be present and unique (got %q)", x.Value)
			values[x.Value] = true
			v.check(x.Share >= 0 && x.Share <= 1, q+".share", "must be a share in [0, 1] (got %v)", x.Share)
		}
	}
}

func (v *validator) booked(m *Model, channels map[string]int) {
	b := m.Booked
	v.check(!b.From.After(m.AsOf.Time), "booked.from", "%s is after the as-of date %s", b.From, m.AsOf)
	last := b.From.AddDate(0, 0, -1)
	for i, d := range b.Days {
		p := fmt.Sprintf("booked.days[%d]", i)
		v.check(d.Date.After(last) && d.Date.Before(m.AsOf.Time), p+".date", "%s must come after the day before it and before the as-of date %s", d.Date, m.AsOf)
		last = d.Date.Time
		v.check(len(d.Entries) == len(m.Stages), p+".entries", "has %d numbers for %d stages", len(d.Entries), len(m.Stages))
		for _, n := range d.Entries {
			v.check(n >= 0, p+".entries", "must be counts >= 0 (got %d)", n)
		}
		for j, w := range d.Won {
			v.ref(fmt.Sprintf("%s.won[%d].channel", p, j), w.Channel, channels)
			v.nonNeg(fmt.Sprintf("%s.won[%d].amount", p, j), w.Amount)
		}
	}
}

func (v *validator) pipeline(m *Model, stages, channels map[string]int) {
	for i, c := range m.Pipeline.Open {
		p := fmt.Sprintf("pipeline.open[%d]", i)
		v.ref(p+".stage", c.Stage, stages)
		v.ref(p+".channel", c.Channel, channels)
		v.check(c.Weeks >= 0 && c.Weeks <= maxAgeWeeks, p+".weeks", "must be in 0..%d (got %d)", maxAgeWeeks, c.Weeks)
		v.check(c.Count >= 0, p+".count", "must be >= 0 (got %d)", c.Count)
	}
	ids := map[string]bool{}
	for i, d := range m.Pipeline.Deals {
		p := fmt.Sprintf("pipeline.deals[%d]", i)
		v.check(d.ID != "" && !ids[d.ID], p+".id", "must be present and unique (got %q)", d.ID)
		ids[d.ID] = true
		v.ref(p+".stage", d.Stage, stages)
		v.ref(p+".channel", d.Channel, channels)
		v.check(d.Weeks >= 0 && d.Weeks <= maxAgeWeeks, p+".weeks", "must be in 0..%d (got %d)", maxAgeWeeks, d.Weeks)
		v.nonNeg(p+".amount", d.Amount)
	}
	for i, q := range m.Pipeline.Queue {
		p := fmt.Sprintf("pipeline.queue[%d]", i)
		v.ref(p+".channel", q.Channel, channels)
		v.check(q.Count >= 0, p+".count", "must be >= 0 (got %d)", q.Count)
	}
}

func (v *validator) change(p string, c Change, stages, channels map[string]int) {
	v.check(c.Week >= 0 && c.Week <= maxAgeWeeks, p+".week", "must be in 0..%d (got %d)", maxAgeWeeks, c.Week)
	if c.Channel != "" {
		v.ref(p+".channel", c.Channel, channels)
	}
	if c.Stage != "" {
		v.ref(p+".stage", c.Stage, stages)
	}
	for _, f := range []struct {
		name string
		x    *float64
	}{{"leads", c.Leads}, {"conversion", c.Conversion}, {"deal_size", c.DealSize}} {
		if f.x != nil {
			v.check(*f.x >= 0 && !math.IsInf(*f.x, 0), p+"."+f.name, "must be a factor >= 0 (got %v)", *f.x)
		}
	}
	if c.DealSize != nil {
		v.check(*c.DealSize > 0, p+".deal_size", "must be a factor > 0 (got %v)", *c.DealSize)
	}
	if c.Spend != nil {
		v.check(*c.Spend >= 0 && !math.IsInf(*c.Spend, 0), p+".spend", "must be >= 0 (got %v)", *c.Spend)
		v.check(c.Channel != "", p+".spend", "needs a channel")
	}
	if c.ColdRate != nil {
		v.check(*c.ColdRate >= 0 && *c.ColdRate <= 1, p+".cold_rate", "must be a share in [0, 1] (got %v)", *c.ColdRate)
	}
}
