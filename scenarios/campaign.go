package scenarios

import (
	"fmt"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
)

// Campaign shifts a channel's target: Volume multiplies its weekly leads,
// Quality the conversion of its leads at every marketing stage (before the
// hand-off), and SalesQuality at every sales stage. Or Filter, a rule on
// lead attributes, takes the new lead mix from history: the channel's
// leads convert, stage by stage, as its leads that pass the rule did.
type Campaign struct {
	Week         int     `yaml:"week"`
	Channel      string  `yaml:"channel"`
	Volume       float64 `yaml:"volume,omitempty"`
	Quality      float64 `yaml:"quality,omitempty"`
	SalesQuality float64 `yaml:"sales_quality,omitempty"`
	Filter       string  `yaml:"filter,omitempty"`
}

// apply changes the channel's volume and conversions, by multipliers or,
// with a filter, as its leads in the history that pass the filter did.
func (c *Campaign) apply(out, m *model.Model, ev *Evidence) ([]string, error) {
	if c.Filter != "" {
		return campaignFilter(out, m, c, ev)
	}
	return nil, campaign(out, m, c)
}

func campaign(out, m *model.Model, c *Campaign) error {
	if err := week(c.Week); err != nil {
		return fmt.Errorf("campaign.%w", err)
	}
	if _, err := channel(m, c.Channel); err != nil {
		return fmt.Errorf("campaign.channel: %w", err)
	}
	if c.Volume == 0 && c.Quality == 0 && c.SalesQuality == 0 {
		return fmt.Errorf("campaign: give volume, quality or sales_quality")
	}
	if c.Volume != 0 {
		if err := positive("campaign.volume", c.Volume); err != nil {
			return err
		}
		out.Changes = append(out.Changes, model.Change{Week: c.Week, Channel: c.Channel, Leads: ptr(c.Volume), Note: "campaign"})
	}
	sales := m.StageIndex(m.SalesStart)
	for _, q := range []struct {
		name   string
		f      float64
		lo, hi int
	}{{"quality", c.Quality, 0, sales}, {"sales_quality", c.SalesQuality, sales, len(m.Stages)}} {
		if q.f == 0 {
			continue
		}
		if err := positive("campaign."+q.name, q.f); err != nil {
			return err
		}
		for s := q.lo; s < q.hi; s++ {
			out.Changes = append(out.Changes, model.Change{Week: c.Week, Channel: c.Channel, Stage: m.Stages[s].Name, Conversion: ptr(q.f), Note: "campaign"})
		}
	}
	return nil
}

// campaignFilter retargets a channel at the leads that pass a rule: from
// the week, the channel's leads convert at every stage as its leads in the
// history that pass the rule did (c⁺/c, each re-estimated on the channel's
// leads alone), and its volume is multiplied by Volume (default 1).
func campaignFilter(out, m *model.Model, c *Campaign, ev *Evidence) ([]string, error) {
	if err := week(c.Week); err != nil {
		return nil, fmt.Errorf("campaign.%w", err)
	}
	if _, err := channel(m, c.Channel); err != nil {
		return nil, fmt.Errorf("campaign.channel: %w", err)
	}
	if c.Quality != 0 || c.SalesQuality != 0 {
		return nil, fmt.Errorf("campaign: give a filter or quality multipliers, not both")
	}
	if ev == nil || ev.History == nil {
		return nil, fmt.Errorf("campaign.filter: %w", ErrNeedsHistory)
	}
	rule, err := CompileRule(c.Filter, ev.History)
	if err != nil {
		return nil, fmt.Errorf("campaign.filter: %w", err)
	}
	inChannel := ev.History.Filter(func(l *calibrate.Lead) bool { return l.Channel == c.Channel })
	if len(inChannel.Leads) == 0 {
		return nil, fmt.Errorf("campaign.channel: no leads of %s in the history", c.Channel)
	}
	pass, _, err := split(inChannel, rule)
	if err != nil {
		return nil, fmt.Errorf("campaign.%w", err)
	}
	if len(pass.Leads) == 0 {
		return nil, fmt.Errorf("campaign.filter: none of the %d leads of %s pass it", len(inChannel.Leads), c.Channel)
	}
	cAll, cPass, _, err := reestimate(inChannel, pass, ev.Options, ev.Seed, c.Channel, "the leads of "+c.Channel+" that pass the filter")
	if err != nil {
		return nil, fmt.Errorf("campaign: %w", err)
	}
	volume := c.Volume
	if volume == 0 {
		volume = 1
	}
	if err := positive("campaign.volume", volume); err != nil {
		return nil, err
	}
	out.Changes = append(out.Changes, model.Change{Week: c.Week, Channel: c.Channel, Leads: ptr(volume), Note: "campaign filter: " + c.Filter})
	note := fmt.Sprintf("campaign: %d of %d leads of %s in the history pass the filter (%.0f%%); their conversion against all of the channel's:",
		len(pass.Leads), len(inChannel.Leads), c.Channel, 100*float64(len(pass.Leads))/float64(len(inChannel.Leads)))
	for s, st := range m.Stages {
		if !(cAll[s] > 0) {
			continue
		}
		f := cPass[s] / cAll[s]
		out.Changes = append(out.Changes, model.Change{Week: c.Week, Channel: c.Channel, Stage: st.Name, Conversion: ptr(f), Note: "campaign filter: " + c.Filter})
		note += fmt.Sprintf(" %s ×%.2f", st.Name, f)
	}
	return append(rule.Warnings(), note), nil
}
