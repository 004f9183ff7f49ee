package model

import (
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/internal/parallel"
)

// Result holds the per-trial outcomes of a Run. Trial FirstTrial+i's value
// of metric k is Values[k][i]; its cumulative revenue and wins by the end of
// week w are CumRevenue[i*Weeks+w] and CumWins[i*Weeks+w]. A stored result
// (Stored) keeps them outside memory instead: its methods read them, and
// Column gives a metric's values either way.
type Result struct {
	Model       string
	Currency    string
	Start       Date
	Trials      int
	FirstTrial  int
	Weeks       int
	Seed        uint64
	FixedParams bool
	Metrics     []MetricInfo
	Values      [][]float64
	CumRevenue  []float64
	CumWins     []float64
	Warnings    []string
	// Recalibrated says how the totals were recalibrated (Options.
	// Recalibration); empty when they are as simulated.
	Recalibrated string
	// Combined says how the totals were combined with baselines
	// (Options.Combine), or why they were not; empty when not asked.
	Combined string
	// TrackRecord says, a line per target, how the model's forecasts
	// did on its own history (TrackRecord.Lines).
	TrackRecord []string
	// Raw holds, for each metric whose totals were combined, the model's
	// own per-trial totals (nil for the others, and without Combine).
	Raw [][]float64
	// Channels holds, for a run with Options.ByChannel, each channel's
	// totals per trial, in the model's order of channels; nil otherwise.
	Channels []ChannelTrials
	// From is the first week counted in Channels' wins and revenue,
	// Deals and Reps (Options.From).
	From int
	// Deals holds, for a run with Options.Deals, each open deal's trials
	// won, in the order of the model's Pipeline.Deals; DealWins the
	// number of them won in each trial.
	Deals    []DealOutcome
	DealWins []float64
	// Groups holds, for a run with Options.By, each group's wins and
	// revenue per trial; the last, named Unassigned, holds the wins no
	// group took.
	Groups []GroupTrials
	track  trackResult
	// cols holds the per-trial values of a stored result (Stored), whose
	// Values, CumRevenue and CumWins are nil.
	cols Columns
}

func newResult(p *plan, o *Options) *Result {
	r := &Result{Model: p.m.Name, Currency: p.m.Currency, Start: p.m.AsOf, Trials: o.Trials, FirstTrial: o.FirstTrial, Weeks: o.Weeks,
		Seed: o.Seed, FixedParams: o.FixedParams, Metrics: p.metrics.info}
	r.Values = make([][]float64, len(r.Metrics))
	for k := range r.Values {
		r.Values[k] = make([]float64, o.Trials)
	}
	r.CumRevenue = make([]float64, o.Trials*o.Weeks)
	r.CumWins = make([]float64, o.Trials*o.Weeks)
	if o.ByChannel {
		r.Channels = make([]ChannelTrials, p.nC)
		for c := range r.Channels {
			r.Channels[c] = ChannelTrials{Name: p.m.Channels[c].Name, Leads: make([]float64, o.Trials), Wins: make([]float64, o.Trials), Revenue: make([]float64, o.Trials)}
		}
	}
	r.From = o.From
	if o.Deals {
		r.Deals = make([]DealOutcome, len(p.deals))
		for i, d := range p.m.Pipeline.Deals {
			r.Deals[i].ID = d.ID
		}
		r.DealWins = make([]float64, o.Trials)
		r.track.dealWon = make([]atomic.Int64, len(p.deals))
	}
	if o.By != "" {
		for _, name := range append(slices.Clone(p.groupNames), Unassigned) {
			r.Groups = append(r.Groups, GroupTrials{Name: name, Wins: make([]float64, o.Trials), Revenue: make([]float64, o.Trials)})
		}
	}
	return r
}

// ChannelTrials is one channel's totals over the horizon, per trial: its
// new leads, its wins and their revenue. A channel's wins are those of
// its leads, whenever they arrived, so the channels' wins and revenue sum
// to the run's in every trial.
type ChannelTrials struct {
	Name                 string
	Leads, Wins, Revenue []float64
}

