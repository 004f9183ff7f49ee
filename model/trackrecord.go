package model

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// TrackRecord is how the model's own forecasts would have done on the
// history it was calibrated from: calibrate's self-check backtests it at
// past origins, with the same options, and scores each target's forecast
// against what then happened and against the baselines an analyst would
// otherwise use (backtest.SelfCheck). Where enough past quarters are
// scored, it also holds, per target, the combination of the model and a
// baseline that forecast best on them, with that baseline's forecast from
// the as-of date, so that a forecast can give combined totals
// (Options.Combine).
type TrackRecord struct {
	// HorizonWeeks is the weeks each past forecast covered.
	HorizonWeeks int `yaml:"horizon_weeks"`
	// Origins are the past as-of dates backtested.
	Origins []Date `yaml:"origins,omitempty"`
	// Trials is the trials of each past forecast.
	Trials int `yaml:"trials,omitempty"`
	// Skipped says why there is no record (a history too short, say);
	// empty where there is one.
	Skipped string              `yaml:"skipped,omitempty"`
	Targets []TargetTrackRecord `yaml:"targets,omitempty"`
}

// TargetTrackRecord is one target's record: how many past forecasts were
// scored, how many of them the model's 80% interval covered, and the
// model's CRPS skill, 1 − CRPS(model)/CRPS(baseline), against each
// baseline that forecast it.
type TargetTrackRecord struct {
	Target    string             `yaml:"target"`
	Scored    int                `yaml:"scored"`
	Covered80 int                `yaml:"covered_80"`
	Skill     map[string]float64 `yaml:"skill,omitempty"`
	// Strongest is the baseline the model's skill is lowest against.
	Strongest string `yaml:"strongest,omitempty"`
	// Combination, where set, is how this target's forecast is combined.
	Combination *Combination `yaml:"combination,omitempty"`
}

// Combination is a target's forecast as a quantile average of the model
// and one baseline: its q-quantile is (1 − Weight) times the model's plus
// Weight times the baseline's. The weight was learned on the past
// forecasts, shrunk toward the model by how few quarters they span.
type Combination struct {
	Baseline string  `yaml:"baseline"`
	Weight   float64 `yaml:"weight"`
	// Quantiles are the baseline's forecast over the horizon from the
	// as-of date, at the levels (j + 0.5)/len(Quantiles).
	Quantiles []float64 `yaml:"quantiles"`
}

// MaxTrackQuantiles bounds a combination's quantiles.
const MaxTrackQuantiles = 1000

// Validate checks a track record read from a file.
func (t *TrackRecord) Validate() error {
	if t.Skipped != "" {
		return nil
	}
	if t.HorizonWeeks < 1 || t.HorizonWeeks > MaxWeeks {
		return fmt.Errorf("track_record: horizon_weeks %d: must be in 1..%d", t.HorizonWeeks, MaxWeeks)
	}
	for _, r := range t.Targets {
		switch {
		case r.Target == "":
			return errors.New("track_record: a target without a name")
		case r.Scored < 0 || r.Covered80 < 0 || r.Covered80 > r.Scored:
			return fmt.Errorf("track_record: target %s: covered_80 %d of scored %d", r.Target, r.Covered80, r.Scored)
		}
		for b, s := range r.Skill {
			if math.IsNaN(s) || s > 1 {
				return fmt.Errorf("track_record: target %s: skill against %s is %v, not a number at most 1", r.Target, b, s)
			}
		}
		if c := r.Combination; c != nil {
			if !(c.Weight >= 0 && c.Weight <= 1) {
				return fmt.Errorf("track_record: target %s: combination weight %v: must be in [0, 1]", r.Target, c.Weight)
			}
			if len(c.Quantiles) == 0 || len(c.Quantiles) > MaxTrackQuantiles {
				return fmt.Errorf("track_record: target %s: %d combination quantiles: must be 1..%d", r.Target, len(c.Quantiles), MaxTrackQuantiles)
			}
			for j, q := range c.Quantiles {
				if math.IsNaN(q) || math.IsInf(q, 0) || q < 0 || (j > 0 && q < c.Quantiles[j-1]) {
					return fmt.Errorf("track_record: target %s: combination quantile %d is %v: quantiles must be finite, non-negative and increasing", r.Target, j+1, q)
				}
			}
		}
	}
	return nil
}

// Target returns the named target's record, or nil.
func (t *TrackRecord) Target(name string) *TargetTrackRecord {
	if t == nil {
		return nil
	}
	for i := range t.Targets {
		if t.Targets[i].Target == name {
			return &t.Targets[i]
		}
	}
	return nil
}

// Combines reports whether the record combines any target's forecast.
func (t *TrackRecord) Combines() bool {
	return t != nil && slices.ContainsFunc(t.Targets, func(r TargetTrackRecord) bool { return r.Combination != nil })
}

// Lines say how far to trust a forecast over weeks, a line per target of
// the record (Line), or in one line why there is no record.
func (t *TrackRecord) Lines(weeks int) []string {
	switch {
	case t == nil:
		return []string{"no track record: the model was not calibrated from a history with its self-check (a planner's file, or --no-check)"}
	case t.Skipped != "":
		return []string{"no track record: " + t.Skipped}
	case len(t.Targets) == 0:
		return []string{"no track record: no past forecast could be scored"}
	}
	var out []string
	for _, r := range t.Targets {
		out = append(out, r.Line(t.HorizonWeeks, weeks))
	}
	return out
}

