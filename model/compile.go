package model

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/funnelsim/funnelsim/model/rng"
)

// plan is a validated model compiled to indices and posterior parameters:
// what every trial starts from.
type plan struct {
	m *Model
	posterior
	maxAge int   // ages at or above the last band start share one cell
	bandOf []int // band of each age 0..maxAge
	// slotOf is each age cell's weekly-probability slot: 2b for a week
	// inside band b, 2b+1 for a week that ends in band b+1 (see cellRates).
	slotOf []int
	nSlot  int

	salesStart, sqlStage, oppStage int
	// closeCap says the reps' close capacity limits exits from the
	// opportunity stage on (Reps.CloseCapacity).
	closeCap bool

	phi, spend []float64 // per channel
	damping    []float64 // per channel; 1 for none
	// seasonBasis is, for each week the engine can run, the cosines and
	// sines of the season's harmonics at the middle of the week.
	seasonBasis [][]float64

	open []int32 // initial counts, indexed by cell(c, s, a)
	// start is open less the leads followed one by one (tracked), and occ
	// its occupied ages, as the worker's occupancy masks.
	start   []int32
	occ     []uint64
	tracked []dealState
	deals   []dealState
	queue   []int

	// groupNames names the groups of a run by group (Options.By): those
	// given shares of the hand-offs, then those owning deals and given
	// none; groupCum is the shares' running sum, by which a deal with no
	// group gets one.
	groupNames []string
	groupCum   []float64
	// cycle is, per forecast week, the quarter cycle's factors on the
	// stages from the opportunity stage on; nil for none.
	cycle []cycleWeek
	// track says what a run keeps beyond the totals (Options.Deals,
	// ByRep and From); the zero value keeps nothing.
	track tracking

	epochs []epoch // what the model's changes make of it, by week

	metrics metricIndex
}

// posterior is what a trial's parameters are drawn from: the funnel's
// shape and every posterior. Two plans with equal posteriors draw the
// same parameters from the same streams, so that a model and its
// scenarios (which differ only in changes from given weeks, in reps and
// in the queue's cold rate) run on one draw a trial (RunAll).
type posterior struct {
	nS, nC, nB int
	bands      []int // the age bands' starts, in weeks

	// Gamma posteriors of the weekly hazards, indexed by hz(s, c, b).
	advShape, lostShape, rate []float64

	// dest[s] lists the stages an advance from s can land in (nS is won),
	// with Dirichlet weights destAlpha[s]; a single entry needs no draw.
	dest      [][]int
	destAlpha [][]float64

	arrShape, arrRate []float64   // Gamma posterior of each channel's weekly mean
	trend, trendSE    []float64   // per channel: the log trend a week, and its standard error
	shockK            float64     // Gamma(k, k) shock; 0 means none
	shockDF           float64     // degrees of freedom of 1/shockK; 0 for fixed
	season            *seasonPlan // yearly cycle of arrivals; nil for none

	deal []nig // per channel
	// emp is, per channel, its empirical deal sizes (nil for the
	// lognormal); pool the overall amounts, nil where none are given.
	emp  []*empirical
	pool *empirical
}

// equal says whether two posteriors are the same: their fields deeply
// equal, so that a field added to posterior is compared with the rest.
func (a *posterior) equal(b *posterior) bool { return reflect.DeepEqual(a, b) }

// nig is a Normal-Inverse-Gamma posterior of a lognormal's (μ, σ²):
// σ² ~ InvGamma(alpha, beta), μ | σ² ~ N(mu, σ²/kappa).
type nig struct{ mu, kappa, alpha, beta float64 }

// newNIG is the posterior under the vague prior κ0 → 0, α0 = 1, β0 = 0, so
// that the posterior mean of σ² is the sample variance of the log amounts.
func newNIG(d LogNormal) nig {
	return nig{mu: d.LogMean, kappa: d.Deals, alpha: 1 + d.Deals/2, beta: d.Deals * d.LogSD * d.LogSD / 2}
}

// tracking is what a run keeps beyond the totals: each listed deal's wins
// (deals), wins and revenue by group (groups), from week from on.
type tracking struct {
	deals, groups bool
	from          int
}