// store writes worker w's last trial as trial i.
func (r *Result) store(p *plan, w *worker, i int) {
	x, t := &p.metrics, &w.tot
	for s, k := range x.entry {
		r.Values[k][i] = t.stage(s)
	}
	set := func(k int, v float64) { r.Values[k][i] = v }
	set(x.handoffs, t.handoffs)
	set(x.cold, t.cold)
	set(x.wins, t.wins)
	set(x.lostOpps, t.lostO)
	set(x.winRate, ratio(t.wins, t.wins+t.lostO))
	set(x.revenue, t.revenue)
	set(x.avgDeal, ratio(t.revenue, t.wins))
	set(x.cycle, w.base.cycle)
	spend := p.spendOver(r.Weeks)
	set(x.spend, spend)
	set(x.costLead, ratio(spend, t.stage(0)))
	set(x.costSQL, ratio(spend, t.stage(p.sqlStage)))
	set(x.costWin, ratio(spend, t.wins))
	set(x.utilization, ratio(t.accepted, t.capSum))
	copy(r.CumRevenue[i*r.Weeks:(i+1)*r.Weeks], w.cumRev)
	copy(r.CumWins[i*r.Weeks:(i+1)*r.Weeks], w.cumWins)
	for c := range r.Channels {
		ch := &r.Channels[c]
		ch.Leads[i], ch.Wins[i], ch.Revenue[i] = t.entries[c], t.chWins[c], t.chRev[c]
	}
	r.storeTrack(w, i)
}

// ratio is a/b, or NaN when b is 0 (a ratio with no denominator is left
// out of the summaries rather than reported as 0).
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// Info returns the description of the named metric.
func (r *Result) Info(name string) (MetricInfo, bool) {
	for _, m := range r.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return MetricInfo{}, false
}

// Metric returns the per-trial values of the named metric.
func (r *Result) Metric(name string) ([]float64, bool) {
	for k, m := range r.Metrics {
		if m.Name == name {
			return r.Column(k), true
		}
	}
	return nil, false
}

// Probs are the quantiles every summary reports.
var Probs = []float64{0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95}

// Batches is the number of contiguous batches of trials used for batch-means
// standard errors of quantiles.
const Batches = 32

// Quantile is an estimated quantile with its Monte Carlo standard error.
type Quantile struct {
	P     float64
	Value float64
	MCSE  float64
}

// Summary describes the distribution of one metric over the trials that
// define it (N; a ratio with a zero denominator is left out).
type Summary struct {
	Name      string
	N         int
	Mean      float64
	MeanMCSE  float64
	SD        float64
	Quantiles []Quantile
}

// Summarize summarises values with MCSEs: s/√N for the mean and batch
// means over Batches contiguous batches for each quantile (NaN when a batch
// would hold fewer than 10 trials).
func Summarize(name string, values []float64) Summary {
	fs := sorters.Get().(*floatSorter)
	defer sorters.Put(fs)
	return fs.summarize(name, values)
}

// summarize is Summarize with fs's buffers.
func (fs *floatSorter) summarize(name string, values []float64) Summary {
	x := finite(values)
	s := Summary{Name: name, N: len(x)}
	if len(x) == 0 {
		s.Mean, s.MeanMCSE, s.SD = math.NaN(), math.NaN(), math.NaN()
		for _, p := range Probs {
			s.Quantiles = append(s.Quantiles, Quantile{P: p, Value: math.NaN(), MCSE: math.NaN()})
		}
		return s
	}
	s.Mean, s.SD = stat.MeanStdDev(x, nil)
	if len(x) < 2 {
		s.SD = 0
	}
	s.MeanMCSE = s.SD / math.Sqrt(float64(len(x)))
	sorted := fs.floats(len(x))
	copy(sorted, x)
	fs.sort(sorted)
	mcse := batchQuantileSE(fs, x, Probs)
	for j, p := range Probs {
		s.Quantiles = append(s.Quantiles, Quantile{P: p, Value: QuantileOf(sorted, p), MCSE: mcse[j]})
	}
	return s
}

// QuantileOf is the p-quantile of sorted values, interpolated linearly
// between order statistics (gonum's stat.LinInterp): the one definition
// every summary, backtest score and chart uses.
func QuantileOf(sorted []float64, p float64) float64 {
	return stat.Quantile(p, stat.LinInterp, sorted, nil)
}

// Q returns the summary's quantile at p, which must be one of Probs.
func (s Summary) Q(p float64) Quantile {
	for _, q := range s.Quantiles {
		if math.Abs(q.P-p) < 1e-9 {
			return q
		}
	}
	panic(fmt.Sprintf("model: %v is not one of the reported quantiles", p))
}

