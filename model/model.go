package model

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/funnelsim/funnelsim/model/rng"
)

// FormatVersion is the version of the model file that this package writes.
const FormatVersion = 1

// Model is a calibrated funnel. Its fields map one to one onto the model
// file; Validate checks it, and Run compiles it before simulating.
type Model struct {
	Format       int    `yaml:"format"`
	Name         string `yaml:"name"`
	Currency     string `yaml:"currency"`
	AsOf         Date   `yaml:"as_of"`
	HorizonWeeks int    `yaml:"horizon_weeks"`

	// Bands are the first week in stage of each age band, starting at 0 and
	// increasing; the last band is open-ended. Exit hazards are constant
	// within a band.
	Bands []int `yaml:"bands"`

	// SalesStart names the stage at which sales accepts a lead: the
	// hand-off from the marketing funnel (the stages before it) to the
	// sales funnel. Reps' capacity limits entries to it. It may be the
	// first stage: a sales-only funnel whose arrivals wait for a rep.
	SalesStart string `yaml:"sales_start"`
	// SQLStage and OpportunityStage name the stages whose entries count as
	// SQLs (for cost per SQL) and opportunities (for the win rate).
	SQLStage         string `yaml:"sql_stage"`
	OpportunityStage string `yaml:"opportunity_stage"`

	Stages   []Stage   `yaml:"stages"`
	Channels []Channel `yaml:"channels"`

	// ArrivalShockCV is the coefficient of variation of a Gamma(k, k)
	// multiplier on every channel's arrivals, drawn once per trial and
	// shared by all its weeks, so that quarterly totals are not too tight.
	// Calibration estimates it from how much quarterly arrivals moved
	// from one quarter to the next in the history.
	ArrivalShockCV float64 `yaml:"arrival_shock_cv"`
	// ArrivalShockDF is the degrees of freedom behind ArrivalShockCV: a
	// trial first draws the shock's CV² from a scaled inverse chi-square
	// with ArrivalShockDF degrees of freedom around ArrivalShockCV², so
	// that an estimate from few quarters widens the forecast as it should
	// (a Student-t effect). 0 keeps the CV fixed.
	ArrivalShockDF float64 `yaml:"arrival_shock_df,omitempty"`
	// ArrivalSeason is the yearly cycle of lead arrivals, shared by the
	// channels; absent for none.
	ArrivalSeason *Season `yaml:"arrival_season,omitempty"`

	DealSize DealSize `yaml:"deal_size"`
	Reps     Reps     `yaml:"reps"`
	// Changes alter the funnel from given forecast weeks (scenarios).
	Changes  []Change `yaml:"changes,omitempty"`
	Pipeline Pipeline `yaml:"pipeline"`
	// Segments are the history's attributes of few values (a region, a
	// product line), for forecasts by segment: each with its values'
	// shares of the recent hand-offs, in which deals not yet created at the
	// as-of date fall.
	Segments []Segment `yaml:"segments,omitempty"`
	// QuarterCycle, when set, is how closing varies over the fiscal
	// quarter.
	QuarterCycle *QuarterCycle `yaml:"quarter_cycle,omitempty"`
	// FiscalYearStart is the month (1 to 12) the company's fiscal year
	// starts in, for its quarters; 0 means January.
	FiscalYearStart int `yaml:"fiscal_year_start,omitempty"`
	// Booked is what the history recorded day by day before the as-of
	// date, for the booked-to-date of a quarter under way; nil where the
	// model was not calibrated from a history.
	Booked *Booked `yaml:"booked,omitempty"`
	// TrackRecord is how the model's forecasts would have done on its own
	// history (calibrate's self-check); nil where none was made.
	TrackRecord *TrackRecord `yaml:"track_record,omitempty"`
	Provenance  Provenance   `yaml:"provenance"`
}

// Booked is a history's record of the days from From to the day before
// the as-of date: each day with an entry into a stage or a win.
type Booked struct {
	From Date        `yaml:"from"`
	Days []BookedDay `yaml:"days"`
}

// BookedDay is one day's entries into each stage (in the model's order of
// stages; the first stage's are new leads) and its wins.
type BookedDay struct {
	Date    Date        `yaml:"date"`
	Entries []int       `yaml:"entries,flow"`
	Won     []BookedWin `yaml:"won,omitempty"`
}

