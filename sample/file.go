package sample

import (
	"bytes"
	"fmt"
	"io"
	"math"

	"go.yaml.in/yaml/v3"

	"github.com/funnelsim/funnelsim/internal/yamlfile"
	"github.com/funnelsim/funnelsim/model"
)

// ReadTruth reads and checks a truth file.
func ReadTruth(path string) (*Truth, error) {
	b, err := model.ReadYAML(path)
	if err != nil {
		return nil, err
	}
	t, err := DecodeTruth(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// DecodeTruth parses a truth file strictly (unknown keys are errors naming
// their path) and checks it: every list has one entry per channel or band,
// every rate is possible, and the model it implies is valid.
func DecodeTruth(b []byte) (*Truth, error) {
	t := &Truth{}
	if err := yamlfile.Decode(b, t); err != nil {
		return nil, err
	}
	if err := t.Check(); err != nil {
		return nil, err
	}
	return t, nil
}

// Check reports the first impossible value of t, naming its key path.
func (t *Truth) Check() error {
	nC, nB := len(t.Channels), len(t.Bands)
	if len(t.Stages) == 0 || nC == 0 || nB == 0 {
		return fmt.Errorf("stages, channels and bands must not be empty")
	}
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
	for _, st := range t.Stages {
		p := fmt.Sprintf("stages[%s]", st.Name)
		switch {
		case len(st.Conversion) != nC:
			return fmt.Errorf("%s.conversion: %d values, want one per channel (%d)", p, len(st.Conversion), nC)
		case len(st.LeaveProfile) != nB:
			return fmt.Errorf("%s.leave_profile: %d values, want one per band (%d)", p, len(st.LeaveProfile), nB)
		case len(st.AdvanceProfile) != nB:
			return fmt.Errorf("%s.advance_profile: %d values, want one per band (%d)", p, len(st.AdvanceProfile), nB)
		case !pos(st.MedianWeeks):
			return fmt.Errorf("%s.median_weeks: must be > 0 (got %v)", p, st.MedianWeeks)
		}
		for c, v := range st.Conversion {
			if !(v > 0 && v < 1) {
				return fmt.Errorf("%s.conversion[%d]: must be in (0, 1) (got %v)", p, c, v)
			}
		}
		for b := range nB {
			if !pos(st.LeaveProfile[b]) || !pos(st.AdvanceProfile[b]) {
				return fmt.Errorf("%s: profiles must be > 0 in every band (band %d)", p, b)
			}
		}
	}
	for _, ch := range t.Channels {
		p := fmt.Sprintf("channels[%s]", ch.Name)
		switch {
		case !pos(ch.WeeklyLeads):
			return fmt.Errorf("%s.weekly_leads: must be > 0 (got %v)", p, ch.WeeklyLeads)
		case !(ch.Dispersion > 0):
			return fmt.Errorf("%s.dispersion: must be > 0, or .inf for Poisson arrivals (got %v)", p, ch.Dispersion)
		case !pos(ch.DealMedian):
			return fmt.Errorf("%s.deal_median: must be > 0 (got %v)", p, ch.DealMedian)
		case ch.WeeklySpend < 0:
			return fmt.Errorf("%s.weekly_spend: must be >= 0 (got %v)", p, ch.WeeklySpend)
		case !(ch.SpendShare >= 0 && ch.SpendShare <= 1):
			return fmt.Errorf("%s.spend_share: must be in [0, 1] (got %v)", p, ch.SpendShare)
		case ch.SpendShare > 0 && !(ch.WeeklySpend > 0 && pos(ch.HalfSpend)):
			return fmt.Errorf("%s: a spend_share needs weekly_spend and half_spend > 0", p)
		}
	}
	for _, a := range t.Attributes {
		if err := a.check(); err != nil {
			return err
		}
	}
	if !(t.ScoreNoise >= 0 && !math.IsInf(t.ScoreNoise, 0)) {
		return fmt.Errorf("score_noise: must be >= 0 (got %v)", t.ScoreNoise)
	}
	if !(t.DealLogSD >= 0 && t.DealLogSD < 10) {
		return fmt.Errorf("deal_log_sd: must be in [0, 10) (got %v)", t.DealLogSD)
	}
	if _, err := t.Model(historyWeeks); err != nil {
		return fmt.Errorf("the model it implies: %w", err)
	}
	return nil
}

// Encode writes t as a truth file.
func (t *Truth) Encode(w io.Writer) error {
	var buf bytes.Buffer
	buf.WriteString(truthHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(t); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func (a Attribute) check() error {
	p := fmt.Sprintf("attributes[%s]", a.Name)
	n := len(a.Levels)
	switch {
	case a.Name == "":
		return fmt.Errorf("attributes: a name is required")
	case n == 0:
		return fmt.Errorf("%s.levels: must not be empty", p)
	case len(a.Shares) != n:
		return fmt.Errorf("%s.shares: %d values, want one per level (%d)", p, len(a.Shares), n)
	case len(a.Effects) != n:
		return fmt.Errorf("%s.effects: %d values, want one per level (%d)", p, len(a.Effects), n)
	}
	sum := 0.0
	for k, v := range a.Shares {
		if !(v > 0) {
			return fmt.Errorf("%s.shares[%d]: must be > 0 (got %v)", p, k, v)
		}
		sum += v
	}
	if math.Abs(sum-1) > 1e-6 {
		return fmt.Errorf("%s.shares: sum to %v, want 1", p, sum)
	}
	for k, v := range a.Effects {
		if math.IsNaN(v) || math.Abs(v) > 5 {
			return fmt.Errorf("%s.effects[%d]: must be a log-odds shift in [-5, 5] (got %v)", p, k, v)
		}
	}
	return nil
}

const truthHeader = `# funnelsim truth: the true funnel that "simulate generate" draws leads from.
# Each stage's conversion lists the eventual probability of advancing for
# the leads entering it, one value per channel in the order of channels;
# median_weeks is the median time in the stage, and the two profiles shape
# the hazards over the age bands (weeks in stage). Attribute effects shift
# a lead's log-odds of advancing at every stage.
`