// setGroups lists the groups of a run by by ("rep" or a segment's name;
// "" for none): those with shares, then the deals' others; and gives
// each deal its group.
func (p *plan) setGroups(by string) {
	p.groupNames, p.groupCum = nil, nil
	for i := range p.deals {
		p.deals[i].group = -1
	}
	if by == "" {
		return
	}
	var shares []ValueShare
	of := func(d OpenDeal) string { return d.Segments[by] }
	if by == "rep" {
		for _, s := range p.m.Reps.Shares {
			shares = append(shares, ValueShare{Value: s.Rep, Share: s.Share})
		}
		of = func(d OpenDeal) string { return d.Rep }
	} else if s := p.m.segment(by); s != nil {
		shares = s.Shares
	}
	sum := 0.0
	for _, s := range shares {
		p.groupNames = append(p.groupNames, s.Value)
		sum += s.Share
		p.groupCum = append(p.groupCum, sum)
	}
	for _, d := range p.m.Pipeline.Deals {
		if g := of(d); g != "" && !slices.Contains(p.groupNames, g) {
			p.groupNames = append(p.groupNames, g)
		}
	}
	if sum > 0 {
		for i := range p.groupCum {
			p.groupCum[i] /= sum
		}
	}
	for i, d := range p.m.Pipeline.Deals {
		if g := of(d); g != "" {
			p.deals[i].group = slices.Index(p.groupNames, g)
		}
	}
}

// pickGroup is the group, by the shares, at u in [0, 1); -1 where no
// group has a share.
func (p *plan) pickGroup(u float64) int {
	if len(p.groupCum) == 0 || p.groupCum[len(p.groupCum)-1] == 0 {
		return -1
	}
	i, _ := slices.BinarySearch(p.groupCum, u)
	return min(i, len(p.groupCum)-1)
}

// segment is the segment named name, or nil.
func (m *Model) segment(name string) *Segment {
	for i := range m.Segments {
		if m.Segments[i].Name == name {
			return &m.Segments[i]
		}
	}
	return nil
}