// Line says in a sentence how far to trust the forecast of the target
// over weeks: "TARGET: on this history, H-week forecasts " and Record.
func (r TargetTrackRecord) Line(horizon, weeks int) string {
	return fmt.Sprintf("%s: on this history, %d-week forecasts %s", r.Target, horizon, r.Record(horizon, weeks))
}

// Record is how many of the past horizon-week forecasts the model's 80%
// intervals covered, and how it did against its strongest baseline ("x%
// better": x% less CRPS), with a note where this forecast is over other
// weeks.
func (r TargetTrackRecord) Record(horizon, weeks int) string {
	quarters := "quarters"
	if r.Scored == 1 {
		quarters = "quarter"
	}
	s := fmt.Sprintf("covered %d of %d past %s (80%% intervals)", r.Covered80, r.Scored, quarters)
	if skill, ok := r.Skill[r.Strongest]; ok && !math.IsInf(skill, 0) {
		switch better := 100 * (1 - 1/(1-skill)); {
		case math.Abs(skill) < 0.005:
			s += fmt.Sprintf("; level with %s, the strongest baseline", r.Strongest)
		case skill < 0:
			s += fmt.Sprintf("; %s was %.0f%% better", r.Strongest, better)
		default:
			s += fmt.Sprintf("; the model was %.0f%% better than %s, the strongest baseline", 100*skill, r.Strongest)
		}
	}
	if weeks != horizon {
		s += fmt.Sprintf(" (this forecast is %d weeks)", weeks)
	}
	return s
}

// Combine replaces the totals of the results with their combination
// (TrackRecord.Combination) for each target that has one. The first
// result is the baseline: its totals become the quantile average of its
// own and the baseline method's, trial by trial by rank, so that every
// trial keeps its rank. The others are scenarios run on the same trials:
// each keeps its paired difference from the baseline, trial by trial
// (floored at 0), so that compare's deltas and P(better) are the model's.
// Each trial's weekly revenue and wins paths are scaled to its new totals.
// The raw totals stay in Result.Raw.
func (t *TrackRecord) Combine(res []*Result) {
	base := res[0]
	alone := ""
	switch {
	case t == nil:
		alone = "no track record"
	case t.Skipped != "":
		alone = "no track record: " + t.Skipped
	case !t.Combines():
		alone = "too few past quarters scored on this history to learn a combination"
	case base.Weeks != t.HorizonWeeks:
		alone = fmt.Sprintf("the combination was learned on %d-week forecasts; this one is %d weeks", t.HorizonWeeks, base.Weeks)
	}
	if alone != "" {
		for _, r := range res {
			r.Combined = "model alone: " + alone
		}
		return
	}
	var names []string
	for _, tr := range t.Targets {
		c := tr.Combination
		k := slices.IndexFunc(base.Metrics, func(m MetricInfo) bool { return m.Name == tr.Target })
		if c == nil || k < 0 {
			continue
		}
		names = append(names, fmt.Sprintf("%s with %s %.0f%%", tr.Target, c.Baseline, 100*c.Weight))
		x := base.Column(k)
		shift := c.shift(x)
		for _, r := range res {
			y := r.Column(k)
			if r.Raw == nil {
				r.Raw = make([][]float64, len(r.Metrics))
			}
			r.Raw[k] = slices.Clone(y)
			for i := range y {
				if !math.IsNaN(y[i]) {
					y[i] = math.Max(y[i]+shift[i], 0)
				}
			}
			r.setColumn(k, y)
			if tr.Target == "revenue" || tr.Target == "wins" {
				raw := r.Raw[k]
				r.scalePath(tr.Target == "wins", func(i, w int, v float64) float64 {
					if raw[i] > 0 {
						return v * (y[i] / raw[i])
					}
					return y[i] * float64(w+1) / float64(r.Weeks)
				})
			}
		}
	}
	note := "model alone: the track record combines no target this run forecasts"
	if len(names) > 0 {
		note = "combined with the baselines that forecast best on this history's past quarters: " + strings.Join(names, ", ") + " (--raw for the model alone)"
	}
	for _, r := range res {
		r.Combined = note
	}
}

// shift is, for each trial of the model's totals x, what the combination
// adds to it: c(x_i) − x_i, where c(x_i) is (1 − Weight)·x_i plus Weight
// times the baseline's quantile at x_i's rank among the trials.
func (c *Combination) shift(x []float64) []float64 {
	idx := make([]int, 0, len(x))
	for i, v := range x {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	out := make([]float64, len(x))
	n := float64(len(idx))
	for rank, i := range idx {
		q := c.quantile((float64(rank) + 0.5) / n)
		out[i] = c.Weight * (q - x[i])
	}
	return out
}

// quantile is the baseline's quantile at level p, interpolated linearly
// between the stored levels and held flat beyond them.
func (c *Combination) quantile(p float64) float64 {
	q := c.Quantiles
	n := float64(len(q))
	pos := p*n - 0.5
	switch {
	case pos <= 0:
		return q[0]
	case pos >= n-1:
		return q[len(q)-1]
	}
	j := int(pos)
	f := pos - float64(j)
	return q[j] + f*(q[j+1]-q[j])
}