func finite(v []float64) []float64 {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			out := make([]float64, 0, len(v))
			for _, y := range v {
				if !math.IsNaN(y) && !math.IsInf(y, 0) {
					out = append(out, y)
				}
			}
			return out
		}
	}
	return v
}

func batchQuantileSE(fs *floatSorter, x []float64, probs []float64) []float64 {
	out := make([]float64, len(probs))
	size := len(x) / Batches
	if size < 10 {
		for j := range out {
			out[j] = math.NaN()
		}
		return out
	}
	qs := make([][]float64, len(probs))
	buf := make([]float64, size)
	for b := range Batches {
		copy(buf, x[b*size:(b+1)*size])
		fs.sort(buf)
		for j, p := range probs {
			qs[j] = append(qs[j], stat.Quantile(p, stat.LinInterp, buf, nil))
		}
	}
	for j := range probs {
		// A batch quantile has about Batches times the variance of the full
		// sample's, so the full sample's MCSE is sd(batch quantiles)/√B.
		out[j] = stat.StdDev(qs[j], nil) / math.Sqrt(Batches)
	}
	return out
}

// Summaries summarises every metric, in the model's order.
func (r *Result) Summaries() []Summary {
	out := make([]Summary, len(r.Metrics))
	parallel.For(len(r.Metrics), func(k int) {
		out[k] = Summarize(r.Metrics[k].Name, r.Column(k))
	})
	return out
}

// PTarget returns the share of trials in which the metric reached at least
// x, and its MCSE √(p(1-p)/N).
func (r *Result) PTarget(name string, x float64) (p, mcse float64, err error) {
	v, ok := r.Metric(name)
	if !ok {
		return 0, 0, fmt.Errorf("no metric %q", name)
	}
	p, mcse = AtLeast(v, x)
	return p, mcse, nil
}

// AtLeast returns the share of the finite values that reach x, and its
// MCSE √(p(1-p)/N); NaN for none.
func AtLeast(values []float64, x float64) (p, mcse float64) {
	v := finite(values)
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	hit := 0
	for _, y := range v {
		if y >= x {
			hit++
		}
	}
	p = float64(hit) / float64(len(v))
	return p, math.Sqrt(p * (1 - p) / float64(len(v)))
}

// Week summarises cumulative revenue and wins at the end of one week.
type Week struct {
	Week    int
	Revenue Summary
	Wins    Summary
}

// WeeklySummaries summarises the cumulative paths week by week.
func (r *Result) WeeklySummaries() []Week {
	out := make([]Week, r.Weeks)
	parallel.For(r.Weeks, func(w int) {
		fs := sorters.Get().(*floatSorter)
		defer sorters.Put(fs)
		rev, wins := fs.week(r.Trials)
		r.weekColumns(w, rev, wins)
		out[w] = Week{Week: w + 1, Revenue: fs.summarize("revenue", rev), Wins: fs.summarize("wins", wins)}
	})
	return out
}

// addWarnings notes where the trials are too few for the reported
// precision: the median revenue's MCSE should be within 1% of it.
func (r *Result) addWarnings() {
	v, ok := r.Metric("revenue")
	if !ok {
		return
	}
	s := Summarize("revenue", v)
	q := s.Q(0.5)
	if math.IsNaN(q.MCSE) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d trials are too few for Monte Carlo standard errors of quantiles; use at least %d", r.Trials, 10*Batches))
		return
	}
	if q.Value > 0 && q.MCSE > 0.01*q.Value {
		need := float64(r.Trials) * math.Pow(q.MCSE/(0.01*q.Value), 2)
		r.Warnings = append(r.Warnings, fmt.Sprintf("median revenue is known to ±%.1f%% (1 MCSE); for ±1%% run at least %.0f trials", 100*q.MCSE/q.Value, math.Ceil(need/1000)*1000))
	}
}

// Quantile returns the summary's quantile at probability p (one of Probs)
// and its MCSE; ok is false for a p not summarised.
func (s Summary) Quantile(p float64) (value, mcse float64, ok bool) {
	for _, q := range s.Quantiles {
		if math.Abs(q.P-p) < 1e-9 {
			return q.Value, q.MCSE, true
		}
	}
	return math.NaN(), math.NaN(), false
}