// segmentNames lists the segments' names for a message.
func (m *Model) segmentNames() string {
	if len(m.Segments) == 0 {
		return "none (calibrate keeps the attributes of at most 20 values)"
	}
	var names []string
	for _, s := range m.Segments {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

// dealState is an open lead followed one by one: a deal with a known
// amount (known), or an old lead of the opening pipeline (see trackMax).
// It has a stage, channel and age in weeks; id is its index among the
// worker's, and next the next to leave its stage in the week this one does
// (scheduleDeal).
type dealState struct {
	stage, ch, age int
	group          int // its index in plan.groupNames, or -1 for none
	id             int
	key            uint64 // its index among the plan's deals and tracked leads, for its counter
	next           int32
	amount         float64
	known          bool
	rand           rng.Counter // its own numbers, so that its path never shifts another's
}

// trackMax is the most open leads of the opening pipeline in one sales
// cell (stage, channel and weeks in stage) that are followed one by one,
// like deals, rather than as a cohort. The pipeline's old leads sit one or
// two to a cell for many weeks; a cohort visits each cell every week,
// while a lead followed alone costs one draw for its whole time in a stage.
const trackMax = 4

func (p *plan) hz(s, c, b int) int { return (s*p.nC+c)*p.nB + b }

// hs indexes the weekly probabilities of slot k of stage s and channel c.
func (p *plan) hs(s, c, k int) int { return (s*p.nC+c)*p.nSlot + k }

func (p *plan) cell(c, s, a int) int { return (c*p.nS+s)*(p.maxAge+1) + a }

// minPrior keeps every Gamma prior proper when a band has no data at all.
const minPrior = 1e-3

func compile(m *Model) (*plan, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	p := &plan{m: m, posterior: posterior{nS: len(m.Stages), nC: len(m.Channels), nB: len(m.Bands), bands: slices.Clone(m.Bands)}}
	p.maxAge = m.Bands[p.nB-1]
	p.bandOf = make([]int, p.maxAge+1)
	for a := range p.bandOf {
		for b := p.nB - 1; b >= 0; b-- {
			if a >= m.Bands[b] {
				p.bandOf[a] = b
				break
			}
		}
	}
	p.nSlot = 2*p.nB - 1
	p.slotOf = make([]int, p.maxAge+1)
	for a, b := range p.bandOf {
		p.slotOf[a] = 2 * b
		if b+1 < p.nB && a+1 == m.Bands[b+1] {
			p.slotOf[a]++
		}
	}
	p.salesStart = m.StageIndex(m.SalesStart)
	p.sqlStage = m.StageIndex(m.SQLStage)
	p.oppStage = m.StageIndex(m.OpportunityStage)
	p.closeCap = !m.Reps.Unlimited && m.Reps.CloseCapacity > 0
	p.compileHazards()
	if err := p.compileSkips(); err != nil {
		return nil, err
	}
	p.compileArrivals()
	if err := p.compileSeason(); err != nil {
		return nil, err
	}
	p.compileChanges()
	p.compileDeals()
	if err := p.checkDerived(); err != nil {
		return nil, err
	}
	if err := p.compilePipeline(); err != nil {
		return nil, err
	}
	p.metrics = newMetricIndex(m)
	return p, nil
}

// compileHazards sets each channel's Gamma posterior with a prior centred
// on the stage's pooled hazard in that band, of strength PoolWeeks.
func (p *plan) compileHazards() {
	n := p.nS * p.nC * p.nB
	p.advShape, p.lostShape, p.rate = make([]float64, n), make([]float64, n), make([]float64, n)
	for s, st := range p.m.Stages {
		bands := make([][]Band, p.nC)
		for _, e := range st.Exits {
			bands[p.m.ChannelIndex(e.Channel)] = e.Bands
		}
		adv, lost := pooledRates(bands, p.nB)
		k := max(st.PoolWeeks, minPrior)
		for c := range p.nC {
			for b := range p.nB {
				i := p.hz(s, c, b)
				bd := bands[c][b]
				p.advShape[i] = k*adv[b] + minPrior + bd.Advance
				p.lostShape[i] = k*lost[b] + minPrior + bd.Lost
				p.rate[i] = k + bd.Exposure
			}
		}
	}
}

// pooledRates returns the all-channel hazards per band; a band with no
// exposure borrows the nearest earlier band's (or, failing that, later).
func pooledRates(bands [][]Band, nB int) (adv, lost []float64) {
	adv, lost = make([]float64, nB), make([]float64, nB)
	has := make([]bool, nB)
	for b := range nB {
		var e, da, dl float64
		for _, ch := range bands {
			e += ch[b].Exposure
			da += ch[b].Advance
			dl += ch[b].Lost
		}
		if e > 0 {
			adv[b], lost[b], has[b] = da/e, dl/e, true
		}
	}
	for b := range nB {
		if has[b] {
			continue
		}
		for d := 1; d < nB; d++ {
			if j := b - d; j >= 0 && has[j] {
				adv[b], lost[b] = adv[j], lost[j]
				break
			}
			if j := b + d; j < nB && has[j] {
				adv[b], lost[b] = adv[j], lost[j]
				break
			}
		}
	}
	return adv, lost
}

func (p *plan) compileSkips() error {
	p.dest = make([][]int, p.nS)
	p.destAlpha = make([][]float64, p.nS)
	for s, st := range p.m.Stages {
		total := 0.0
		for _, e := range st.Exits {
			for _, b := range e.Bands {
				total += b.Advance
			}
		}
		next := s + 1
		p.dest[s] = []int{next}
		if len(st.Skips) == 0 {
			continue
		}
		skipped := 0.0
		for j, sk := range st.Skips {
			to := p.m.StageIndex(sk.To)
			if s < p.salesStart && to > p.salesStart {
				return fmt.Errorf("stages[%s].skips[%d].to: %q skips the hand-off stage %q, which every lead for sales must enter", st.Name, j, sk.To, p.m.SalesStart)
			}
			p.dest[s] = append(p.dest[s], to)
			p.destAlpha[s] = append(p.destAlpha[s], sk.Count+0.5)
			skipped += sk.Count
		}
		// Jeffreys' Dirichlet(½, …) prior on the destination shares.
		p.destAlpha[s] = append([]float64{math.Max(total-skipped, 0) + 0.5}, p.destAlpha[s]...)
	}
	return nil
}

func (p *plan) compileArrivals() {
	p.arrShape, p.arrRate = make([]float64, p.nC), make([]float64, p.nC)
	p.phi, p.trend, p.trendSE, p.spend = make([]float64, p.nC), make([]float64, p.nC), make([]float64, p.nC), make([]float64, p.nC)
	for c, ch := range p.m.Channels {
		// The mean of n weekly NB2 counts has CV² = (1/μ + 1/φ)/n; a Gamma
		// with that CV carries the mean's uncertainty into each trial.
		if ch.WeeklyLeads > 0 {
			k := ch.HistoryWeeks / (1/ch.WeeklyLeads + 1/ch.Dispersion)
			p.arrShape[c], p.arrRate[c] = k, k/ch.WeeklyLeads
		}
		p.phi[c], p.trend[c], p.trendSE[c], p.spend[c] = ch.Dispersion, ch.Trend, ch.TrendSE, ch.WeeklySpend
		p.damping = append(p.damping, 1)
		if ch.Damping > 0 {
			p.damping[c] = ch.Damping
		}
	}
	if cv := p.m.ArrivalShockCV; cv > 0 {
		p.shockK = 1 / (cv * cv)
		p.shockDF = p.m.ArrivalShockDF
	}
}

// compileSeason compiles the yearly cycle of arrivals and the phase of
// the year at the middle of every week the engine can run.
func (p *plan) compileSeason() error {
	sp, err := newSeasonPlan(p.m.ArrivalSeason)
	if err != nil || sp == nil {
		return err
	}
	p.season = sp
	p.seasonBasis = make([][]float64, MaxWeeks)
	for t := range p.seasonBasis {
		y := SeasonPhase(p.m.AsOf.Add(time.Duration(t)*7*24*time.Hour + 84*time.Hour))
		p.seasonBasis[t] = SeasonBasis(y, len(sp.mean)/2)
	}
	return nil
}

func (p *plan) compileDeals() {
	p.deal = make([]nig, p.nC)
	for c := range p.deal {
		p.deal[c] = newNIG(p.m.DealSize.LogNormal)
	}
	for _, d := range p.m.DealSize.Channels {
		p.deal[p.m.ChannelIndex(d.Channel)] = newNIG(d.LogNormal)
	}
	p.emp = make([]*empirical, p.nC)
	if p.pool = newEmpirical(p.m.DealSize.Amounts, 0); p.pool == nil {
		return
	}
	for c := range p.emp {
		p.emp[c] = p.pool
	}
	for _, d := range p.m.DealSize.Channels {
		if e := newEmpirical(d.Amounts, PoolDeals); e != nil {
			p.emp[p.m.ChannelIndex(d.Channel)] = e
		}
	}
}

func (p *plan) compilePipeline() error {
	p.compileCycle()
	p.open = make([]int32, p.nC*p.nS*(p.maxAge+1))
	for _, o := range p.m.Pipeline.Open {
		i := p.cell(p.m.ChannelIndex(o.Channel), p.m.StageIndex(o.Stage), min(o.Weeks, p.maxAge))
		if int64(p.open[i])+int64(o.Count) > math.MaxInt32/4 {
			return fmt.Errorf("pipeline.open: more than %d leads in one cell", math.MaxInt32/4)
		}
		p.open[i] += int32(o.Count)
	}
	for i, d := range p.m.Pipeline.Deals {
		s := p.m.StageIndex(d.Stage)
		if s < p.salesStart {
			return fmt.Errorf("pipeline.deals[%d].stage: %q is before the hand-off stage %q; open deals are sales stages", i, d.Stage, p.m.SalesStart)
		}
		p.deals = append(p.deals, dealState{stage: s, ch: p.m.ChannelIndex(d.Channel), age: min(d.Weeks, p.maxAge), amount: d.Amount, known: d.Amount > 0, group: -1})
	}
	p.start = slices.Clone(p.open)
	for c := range p.nC {
		for s := p.salesStart; s < p.nS; s++ {
			for a := 0; a <= p.maxAge; a++ {
				if n := p.start[p.cell(c, s, a)]; n <= trackMax {
					for range n {
						p.tracked = append(p.tracked, dealState{stage: s, ch: c, age: a, group: -1})
					}
					p.start[p.cell(c, s, a)] = 0
				}
			}
		}
	}
	p.occ = make([]uint64, p.nS*p.nC*(p.maxAge/64+1))
	for c := range p.nC {
		for s := range p.nS {
			for a := 0; a <= p.maxAge; a++ {
				if p.start[p.cell(c, s, a)] > 0 {
					p.occ[(s*p.nC+c)*(p.maxAge/64+1)+a/64] |= 1 << (a % 64)
				}
			}
		}
	}
	p.queue = make([]int, p.nC)
	for _, q := range p.m.Pipeline.Queue {
		p.queue[p.m.ChannelIndex(q.Channel)] += q.Count
	}
	return nil
}

// trendWeeks is the weeks of trend in channel c's mean in forecast week t:
// t undamped, φ + … + φ^t damped.
func (p *plan) trendWeeks(c, t int) float64 {
	phi := p.damping[c]
	if phi == 1 {
		return float64(t)
	}
	return phi * (1 - math.Pow(phi, float64(t))) / (1 - phi)
}

// capacity is the team's hand-off capacity in forecast week t.
func (p *plan) capacity(t int) float64 { return p.reps(t) * p.m.Reps.WeeklyCapacity }

// closeCapacity is the team's close capacity in forecast week t, when the
// model has one (closeCap).
func (p *plan) closeCapacity(t int) float64 { return p.reps(t) * p.m.Reps.CloseCapacity }

// reps is the team's size in forecast week t, new hires counted as the
// share of a rep their ramp gives them.
func (p *plan) reps(t int) float64 {
	r := p.m.Reps
	reps := float64(r.Count)
	for _, h := range r.Hires {
		if t < h.Week {
			continue
		}
		ramp := 1.0
		if h.Count > 0 && r.RampWeeks > 0 {
			ramp = math.Min(1, float64(t-h.Week+1)/float64(r.RampWeeks))
		}
		reps += float64(h.Count) * ramp
	}
	return math.Max(reps, 0)
}