// BookedWin is one deal won: its id, channel, rep (empty if none is
// recorded) and amount (0 if none is recorded).
type BookedWin struct {
	ID      string  `yaml:"id"`
	Channel string  `yaml:"channel"`
	Rep     string  `yaml:"rep,omitempty"`
	Amount  float64 `yaml:"amount,omitempty"`
	// Segments are the deal's values of the model's Segments.
	Segments map[string]string `yaml:"segments,omitempty,flow"`
}

// Between sums the booked days from from to the day before to: entries
// into each stage, and the deals won. It fails where the record does not
// cover that span: from is before b.From, or to after the as-of date.
func (b *Booked) Between(from, to, asOf time.Time) (BookedDay, error) {
	if from.Before(b.From.Time) || to.After(asOf) {
		return BookedDay{}, fmt.Errorf("the model's booked days run from %s to %s, not from %s to %s", b.From, asOf.AddDate(0, 0, -1).Format(time.DateOnly), from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	var sum BookedDay
	for _, d := range b.Days {
		if d.Date.Before(from) || !d.Date.Before(to) {
			continue
		}
		if sum.Entries == nil {
			sum.Entries = make([]int, len(d.Entries))
		}
		for s, n := range d.Entries {
			sum.Entries[s] += n
		}
		sum.Won = append(sum.Won, d.Won...)
	}
	return sum, nil
}

// Revenue is the day's won revenue.
func (d BookedDay) Revenue() float64 {
	sum := 0.0
	for _, w := range d.Won {
		sum += w.Amount
	}
	return sum
}

// Stage is one open stage of the funnel. A lead in a stage advances (to the
// next stage, or to a later one for the share in Skips), is lost, or stays;
// the last stage advances to won.
type Stage struct {
	Name string `yaml:"name"`
	// Metric names the count of entries into the stage in results; it
	// defaults to Name.
	Metric string `yaml:"metric,omitempty"`
	// PoolWeeks is the strength, in lead-weeks of exposure, of the prior
	// that pulls each channel's hazards toward the stage's pooled hazards
	// (partial pooling); 0 means almost none.
	PoolWeeks float64 `yaml:"pool_weeks"`
	// Skips counts the advances that went past the next stage, by
	// destination; the rest of the advances went to the next stage.
	Skips []Skip `yaml:"skips,omitempty"`
	// Exits holds, per channel, the exposure and exits in each age band.
	Exits []ChannelExits `yaml:"exits"`
	// HalfLifeWeeks records the half-life of the recency weights behind
	// the counts in Exits (a week of stay k weeks before the as-of date
	// counts 2^(−k/h)), as calibration chose it; 0 when every stay counts
	// alike. The counts are then fractional.
	HalfLifeWeeks float64 `yaml:"half_life_weeks,omitempty"`
}

// Skip counts advances from a stage that landed directly in a later one.
type Skip struct {
	To    string  `yaml:"to"`
	Count float64 `yaml:"count"`
}

// ChannelExits holds one channel's sufficient statistics in one stage.
type ChannelExits struct {
	Channel string `yaml:"channel"`
	Bands   []Band `yaml:"bands"`
}

// Band holds the sufficient statistics of one age band: lead-weeks at risk
// and the number of advances and losses, which may be fractional (weighted
// or expected counts). The posterior of each cause's weekly hazard is
// Gamma(prior shape + events, prior rate + exposure).
type Band struct {
	Weeks    int     `yaml:"weeks"`
	Exposure float64 `yaml:"exposure"`
	Advance  float64 `yaml:"advance"`
	Lost     float64 `yaml:"lost"`
}

// Channel is a source of new leads. Weekly arrivals are negative binomial
// with mean WeeklyLeads·exp(Trend·week) (damped, see Damping) times the
// trial's shared shock.
type Channel struct {
	Name        string  `yaml:"name"`
	WeeklyLeads float64 `yaml:"weekly_leads"`
	// Dispersion is the negative binomial φ (variance μ + μ²/φ); .inf
	// gives Poisson arrivals.
	Dispersion float64 `yaml:"dispersion"`
	// HistoryWeeks is the number of weeks behind WeeklyLeads; it sets the
	// uncertainty of the mean, which each trial draws.
	HistoryWeeks float64 `yaml:"history_weeks"`
	// Trend is the log growth of the mean per week and TrendSE its
	// standard error.
	Trend   float64 `yaml:"trend"`
	TrendSE float64 `yaml:"trend_se"`
	// Damping is the damped trend's φ in (0, 1]: the mean in forecast
	// week t is WeeklyLeads·exp(Trend·(φ + φ² + … + φ^t)), so that a trend
	// fades instead of compounding; 0 (absent) or 1 is an undamped trend.
	Damping float64 `yaml:"damping,omitempty"`
	// WeeklySpend is the channel's current spend per week, for the
	// marketing cost metrics.
	WeeklySpend float64 `yaml:"weekly_spend"`
	// Response is how the channel's weekly leads answer its spend; absent
	// for a channel with no spend.
	Response *Response `yaml:"response,omitempty"`
}

// Response is a channel's saturating response of weekly leads to weekly
// spend x: Base + Max·x/(x + HalfSpend), a Hill curve of shape 1
// (diminishing returns from the first dollar). It says what a change of
// spend does; at the current spend the channel's WeeklyLeads stand.
type Response struct {
	Base      float64 `yaml:"base"`       // leads a week with no spend
	Max       float64 `yaml:"max"`        // leads a week that spend adds at saturation
	HalfSpend float64 `yaml:"half_spend"` // spend a week that buys half of Max
	// Cov is the covariance of (log Base, log Max, log HalfSpend) from the
	// fit (Laplace approximation); empty for the default curve.
	Cov [][]float64 `yaml:"cov,flow,omitempty"`
	// Range is the lowest and highest weekly spend the fit saw; outside
	// it the curve is extrapolated.
	Range []float64 `yaml:"range,flow,omitempty"`
	// Source is "fitted" (from a spend file), "default" (spend data that
	// do not identify a curve: every lead bought, the current spend a third
	// of the way to saturation, HalfSpend = 2 × WeeklySpend) or "given"
	// (stated by a person, or a truth).
	Source string `yaml:"source"`
}

// SpendRange returns the range of weekly spend the curve was fitted on.
func (r *Response) SpendRange() (lo, hi float64, ok bool) {
	if len(r.Range) != 2 {
		return 0, 0, false
	}
	return r.Range[0], r.Range[1], true
}

// Leads returns the mean weekly leads at spend x.
func (r *Response) Leads(x float64) float64 {
	if x <= 0 {
		return r.Base
	}
	return r.Base + r.Max*x/(x+r.HalfSpend)
}

// Marginal returns the extra weekly leads per unit of extra spend at x.
func (r *Response) Marginal(x float64) float64 {
	d := x + r.HalfSpend
	return r.Max * r.HalfSpend / (d * d)
}

// Sampler returns a function that draws the curve from its fit's
// uncertainty: (log Base, log Max, log HalfSpend) from the normal of mean
// the curve's and covariance Cov, factored once. It returns false where
// Cov is empty or not positive definite.
func (r *Response) Sampler() (func(*rng.Stream) Response, bool) {
	if len(r.Cov) != 3 {
		return nil, false
	}
	cov := mat.NewSymDense(3, nil)
	for i := range 3 {
		for j := i; j < 3; j++ {
			cov.SetSym(i, j, r.Cov[i][j])
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return nil, false
	}
	var l mat.TriDense
	ch.LTo(&l)
	mu := []float64{math.Log(math.Max(r.Base, 1e-300)), math.Log(r.Max), math.Log(r.HalfSpend)}
	return func(st *rng.Stream) Response {
		var z, th [3]float64
		for j := range z {
			z[j] = st.NormFloat64()
		}
		for j := range 3 {
			th[j] = mu[j]
			for k := 0; k <= j; k++ {
				th[j] += l.At(j, k) * z[k]
			}
		}
		d := *r
		d.Base, d.Max, d.HalfSpend = math.Exp(th[0]), math.Exp(th[1]), math.Exp(th[2])
		return d
	}, true
}

// LogNormal holds the sufficient statistics of won deal amounts: the number
// of deals and the mean and standard deviation of their natural logarithms.
// Each trial draws (μ, σ²) from the Normal-Inverse-Gamma posterior.
type LogNormal struct {
	Deals   float64 `yaml:"deals"`
	LogMean float64 `yaml:"log_mean"`
	LogSD   float64 `yaml:"log_sd"`
}

// DealSize is the overall deal-size fit and optional per-channel fits.
//
// Where Amounts are given, won deals draw their amounts from them, not
// from the lognormal: each trial weighs the amounts by a Bayesian
// bootstrap (Dirichlet(1, …, 1) weights), so that the uncertainty of the
// distribution carries into the forecast without assuming its family. A
// channel with amounts of its own draws from them and, with the weight of
// PoolDeals more deals, from the overall amounts (a Dirichlet process
// centred on them), so that a channel of few deals leans on the rest.
type DealSize struct {
	LogNormal `yaml:",inline"`
	Amounts   []float64         `yaml:"amounts,flow,omitempty"`
	Channels  []ChannelDealSize `yaml:"channels,omitempty"`
}

// PoolDeals is the weight, in deals, of the overall amounts in the
// deal sizes of a channel with amounts of its own.
const PoolDeals = 10

// ChannelDealSize is one channel's deal-size fit.
type ChannelDealSize struct {
	Channel   string `yaml:"channel"`
	LogNormal `yaml:",inline"`
	Amounts   []float64 `yaml:"amounts,flow,omitempty"`
}

// Reps describes the sales team's capacity at the hand-off stage.
type Reps struct {
	Count int `yaml:"count"`
	// WeeklyCapacity is the number of hand-offs a fully ramped rep accepts
	// in a week.
	WeeklyCapacity float64 `yaml:"weekly_capacity"`
	// Unlimited turns the capacity limits off.
	Unlimited bool `yaml:"unlimited,omitempty"`
	// CloseCapacity, when positive, is how many deals a fully ramped rep
	// closes in a week: exits from the opportunity stage on. Where the
	// team's capacity is below the exits the stage hazards would make in
	// a week, each exit happens with the chance capacity/expected exits.
	CloseCapacity float64 `yaml:"close_capacity,omitempty"`
	// RampWeeks is how long a new hire takes to reach full capacity,
	// linearly (capacity (w+1)/RampWeeks in the hire's week w).
	RampWeeks int `yaml:"ramp_weeks"`
	// ColdRate is the share of waiting leads that go cold each week.
	ColdRate float64 `yaml:"cold_rate"`
	// Hires are changes to the team during the forecast; a negative count
	// is a departure.
	Hires []Hire `yaml:"hires,omitempty"`
	// Shares are the reps' shares of the recent hand-offs: deals not yet
	// created at the as-of date go to the reps in these shares, for
	// forecasts by rep. Empty where the history names no reps.
	Shares []RepShare `yaml:"shares,omitempty"`
}

// Segment is an attribute of the leads with its values' shares of the
// recent hand-offs.
type Segment struct {
	Name   string       `yaml:"name"`
	Shares []ValueShare `yaml:"shares"`
}

// ValueShare is one value's share of the recent hand-offs.
type ValueShare struct {
	Value string  `yaml:"value"`
	Share float64 `yaml:"share"`
}

// RepShare is one rep's share of the recent hand-offs.
type RepShare struct {
	Rep   string  `yaml:"rep"`
	Share float64 `yaml:"share"`
}

// Change alters the funnel from forecast week Week on (0 is the first
// week): what a scenario does to a model. Changes at later weeks add to
// earlier ones (factors multiply); an absent field leaves its part alone.
type Change struct {
	Week int `yaml:"week"`
	// Channel limits the change to one channel, and Stage its conversion
	// factor to one stage; empty means all.
	Channel string `yaml:"channel,omitempty"`
	Stage   string `yaml:"stage,omitempty"`
	// Leads multiplies the weekly arrivals.
	Leads *float64 `yaml:"leads,omitempty"`
	// Conversion multiplies the share of leavers who advance, in every age
	// band, keeping the time in stage: the stage's eventual conversion is
	// multiplied by it (up to a share of 1).
	Conversion *float64 `yaml:"conversion,omitempty"`
	// DealSize multiplies the amounts of deals won from now on.
	DealSize *float64 `yaml:"deal_size,omitempty"`
	// Spend is the new weekly spend of Channel, for the cost metrics.
	Spend *float64 `yaml:"spend,omitempty"`
	// ColdRate is the new share of waiting leads that go cold each week.
	ColdRate *float64 `yaml:"cold_rate,omitempty"`
	// Note says where the change came from (a scenario's intervention).
	Note string `yaml:"note,omitempty"`
}

// Hire adds Count reps (or removes them, if negative) from forecast week
// Week (0 is the first week).
type Hire struct {
	Week  int `yaml:"week"`
	Count int `yaml:"count"`
}

// Pipeline is the open funnel at the as-of date.
type Pipeline struct {
	// Open counts open leads by stage, channel and whole weeks in stage.
	Open []Cohort `yaml:"open"`
	// Deals are open deals followed one by one, each with its id, its
	// amount where known and its rep.
	Deals []OpenDeal `yaml:"deals,omitempty"`
	// Queue counts leads handed off to sales and waiting for a rep.
	Queue []Waiting `yaml:"queue,omitempty"`
}

// Cohort is a number of open leads of one channel in one stage.
type Cohort struct {
	Stage   string `yaml:"stage"`
	Channel string `yaml:"channel"`
	Weeks   int    `yaml:"weeks"`
	Count   int    `yaml:"count"`
}

// OpenDeal is one open deal: its amount, which it keeps if won (0 where
// it is not known: a won deal's amount is then drawn from the deal sizes),
// and the rep who owns it (empty if none is recorded).
type OpenDeal struct {
	ID      string  `yaml:"id"`
	Stage   string  `yaml:"stage"`
	Channel string  `yaml:"channel"`
	Weeks   int     `yaml:"weeks"`
	Amount  float64 `yaml:"amount,omitempty"`
	Rep     string  `yaml:"rep,omitempty"`
	// Segments are the deal's values of the model's Segments.
	Segments map[string]string `yaml:"segments,omitempty,flow"`
}

// Waiting counts a channel's leads in the hand-off queue.
type Waiting struct {
	Channel string `yaml:"channel"`
	Count   int    `yaml:"count"`
}

// Provenance records where a model came from.
type Provenance struct {
	Source   string       `yaml:"source"`
	Files    []SourceFile `yaml:"files,omitempty"`
	Rejected []Reason     `yaml:"rejected,omitempty"`
	Warnings []string     `yaml:"warnings,omitempty"`
	// Windows are the spans over which the history recorded each kind of
	// event, as calibration found them.
	Windows []ObservationWindow `yaml:"windows,omitempty"`
	// EventsFrom, when set, is the start of the delayed entry: stays in a
	// stage counted as at risk only from then on, because the history
	// records its closes only from then.
	EventsFrom *Date `yaml:"events_from,omitempty"`
	// StaleAfterWeeks is the stale rule's time, as given or derived.
	StaleAfterWeeks float64 `yaml:"stale_after_weeks,omitempty"`
	// Reading is how the history was read, so that commands that need
	// the history behind the model (attribute rules) can read it again.
	Reading *Reading `yaml:"reading,omitempty"`
}

// Reading is how a history was read: its files and the reading settings.
type Reading struct {
	History     []string          `yaml:"history"`
	Preset      string            `yaml:"preset,omitempty"`
	Stages      []string          `yaml:"stages,flow,omitempty"`
	Map         map[string]string `yaml:"map,omitempty"`
	StageMap    map[string]string `yaml:"stage_map,omitempty"`
	DateFormat  string            `yaml:"date_format,omitempty"`
	MaxRejected *float64          `yaml:"max_rejected,omitempty"` // the share of rows that may be rejected (1 for no limit); nil for the default
}

// ObservationWindow is the span of one kind of event in a history.
type ObservationWindow struct {
	Kind   string `yaml:"kind"`
	From   Date   `yaml:"from"`
	To     Date   `yaml:"to"`
	Events int    `yaml:"events"`
	// Truncated says that the export records the kind only from From:
	// the stays before it would have had many events at the later rates.
	Truncated bool `yaml:"truncated,omitempty"`
}

// SourceFile is a history file used in calibration.
type SourceFile struct {
	Path     string `yaml:"path"`
	Rows     int    `yaml:"rows"`
	Used     int    `yaml:"used"`
	Rejected int    `yaml:"rejected"`
	// SHA256 is the file's checksum as read (of its bytes, compressed or
	// not), so that a later reader can tell it is the same file.
	SHA256 string `yaml:"sha256,omitempty"`
}

// Reason counts the rows rejected or repaired for one reason.
type Reason struct {
	Reason string `yaml:"reason"`
	Count  int    `yaml:"count"`
}

// Date is a calendar day, written as YYYY-MM-DD.
type Date struct{ time.Time }

// ParseDate parses a YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

func (d Date) String() string { return d.Format(time.DateOnly) }

// MarshalText writes the date as YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a YYYY-MM-DD date.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	*d = p
	return err
}

// StageIndex returns the position of the named stage, or -1.
func (m *Model) StageIndex(name string) int {
	for i, s := range m.Stages {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// ChannelIndex returns the position of the named channel, or -1.
func (m *Model) ChannelIndex(name string) int {
	for i, c := range m.Channels {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// MetricName is the results key for entries into stage i.
func (s Stage) MetricName() string {
	if s.Metric != "" {
		return s.Metric
	}
	return s.Name
}
