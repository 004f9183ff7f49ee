package sample

import (
	"errors"
	"fmt"
	"math"

	"github.com/funnelsim/funnelsim/model"
)

// Truth is a funnel's true parameters, stated as a planner thinks of them:
// per stage the eventual conversion by channel and the median weeks in
// stage, with age profiles that make old leads leave more slowly and
// convert less.
type Truth struct {
	Name         string     `yaml:"name"`
	Currency     string     `yaml:"currency"`
	AsOf         model.Date `yaml:"as_of"`
	HorizonWeeks int        `yaml:"horizon_weeks"`
	Bands        []int      `yaml:"bands,flow"`

	SalesStart       string `yaml:"sales_start"`
	SQLStage         string `yaml:"sql_stage"`
	OpportunityStage string `yaml:"opportunity_stage"`

	Stages   []StageTruth   `yaml:"stages"`
	Channels []ChannelTruth `yaml:"channels"`

	// Attributes are recorded on each lead and change its conversion.
	Attributes []Attribute `yaml:"attributes,omitempty"`
	// ScoreNoise is the noise of the lead score, a 0–100 measure of a
	// lead's quality (the sum of its attributes' effects):
	// 100·logistic(quality + ScoreNoise·N(0, 1)). Zero: no score.
	ScoreNoise float64 `yaml:"score_noise,omitempty"`

	ArrivalShockCV float64 `yaml:"arrival_shock_cv"`
	// ArrivalSeason is a yearly cycle of every channel's leads; absent for
	// none.
	ArrivalSeason *model.Season `yaml:"arrival_season,omitempty"`
	// DealLogSD is the spread of log deal amounts, common to all channels.
	DealLogSD float64    `yaml:"deal_log_sd"`
	Reps      model.Reps `yaml:"reps"`
}

// StageTruth is one stage's true behaviour.
type StageTruth struct {
	Name   string `yaml:"name"`
	Metric string `yaml:"metric,omitempty"`
	// Conversion is the eventual probability of advancing, by channel (in
	// the order of Truth.Channels).
	Conversion []float64 `yaml:"conversion,flow"`
	// MedianWeeks is the median time in stage before leaving either way.
	MedianWeeks float64 `yaml:"median_weeks"`
	// LeaveProfile scales the hazard of leaving in each age band, and
	// AdvanceProfile the share of leavers who advance (both relative to
	// the first band, one entry per band).
	LeaveProfile   []float64 `yaml:"leave_profile,flow"`
	AdvanceProfile []float64 `yaml:"advance_profile,flow"`
}

// Attribute is a lead attribute such as job level or company size: each
// lead has one of its levels, drawn with the level's share, and each level
// shifts the log-odds of advancing at every stage by its effect. The
// stated conversions stay those of all leads entering a stage: see
// Profiles.
type Attribute struct {
	Name    string    `yaml:"name"`
	Levels  []string  `yaml:"levels,flow"`
	Shares  []float64 `yaml:"shares,flow"`
	Effects []float64 `yaml:"effects,flow"`
}

// ChannelTruth is one lead channel's true behaviour.
type ChannelTruth struct {
	Name        string  `yaml:"name"`
	WeeklyLeads float64 `yaml:"weekly_leads"`
	Dispersion  float64 `yaml:"dispersion"`
	WeeklySpend float64 `yaml:"weekly_spend"`
	// SpendShare is the share of WeeklyLeads that the spend buys at
	// WeeklySpend, and HalfSpend the weekly spend that buys half of what
	// spend can buy at most (see Response).
	SpendShare float64 `yaml:"spend_share"`
	HalfSpend  float64 `yaml:"half_spend"`
	// DealMedian is the median amount of the channel's won deals.
	DealMedian float64 `yaml:"deal_median"`
}

// Response is the channel's true response of weekly leads to spend, which
// gives WeeklyLeads at WeeklySpend; nil for a channel with no spend.
func (ch ChannelTruth) Response() *model.Response {
	if ch.WeeklySpend <= 0 || ch.SpendShare <= 0 {
		return nil
	}
	paid := ch.SpendShare * ch.WeeklyLeads
	return &model.Response{Base: ch.WeeklyLeads - paid, Max: paid * (ch.WeeklySpend + ch.HalfSpend) / ch.WeeklySpend,
		HalfSpend: ch.HalfSpend, Source: "given"}
}

// Hazards are the weekly cause-specific hazards of one stage and channel
// per age band.
type Hazards struct{ Advance, Lost []float64 }

// Hazards solves for the hazards that give stage s and channel c its
// conversion and median weeks: the leave hazard of band b is Λ0·LeaveProfile[b],
// with Λ0 set by the median in closed form, and the advance share is
// min(1, ρ0·AdvanceProfile[b]), with ρ0 found by bisection.
func (t *Truth) Hazards(s, c int) (Hazards, error) {
	return t.hazards(s, t.Stages[s].Conversion[c])
}

// hazards solves stage s's hazards for an eventual conversion target.
func (t *Truth) hazards(s int, target float64) (Hazards, error) {
	st := t.Stages[s]
	// Cumulative leave hazard up to the median is Λ0·Σ profile·overlap.
	h := 0.0
	for b, lo := range t.Bands {
		hi := math.Inf(1)
		if b+1 < len(t.Bands) {
			hi = float64(t.Bands[b+1])
		}
		h += st.LeaveProfile[b] * math.Max(0, math.Min(hi, st.MedianWeeks)-float64(lo))
	}
	if !(h > 0) {
		return Hazards{}, fmt.Errorf("stage %s: median weeks must be positive", st.Name)
	}
	lambda0 := math.Ln2 / h
	leave := make([]float64, len(t.Bands))
	for b := range leave {
		leave[b] = lambda0 * st.LeaveProfile[b]
	}
	share := func(rho float64) []float64 {
		out := make([]float64, len(t.Bands))
		for b := range out {
			out[b] = math.Min(1, rho*st.AdvanceProfile[b])
		}
		return out
	}
	lo, hi := 0.0, 1.0
	for conversion(t.Bands, leave, share(hi)) < target {
		hi *= 2
		if hi > 1e6 {
			return Hazards{}, errors.New("conversion unreachable with this advance profile")
		}
	}
	for range 100 {
		mid := (lo + hi) / 2
		if conversion(t.Bands, leave, share(mid)) < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	rho := share((lo + hi) / 2)
	out := Hazards{Advance: make([]float64, len(t.Bands)), Lost: make([]float64, len(t.Bands))}
	for b := range leave {
		out.Advance[b] = rho[b] * leave[b]
		out.Lost[b] = (1 - rho[b]) * leave[b]
	}
	return out, nil
}

// conversion is the eventual advance probability in continuous time:
// Σ_b share_b · S(lo_b) · (1 − exp(−Λ_b·width_b)).
func conversion(bands []int, leave, share []float64) float64 {
	surv, total := 1.0, 0.0
	for b := range bands {
		p := 1.0
		if b+1 < len(bands) {
			p = -math.Expm1(-leave[b] * float64(bands[b+1]-bands[b]))
		}
		total += share[b] * surv * p
		surv *= 1 - p
	}
	return total
}
