package calibrate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/model"
)

// Options say how to turn a history into a model.
type Options struct {
	// AsOf is the cut-off: the history is taken as it was known at its
	// start (nothing on or after it is seen). Zero means the day after the
	// latest date in the history.
	AsOf time.Time
	// StaleAfter turns a lead open that long in its stage with no later
	// event into a loss at entry+StaleAfter; zero never does.
	StaleAfter time.Duration
	// DeriveStale, when StaleAfter is zero, derives it from the data:
	// the 95th percentile of the stays in a stage that ended (in an
	// advance, a win or a loss), in whole weeks, at least 4.
	DeriveStale bool
	// HazardHalfLife is the half-life, in weeks, of the weights that put
	// recent stays first in the stage hazards; zero chooses it for each
	// stage from the data (chooseHalfLives), +Inf weighs every stay alike.
	HazardHalfLife float64
	// halfLives is each stage's half-life, as given or chosen.
	halfLives []float64
	// EventsFrom says that the history records stage changes and closes
	// only from this date, and LeadsUntil that it records new leads only
	// up to this date; zero finds them from the data (see Windows).
	EventsFrom, LeadsUntil time.Time
	// Without turns off parts of the estimation, to measure what each
	// contributes (backtest ablations); the zero value uses them all.
	Without Parts

	// Bands are the starts of the age bands in weeks (default
	// DefaultBands).
	Bands        []int
	HorizonWeeks int // default 13
	// FiscalYearStart is the month (1 to 12) the fiscal year starts in,
	// for the quarter cycle of closes; 0 means January.
	FiscalYearStart int
	// SalesStart, SQLStage and OpportunityStage name the hand-off, SQL
	// and opportunity stages (defaults sal, sql and opportunity, or the
	// nearest stage the funnel has).
	SalesStart, SQLStage, OpportunityStage string
	// PoolWeeks is the strength, in lead-weeks of exposure, with which
	// each channel's hazards are pulled toward the stage's (default 4).
	PoolWeeks float64
	// ArrivalWeeks is how many recent weeks estimate each channel's
	// arrivals: level, dispersion and trend (default 26).
	ArrivalWeeks int
	// DealSize, when positive, is the amount assumed for every won deal
	// of a history that records no amounts (such a history is otherwise
	// an error). It is an assumption, reported as one, not an estimate.
	DealSize float64
	// Names names these settings in messages that advise one.
	Names SettingNames
	// Spend is the weekly spend per channel (ReadSpend); nil leaves every
	// channel's spend at zero.
	Spend          *Spend
	Name, Currency string
	Source         string // for the model's provenance

	ctx context.Context // Estimate's, for the passes over the leads
}

// Parts are the parts of the estimation that follow what real exports
// do; each set field turns one off.
type Parts struct {
	Windows   bool // observation windows: no delayed entry, arrivals over every week
	Damping   bool // the trend undamped
	Shock     bool // the arrival shock fixed at its prior, 0.05
	Recency   bool // every stay alike in the stage hazards
	Empirical bool // lognormal deal sizes, however many won deals
	Stale     bool // no stale rule derived from the data
	Capacity  bool // no close capacity, however flat the closes
	Season    bool // no yearly season of arrivals, however long the history
	Rank      bool // the arrival trend kept on its likelihood's test, not the rank test
	Shift     bool // no change of level in the last weeks of arrivals
	Growth    bool // no growth sustained over years
	Level     bool // the level of leads from the last 26 weeks, however steady the years before
	Drift     bool // each stage's conversion as the window's, however it drifts
	Cycle     bool // no quarter cycle of closes, however clear
	Holdout   bool // a channel's own trend kept wherever the tests find one, however it forecast the history's past quarters
}

// PartNames name the fields of Parts, as the command line gives them.
var PartNames = []string{"windows", "damping", "shock", "recency", "empirical", "stale", "capacity", "season", "rank", "shift", "growth", "level", "drift", "cycle", "holdout"}

// Set turns off the part of the given name.
func (p *Parts) Set(name string) error {
	f := map[string]*bool{"windows": &p.Windows, "damping": &p.Damping, "shock": &p.Shock, "recency": &p.Recency, "empirical": &p.Empirical, "stale": &p.Stale, "capacity": &p.Capacity, "season": &p.Season, "rank": &p.Rank, "shift": &p.Shift, "growth": &p.Growth, "level": &p.Level, "drift": &p.Drift, "cycle": &p.Cycle, "holdout": &p.Holdout}[name]
	if f == nil {
		return fmt.Errorf("calibrate: no part %q to turn off (%s)", name, strings.Join(PartNames, ", "))
	}
	*f = true
	return nil
}

const week = 7 * 24 * time.Hour

func (o *Options) defaults(h *History) {
	if len(o.Bands) == 0 {
		o.Bands = DefaultBands
	}
	if o.HorizonWeeks == 0 {
		o.HorizonWeeks = 13
	}
	if o.PoolWeeks == 0 {
		o.PoolWeeks = 4
	}
	if o.ArrivalWeeks == 0 {
		o.ArrivalWeeks = 26
	}
	if o.Name == "" {
		o.Name = "Calibrated funnel"
	}
	if o.Currency == "" {
		o.Currency = "USD"
	}
	pick := func(v *string, want string, fallback int) {
		if *v != "" {
			return
		}
		if slices.Contains(h.Stages, want) {
			*v = want
			return
		}
		*v = h.Stages[min(fallback, len(h.Stages)-1)]
	}
	pick(&o.SalesStart, "sal", 0)
	pick(&o.SQLStage, "sql", slices.Index(h.Stages, o.SalesStart))
	pick(&o.OpportunityStage, "opportunity", slices.Index(h.Stages, o.SQLStage))
	if o.AsOf.IsZero() {
		o.AsOf = h.Last().Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Estimate calibrates a model from the history as known at o.AsOf,
// stopping with ctx's error once ctx is done.
func Estimate(ctx context.Context, h *History, o Options) (*model.Model, error) {
	o.ctx = ctx
	if len(h.Leads) == 0 {
		return nil, errors.New("calibrate: no usable leads in the history")
	}
	o.defaults(h)
	if o.Without.Recency && o.HazardHalfLife == 0 {
		o.HazardHalfLife = math.Inf(1)
	}
	if o.StaleAfter == 0 && o.DeriveStale && !o.Without.Stale {
		var derived bool
		o.StaleAfter, derived = chooseStale(h, o)
		switch {
		case derived:
			h.Report.warn("leads open more than %.0f weeks in a stage count as lost: the 95th percentile of the stays that ended (%s sets it)", o.StaleAfter.Hours()/168, o.Names.of(SetStaleAfter))
		case o.StaleAfter == 0:
			h.Report.warn("no lead open long in a stage counts as lost: on the last %d weeks, the leads open longest advanced as the hazards say (%s sets a rule)", holdoutWeeks, o.Names.of(SetStaleAfter))
		default:
			h.Report.warn("leads open more than %.0f weeks in a stage count as lost: that forecast the last %d weeks' advances best (%s sets it)", o.StaleAfter.Hours()/168, holdoutWeeks, o.Names.of(SetStaleAfter))
		}
	}
	if o.HazardHalfLife == 0 {
		o.halfLives = chooseHalfLives(h, o)
	}
	m, err := estimate(h, o)
	if err != nil || o.Without.Drift {
		return m, err
	}
	f := conversionDrift(h, m, &o)
	applyDrift(m, f)
	for s, x := range f {
		if x != 1 {
			h.Report.warn("stage %s: its conversion drifts over the last quarters of entries (rank test); its advances are scaled ×%.2f to today's rate (--without drift ignores it)", h.Stages[s], x)
			m.Provenance.Warnings = append(m.Provenance.Warnings, h.Report.Warnings[len(h.Report.Warnings)-1])
		}
	}
	return m, nil
}

// estimate calibrates with o's defaults set and its half-life chosen.
func estimate(h *History, o Options) (*model.Model, error) {
	e := newEstimator(h, &o)
	for i := range h.Leads {
		if i%checkEvery == 0 && o.ctx != nil {
			if err := o.ctx.Err(); err != nil {
				return nil, fmt.Errorf("calibrate: %w", err)
			}
		}
		e.lead(&h.Leads[i])
	}
	if e.used == 0 {
		return nil, fmt.Errorf("calibrate: no lead was created before the as-of date %s", o.AsOf.Format(time.DateOnly))
	}
	m, err := e.model()
	if err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("calibrate: the estimated model is not valid: %w", err)
	}
	return m, nil
}

// estimator accumulates the sufficient statistics of one history.
type estimator struct {
	h        *History
	o        *Options
	nS, nB   int
	sales    int // index of the hand-off stage
	opp      int // index of the opportunity stage
	channels []string
	chIndex  map[string]int

	bands [][][]model.Band // [stage][channel][band]
	skips [][]float64      // [stage][destination stage]
	// open pipeline at the as-of date
	open  map[model.Cohort]int
	deals []model.OpenDeal
	// arrivals per channel and week back from the as-of date
	arrivals [][]float64
	window   int
	amounts  [][]float64 // amounts of won deals, per channel
	zeroWon  int
	reps     map[string]int // hand-offs per rep in the recent weeks
	// dealLeads are the leads of deals, for their segments; segs are the
	// attributes that are segments (segmentAttrs, found by the model).
	dealLeads []*Lead
	segs      []int
	// cycle counts the stays from the opportunity stage on by month of
	// the fiscal quarter (cycleStay).
	cycle    cycleStats
	handoffs []float64 // hand-offs per recent week (for capacity)
	// closeStays are the stays from the opportunity stage on, for the
	// close capacity (closeTallies, capacityForecasts).
	closeStays []closeStay

	path                        []int // lead's buffer
	record                      func(s int, weeks float64, how exit)
	used, after, stale, wonSkip int
	lastCreated                 time.Time
	end                         time.Time // the history's last date
	win                         Windows
	arrEnd                      time.Time // the end of the weeks of arrivals counted
	thinWeeks                   int       // the last weeks left out as the export thinning out
	shiftWeeks                  int       // the last weeks after a change of level; 0 for none
	shiftRatio                  float64   // the level after it over the level before
	cut                         bool      // the export stops recording leads weeks before the as-of date
	allWeeks                    []float64 // all channels' arrivals per week back from arrEnd, over the leads' window
	// growth is the weekly log growth all channels' arrivals sustain over
	// years, with its standard error, where grows (sustainedGrowth).
	growth, growthSE float64
	grows            bool
	// long holds each channel's arrivals per week back, over up to the
	// longest of levelWindows (arrivals is its first window weeks);
	// levelWeeks is how many of them give a channel without a trend its
	// level (levelWindow).
	long       [][]float64
	levelWeeks int
}

func newEstimator(h *History, o *Options) *estimator {
	e := &estimator{h: h, o: o, nS: len(h.Stages), nB: len(o.Bands), sales: slices.Index(h.Stages, o.SalesStart), opp: slices.Index(h.Stages, o.OpportunityStage), chIndex: map[string]int{}, open: map[model.Cohort]int{}, reps: map[string]int{}}
	e.end = h.Last()
	e.win = findWindows(h, o, o.Bands)
	for i := range h.Leads {
		l := &h.Leads[i]
		if _, ok := e.chIndex[l.Channel]; !ok {
			e.chIndex[l.Channel] = 0
			e.channels = append(e.channels, l.Channel)
		}
	}
	slices.Sort(e.channels)
	for i, c := range e.channels {
		e.chIndex[c] = i
	}
	nC := len(e.channels)
	e.bands = make([][][]model.Band, e.nS)
	e.skips = make([][]float64, e.nS)
	for s := range e.nS {
		e.bands[s] = make([][]model.Band, nC)
		for c := range nC {
			e.bands[s][c] = make([]model.Band, e.nB)
			for b, w := range o.Bands {
				e.bands[s][c][b].Weeks = w
			}
		}
		e.skips[s] = make([]float64, e.nS)
	}
	// Arrivals are counted back from the as-of date, or from the end of
	// the leads' window where the export stops recording leads weeks
	// before it, over weeks inside the window.
	e.arrEnd = o.AsOf
	if until := e.win.LeadsUntil.Truncate(24 * time.Hour).Add(24 * time.Hour); e.leadsCut(until) {
		e.arrEnd, e.cut = until, true
	}
	if o.LeadsUntil.IsZero() && !o.Without.Windows {
		if k := e.thinning(); k > 0 {
			e.thinWeeks = k
			e.arrEnd = e.arrEnd.Add(-time.Duration(k) * week)
		}
	}
	e.window = 0
	if !e.win.LeadsFrom.IsZero() {
		all := max(0, int(e.arrEnd.Sub(e.win.LeadsFrom)/week))
		e.window = min(o.ArrivalWeeks, all)
		e.allWeeks = make([]float64, all)
	}
	e.arrivals = make([][]float64, nC)
	e.long = make([][]float64, nC)
	e.amounts = make([][]float64, nC)
	for c := range nC {
		// The arrival window is the first weeks of the longer one.
		e.long[c] = make([]float64, max(e.window, min(slices.Max(levelWindows), len(e.allWeeks))))
		e.arrivals[c] = e.long[c][:e.window]
	}
	e.handoffs = make([]float64, 13)
	return e
}

// leadsCut reports whether the history stops recording leads at until,
// weeks before the as-of date: at the rate of the weeks before it, the
// weeks since would have had more than truncationEvents leads, so that
// none coming is no quiet spell.
func (e *estimator) leadsCut(until time.Time) bool {
	gap := e.o.AsOf.Sub(until)
	if gap < 2*week {
		return false
	}
	span := time.Duration(e.o.ArrivalWeeks) * week
	if d := until.Sub(e.win.LeadsFrom); d < span {
		span = d
	}
	if span < week {
		return false
	}
	n := 0
	for i := range e.h.Leads {
		if c := e.h.Leads[i].Created(); !c.Before(until.Add(-span)) && c.Before(until) {
			n++
		}
	}
	return float64(n)/span.Hours()*gap.Hours() > truncationEvents
}

// thinning returns how many of the last weeks before e.arrEnd hold so
// few leads, against the rate of the ArrivalWeeks before them, that the
// export looks to thin out there rather than the business to stop: of the
// stretches of up to 13 weeks with under half the leads due and a chance
// of so few below e^−10 (a Chernoff bound on the Poisson tail), the one
// where a step down in the Poisson rate is likeliest (the change point's
// maximum likelihood), so that a gradual thinning is cut where it starts
// and not where it began to look significant; 0 for none.
func (e *estimator) thinning() int {
	const most = 13
	n := e.o.ArrivalWeeks + most
	y := make([]float64, n) // y[k]: leads k weeks back from arrEnd
	for i := range e.h.Leads {
		c := e.h.Leads[i].Created()
		if !c.Before(e.arrEnd) || c.Before(e.win.LeadsFrom) {
			continue
		}
		if k := int(e.arrEnd.Sub(c) / week); k < n {
			y[k]++
		}
	}
	avail := int(e.arrEnd.Sub(e.win.LeadsFrom) / week)
	best, bestLR := 0, 0.0
	for k := 2; k <= most; k++ {
		before := min(e.o.ArrivalWeeks, avail-k)
		if before < 13 {
			break
		}
		got, base := stretchSums(y, k, before)
		due := base / float64(before) * float64(k)
		if got >= due/2 || poissonTail(got, due) >= -truncationEvents {
			continue
		}
		if lr := stepLR(got, base, k, before); lr > bestLR {
			best, bestLR = k, lr
		}
	}
	return best
}

// poissonTail is the Chernoff bound on the log chance of a Poisson count
// as far from its mean due as got, on got's side: −due + got + got·log(due/got).
func poissonTail(got, due float64) float64 {
	return -due + got - xlogy(got, got/due)
}

// stepLR is the log likelihood ratio of a step in a Poisson rate, got
// events over the last k weeks after base over the before weeks before
// them, against one rate over all k + before weeks.
func stepLR(got, base float64, k, before int) float64 {
	all := got + base
	return xlogy(got, got/float64(k)) + xlogy(base, base/float64(before)) - xlogy(all, all/float64(k+before))
}

// stretchSums returns the sums of y[:k], the last k weeks, and of the
// before weeks ahead of them, y[k:k+before].
func stretchSums(y []float64, k, before int) (got, base float64) {
	return floats.Sum(y[:k]), floats.Sum(y[k : k+before])
}

// xlogy is x·log(y), 0 where x is.
func xlogy(x, y float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(y)
}

// levelShift returns how many of the last weeks of arrivals (all
// channels', with any season taken out) follow a change of level, and the
// rate after it over the rate before; 0 weeks for none. A change is a step
// in the Poisson rate 3 to ArrivalWeeks weeks back, against the up to
// ArrivalWeeks before it (at least 13): as unlikely at the old rate as a
// thinning must be (a chance below e^−10, scaled by the weeks' own
// dispersion), with every week after it nearer the new rate than the old
// on the log scale, so that a burst of a week or two followed by a week
// back at the old rate is no step. Of the steps that pass, the likeliest
// (the change point's maximum likelihood).
func (e *estimator) levelShift() (weeks int, ratio float64) {
	y := e.allWeeks // y[k]: k weeks back from arrEnd
	best, bestLR, bestRatio := 0, 0.0, 1.0
	for k := 3; k <= e.o.ArrivalWeeks; k++ {
		before := min(e.o.ArrivalWeeks, len(y)-k)
		if before < 13 {
			break
		}
		got, base := stretchSums(y, k, before)
		if got == 0 || base == 0 {
			continue
		}
		now, then := got/float64(k), base/float64(before)
		// The weeks' own spread before the step (the Pearson dispersion
		// about their mean, at least Poisson's) scales the chance, as
		// quasi-likelihood does for overdispersed counts.
		disp := 0.0
		for j := k; j < k+before; j++ {
			disp += (y[j] - then) * (y[j] - then) / then
		}
		disp = math.Max(1, disp/float64(before-1))
		if poissonTail(got, then*float64(k))/disp >= -truncationEvents {
			continue
		}
		nearer := true
		for j := range k {
			v := math.Max(y[j], 0.5)
			if math.Abs(math.Log(v/now)) >= math.Abs(math.Log(v/then)) {
				nearer = false
				break
			}
		}
		if !nearer {
			continue
		}
		if lr := stepLR(got, base, k, before); lr > bestLR {
			best, bestLR, bestRatio = k, lr, now/then
		}
	}
	return best, bestRatio
}

// known returns t if it happened before the as-of date, else zero.
func (e *estimator) known(t time.Time) time.Time {
	if t.Before(e.o.AsOf) {
		return t
	}
	return time.Time{}
}

// lead adds one lead's stage episodes: each stage it entered, from entry
// to the next stage it reached (an advance), to its loss, or, still open
// at the as-of date, censored there.
func (e *estimator) lead(l *Lead) {
	created := l.Created()
	if !created.Before(e.o.AsOf) {
		e.after++
		return
	}
	e.used++
	if created.After(e.lastCreated) {
		e.lastCreated = created
	}
	c := e.chIndex[l.Channel]
	if created.Before(e.arrEnd) {
		wk := int(e.arrEnd.Sub(created) / week)
		if wk < len(e.long[c]) {
			e.long[c][wk]++
		}
		if wk < len(e.allWeeks) {
			e.allWeeks[wk]++
		}
	}
	won, lost := e.known(l.Won), e.known(l.Lost)
	path := e.path[:0] // stages entered, in order
	defer func() { e.path = path }()
	for k, t := range l.Reached {
		if !e.known(t).IsZero() {
			path = append(path, k)
		}
	}
	if !won.IsZero() && path[len(path)-1] != e.nS-1 {
		// Won from an earlier stage: it passed the later ones on the day.
		e.wonSkip++
	}
	for i, s := range path {
		entry := l.Reached[s]
		if s == e.sales {
			if wk := int(e.o.AsOf.Sub(entry) / week); wk < len(e.handoffs) {
				e.handoffs[wk]++
				if l.Rep != "" {
					e.reps[l.Rep]++
				}
			}
		}
		var recorded time.Time // the stay's recorded end, if it has one
		// The quarter cycle counts recorded exits; a stale rule's loss is
		// no record, and its stay is censored where the rule ends it.
		cycEnd, cycHow := e.o.AsOf, censored
		switch {
		case i+1 < len(path):
			next := path[i+1]
			recorded = l.Reached[next]
			e.episode(s, c, entry, recorded, adv)
			e.skips[s][next]++
			cycEnd, cycHow = recorded, adv
		case !won.IsZero():
			recorded = won
			e.episode(s, c, entry, won, adv)
			for k := s + 1; k < e.nS; k++ {
				e.episode(k, c, won, won, adv)
			}
			cycEnd, cycHow = won, adv
		case !lost.IsZero():
			recorded = lost
			e.episode(s, c, entry, lost, drop)
			cycEnd, cycHow = lost, drop
		case e.o.StaleAfter > 0 && e.o.AsOf.Sub(entry) > e.o.StaleAfter:
			e.stale++
			e.episode(s, c, entry, entry.Add(e.o.StaleAfter), drop)
			cycEnd = entry.Add(e.o.StaleAfter)
		default:
			e.episode(s, c, entry, e.o.AsOf, censored)
			e.addOpen(l, s, c, entry)
		}
		if s >= e.opp {
			e.closeStay(s-e.opp, entry, recorded)
			e.cycleStay(s, entry, cycEnd, cycHow)
		}
	}
	if !won.IsZero() {
		if l.HasAmount() && l.Amount > 0 {
			e.amounts[c] = append(e.amounts[c], l.Amount)
		} else {
			e.zeroWon++
		}
	}
}

type exit int

const (
	censored exit = iota
	adv
	drop
)

// episode adds the exposure of one stay in stage s from entry to exit, in
// weeks split over the age bands (band b covers ages in (lo, hi]), and its
// exit in the band where it falls. An exit recorded by date only is taken
// at mid-day, so that a same-day advance has half a day of exposure, not
// none.
func (e *estimator) episode(s, c int, entry, exitAt time.Time, how exit) {
	t := exitAt.Sub(entry).Hours() / 168
	if how != censored && isDate(entry) && isDate(exitAt) {
		t += 0.5 / 7
	}
	if e.record != nil {
		e.record(s, t, how)
	}
	// Delayed entry: a stay is at risk only from the start of the events'
	// window, so that stays cut by it are neither lost nor overcounted.
	v := 0.0
	if from := e.win.EventsFrom; !from.IsZero() && entry.Before(from) {
		v = from.Sub(entry).Hours() / 168
		if t <= v {
			return
		}
	}
	// Recency weights (a power prior): a week of stay counts 2^(−k/h)
	// for a week k weeks before the as-of date, h the half-life.
	hl := e.o.HazardHalfLife
	if e.o.halfLives != nil {
		hl = e.o.halfLives[s]
	}
	rate := 0.0
	if hl > 0 && !math.IsInf(hl, 1) {
		rate = math.Ln2 / hl
	}
	back := e.o.AsOf.Sub(entry).Hours() / 168 // weeks from entry to the as-of date
	weight := func(x float64) float64 { return math.Exp(-rate * (back - x)) }
	bands := e.bands[s][c]
	for b, lo := range e.o.Bands {
		hi := math.Inf(1)
		if b+1 < e.nB {
			hi = float64(e.o.Bands[b+1])
		}
		x0, x1 := math.Max(float64(lo), v), math.Min(t, hi)
		switch {
		case x1 <= x0:
		case rate == 0:
			bands[b].Exposure += x1 - x0
		default:
			bands[b].Exposure += (weight(x1) - weight(x0)) / rate
		}
		if t <= hi {
			w := 1.0
			if rate > 0 {
				w = weight(t)
			}
			switch how {
			case adv:
				bands[b].Advance += w
			case drop:
				bands[b].Lost += w
			}
			return
		}
	}
}

func isDate(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// addOpen adds a lead open at the as-of date to the pipeline: one by one,
// as a deal with its rep, if it had reached the opportunity stage by then,
// with its amount where that was known then (an export's amount may have
// been set later for a lead still earlier in the funnel at the as-of
// date); else to its cohort.
func (e *estimator) addOpen(l *Lead, s, c int, entry time.Time) {
	weeks := min(int(e.o.AsOf.Sub(entry)/week), 520)
	stage, channel := e.h.Stages[s], e.channels[c]
	if s >= e.opp {
		d := model.OpenDeal{ID: l.ID, Stage: stage, Channel: channel, Weeks: weeks, Rep: l.Rep}
		if l.AmountKnown(e.o.AsOf, e.end) && l.Amount > 0 {
			d.Amount = l.Amount
		}
		if d.ID == "" {
			d.ID = fmt.Sprintf("%s:%d", l.File, l.Line)
		}
		e.deals = append(e.deals, d)
		e.dealLeads = append(e.dealLeads, l)
		return
	}
	e.open[model.Cohort{Stage: stage, Channel: channel, Weeks: weeks}]++
}

var metricNames = map[string]string{"lead": "leads", "opportunity": "opportunities", "proposal": "proposals"}

func (e *estimator) model() (*model.Model, error) {
	o := e.o
	rep := e.h.Report
	m := &model.Model{
		Format: model.FormatVersion, Name: o.Name, Currency: o.Currency,
		AsOf: model.Date{Time: o.AsOf.Truncate(24 * time.Hour)}, HorizonWeeks: o.HorizonWeeks, Bands: o.Bands,
		SalesStart: o.SalesStart, SQLStage: o.SQLStage, OpportunityStage: o.OpportunityStage,
		ArrivalShockCV: defaultShockCV,
	}
	e.seasonInto(m)
	if !o.Without.Shift {
		e.shiftWeeks, e.shiftRatio = e.levelShift()
		if k := e.shiftWeeks; k > 0 {
			rep.warn("the last %d weeks before %s hold ×%.2f the leads a week of the weeks before them, each nearer the new rate than the old: taken as a change of level, which the arrivals start from (--without shift ignores it)", k, stamp(e.arrEnd), e.shiftRatio)
		}
	}
	if !o.Without.Growth && e.shiftWeeks == 0 {
		if g, se, ok := e.sustainedGrowth(); ok {
			e.growth, e.growthSE, e.grows = g, se, true
			rep.warn("all channels' leads %s %.0f%% a year over the last %d quarters, a trend the rank test of whole quarters finds: channels without a trend of their own follow it (--without growth ignores it)",
				map[bool]string{true: "grew", false: "fell"}[g > 0], 100*math.Abs(math.Expm1(g*52)), min(len(e.allWeeks)/13, maxGrowthQuarters))
		}
	}
	e.levelWeeks = e.window
	if !o.Without.Level && e.shiftWeeks == 0 {
		e.levelWeeks = e.levelWindow()
		if e.levelWeeks > e.window {
			rep.warn("the level of leads a week is the mean of the last %d weeks, not %d: it forecast the last year's quarters better (--without level ignores it)", e.levelWeeks, e.window)
		}
	}
	if !o.Without.Shock {
		m.ArrivalShockCV, m.ArrivalShockDF = e.shockCV()
	}
	for s, name := range e.h.Stages {
		st := model.Stage{Name: name, Metric: metricNames[name], PoolWeeks: o.PoolWeeks}
		exits := 0.0
		for c, ch := range e.channels {
			st.Exits = append(st.Exits, model.ChannelExits{Channel: ch, Bands: e.bands[s][c]})
			for _, b := range e.bands[s][c] {
				exits += b.Advance + b.Lost
			}
		}
		for d := s + 2; d < e.nS; d++ {
			if n := e.skips[s][d]; n > 0 {
				st.Skips = append(st.Skips, model.Skip{To: e.h.Stages[d], Count: n})
			}
		}
		if exits < 30 {
			rep.warn("stage %s: only %.0f recorded exits; its conversion is uncertain", name, exits)
		}
		m.Stages = append(m.Stages, st)
	}
	if k := e.thinWeeks; k > 0 {
		rep.warn("the last %d weeks before %s hold under half the leads of the weeks before them: taken as an export that thins out, not a fall in leads, and left out of the arrivals (%s sets the end)", k, stamp(e.arrEnd.Add(time.Duration(k)*week)), e.o.Names.of(SetLeadsUntil))
	}
	switch gap := o.AsOf.Sub(e.lastCreated); {
	case e.cut:
		rep.warn("the last lead was created on %s, %d weeks before the as-of date: the history records leads until then, and arrivals are estimated from the %d weeks before it (%s sets the end)",
			stamp(e.win.LeadsUntil), int(gap/week), e.window, o.Names.of(SetLeadsUntil))
	case gap > 4*week:
		rep.warn("the last lead was created on %s, %d weeks before the as-of date: the weeks since count as weeks with no leads (if the leads file ends there, give %s %s)",
			stamp(e.lastCreated), int(gap/week), o.Names.of(SetAsOf), e.lastCreated.Truncate(24*time.Hour).Add(24*time.Hour).Format(time.DateOnly))
	}
	if from := e.win.EventsFrom; !from.IsZero() {
		also := ""
		if e.win.LeadsSelected {
			also = ", and arrivals from the weeks after it, since the leads created before it look selected on being open then"
		}
		rep.warn("the history records closes from %s on: stays before then count from then (delayed entry)%s (%s sets the date)", stamp(from), also, o.Names.of(SetEventsFrom))
	}
	if err := e.arrivalsInto(m); err != nil {
		return nil, err
	}
	if err := e.dealsInto(m); err != nil {
		return nil, err
	}
	e.repsInto(m)
	e.segmentsInto(m)
	e.cycleInto(m)
	for k, n := range e.open {
		m.Pipeline.Open = append(m.Pipeline.Open, model.Cohort{Stage: k.Stage, Channel: k.Channel, Weeks: k.Weeks, Count: n})
	}
	slices.SortFunc(m.Pipeline.Open, func(a, b model.Cohort) int {
		if d := slices.Index(e.h.Stages, a.Stage) - slices.Index(e.h.Stages, b.Stage); d != 0 {
			return d
		}
		if d := e.chIndex[a.Channel] - e.chIndex[b.Channel]; d != 0 {
			return d
		}
		return a.Weeks - b.Weeks
	})
	m.Pipeline.Deals = e.deals
	m.Booked = e.h.booked(o.AsOf, e.segs)
	if e.after > 0 {
		rep.warn("%d leads created on or after the as-of date %s are not used", e.after, o.AsOf.Format(time.DateOnly))
	}
	if e.stale > 0 {
		rep.warn("%d leads open more than %.0f weeks in a stage counted as lost (stale)", e.stale, o.StaleAfter.Hours()/168)
	}
	if e.wonSkip > 0 {
		rep.warn("%d won leads skipped stages before winning; they are taken to pass the skipped stages on the day they won", e.wonSkip)
	}
	m.Provenance = rep.Provenance(o.Source)
	for _, k := range e.win.Kinds {
		if k.Events > 0 {
			m.Provenance.Windows = append(m.Provenance.Windows, model.ObservationWindow{Kind: k.Kind, From: model.Date{Time: k.From.Truncate(24 * time.Hour)},
				To: model.Date{Time: k.To.Truncate(24 * time.Hour)}, Events: k.Events, Truncated: k.Truncated})
		}
	}
	if from := e.win.EventsFrom; !from.IsZero() {
		m.Provenance.EventsFrom = &model.Date{Time: from.Truncate(24 * time.Hour)}
	}
	m.Provenance.StaleAfterWeeks = o.StaleAfter.Hours() / 168
	var recent []string
	for s := range m.Stages {
		hl := o.HazardHalfLife
		if o.halfLives != nil {
			hl = o.halfLives[s]
		}
		if hl > 0 && !math.IsInf(hl, 1) {
			m.Stages[s].HalfLifeWeeks = hl
			recent = append(recent, fmt.Sprintf("%s %.0f", m.Stages[s].Name, hl))
		}
	}
	if len(recent) > 0 && o.halfLives != nil {
		rep.warn("stage hazards weigh recent stays first, with half-lives in weeks (%s) chosen by how well they forecast the last %d weeks' stage exits", strings.Join(recent, ", "), holdoutWeeks)
	}
	return m, nil
}

// defaultShockCV is the prior of the arrival shock shared by all channels
// for a trial, and shockPriorQuarters its weight in quarters of history.
// shockHalfLife is the half-life, in weeks, of the weights of the past
// quarter-to-quarter changes behind the shock.
const (
	defaultShockCV     = 0.05
	shockPriorQuarters = 1
	shockHalfLife      = 26
	// minShockDF floors the degrees of freedom: below 4 the draws of CV²
	// have no finite variance, and a history of a quarter or two would
	// give forecasts of arrivals from nothing to ten times the level.
	minShockDF = 5
)

// DefaultBands are the starts, in weeks, of the age bands over which
// hazards are estimated when Options.Bands is empty.
var DefaultBands = []int{0, 1, 2, 4, 8, 13, 26, 52}

// trendDamping is the damped trend's φ per week: a trend fades to a
// tenth of its weekly step in 22 weeks, and adds at most φ/(1−φ) = 9
// weeks' worth. Damped trends rarely lose much where a trend persists and
// save much where it does not (docs/MODEL.md).
const trendDamping = 0.9

// shockCV estimates the coefficient of variation of the trial's shared
// arrival shock from how much 13-week arrivals moved from one quarter to
// the next, at every week of the leads' window: the robust standard
// deviation of the log changes (from their weighted median absolute
// value, so that the quarters around a one-off change of level do not
// carry it away), the latest quarters weighing most (half-life
// shockHalfLife weeks), less the Poisson noise of the counts, shrunk
// toward defaultShockCV with the weight of shockPriorQuarters quarters.
// The growth sustained over years, where there is one, is taken out of
// the changes first. A change from one quarter to the next holds two
// quarters' shocks, so half its variance is one quarter's; the forecast
// quarter carries its own shock and the error of the level, a mean of
// levelWeeks weeks (13/levelWeeks of a quarter's shock, where the
// quarters' shocks are independent): the CV² is a quarter's times
// 1 + 13/levelWeeks. (The change's whole variance for the CV² made the
// generated histories' 80% intervals of leads about 30% wider than their
// errors called for.)
//
// It returns the CV and its degrees of freedom: the effective number of
// non-overlapping quarters behind it, the prior's included, at least
// minShockDF.
func (e *estimator) shockCV() (cv, df float64) {
	y := e.allWeeks // y[k] is k weeks back
	const q = 13
	type werr struct{ e, w float64 }
	var errs []werr
	var noise, sw, sw2 float64
	for k := 0; k+2*q <= len(y); k++ {
		var a, b float64
		for j := k; j < k+q; j++ {
			a += y[j]
			b += y[j+q]
		}
		if a == 0 || b == 0 {
			continue
		}
		w := math.Exp2(-float64(k) / shockHalfLife)
		errs = append(errs, werr{math.Abs(math.Log(a/b) - q*e.growth), w})
		noise += w * (1/a + 1/b)
		sw += w
		sw2 += w * w
	}
	if len(errs) == 0 {
		return defaultShockCV, shockPriorQuarters
	}
	// The weighted median absolute change over 0.6745 is the changes'
	// standard deviation where they are normal.
	slices.SortFunc(errs, func(a, b werr) int { return cmp.Compare(a.e, b.e) })
	mad, acc := errs[len(errs)-1].e, 0.0
	for _, x := range errs {
		if acc += x.w; acc >= sw/2 {
			mad = x.e
			break
		}
	}
	mad /= 0.6745
	quarters := sw * sw / sw2 / q // effective
	ms := math.Max(mad*mad-noise/sw, 0)
	ms *= (1 + q/float64(max(e.levelWeeks, q))) / 2
	return math.Sqrt((quarters*ms + shockPriorQuarters*defaultShockCV*defaultShockCV) / (quarters + shockPriorQuarters)), math.Max(quarters+shockPriorQuarters, minShockDF)
}

// arrivalsInto sets each channel's arrivals from its weekly counts over the
// window: their mean is the level, a least-squares line gives the relative
// trend and its standard error, and the residual variance the negative
// binomial dispersion (Poisson when there is no excess).
func (e *estimator) arrivalsInto(m *model.Model) error {
	if e.window < 4 {
		return fmt.Errorf("calibrate: only %d whole weeks of history before the as-of date; arrivals need at least 4", e.window)
	}
	w := e.window
	x := make([]float64, w)
	for i := range x {
		x[i] = -float64(i) // week i back from the as-of date
	}
	var dropped []string // the channels' trends the holdout does not keep
	for c, name := range e.channels {
		phi := trendDamping
		if e.o.Without.Damping {
			phi = 1
		}
		// After a change of level, the weeks after it are divided by
		// the step (the channels' total's), so that the trend and the
		// dispersion are estimated over the whole window, and the level
		// found is multiplied back by it: the channels' total is then
		// about the weeks' after the step, shared as over the window.
		y := slices.Clone(e.arrivals[c])
		for k := range min(e.shiftWeeks, w) {
			y[k] /= e.shiftRatio
		}
		mean := stat.Mean(y, nil)
		ch := model.Channel{Name: name, HistoryWeeks: float64(w), Dispersion: math.Inf(1)}
		if mean > 0 {
			// A fitted line's end is a noisy level: keep the window's
			// mean, and move it to the first forecast week (x = 1) along
			// the log-linear trend only when the Mann–Kendall test finds
			// a trend at 5% (|z| > 2): a week or two far off the rest at
			// the window's end carry a likelihood's slope and its Poisson
			// test, but barely move a rank test. The trend's uncertainty
			// is kept either way.
			ch.WeeklyLeads = mean
			a, b, se, trend := e.trendTest(x, y)
			if trend && !e.o.Without.Holdout && !e.trendHolds(c, x, phi) {
				trend = false
				dropped = append(dropped, fmt.Sprintf("%s %+.1f%%", name, 100*math.Expm1(b)))
			}
			sustained := !trend && e.grows
			switch {
			case trend:
				ch.WeeklyLeads = math.Exp(a + b)
				ch.Trend = clamp(b, 0.2)
				if phi < 1 {
					ch.Damping = phi
				}
			case sustained:
				// The window's mean is the level at its middle; the
				// growth of years carries it to the last week and on,
				// undamped.
				ch.WeeklyLeads = mean * math.Exp(e.growth*float64(w-1)/2)
				ch.Trend = clamp(e.growth, 0.2)
				se = e.growthSE
			}
			if L := e.levelWeeks; !trend && L > w {
				ch.WeeklyLeads = stat.Mean(e.long[c][:L], nil) * math.Exp(e.growth*float64(L-1)/2)
				ch.HistoryWeeks = float64(L)
			}
			ch.TrendSE = math.Min(se, 0.2)
			// Negative binomial dispersion by moments about the mean
			// (the trend's, where there is one): Var = μ + μ²/φ, on the
			// counts' own scale after a change of level.
			var excess, mu2, sum float64
			for i, v := range y {
				mu := mean
				switch {
				case trend:
					mu = math.Exp(a + b*x[i])
				case sustained:
					mu = ch.WeeklyLeads * math.Exp(e.growth*x[i])
				}
				if i < e.shiftWeeks {
					v, mu = v*e.shiftRatio, mu*e.shiftRatio
				}
				excess += (v-mu)*(v-mu) - mu
				mu2 += mu * mu
				sum += mu
			}
			if excess > 0.05*sum {
				ch.Dispersion = mu2 / excess
			}
		}
		if e.shiftWeeks > 0 {
			ch.WeeklyLeads *= e.shiftRatio
			ch.HistoryWeeks = float64(e.shiftWeeks)
			mean *= e.shiftRatio
		}
		if mean < 1 {
			e.h.Report.warn("channel %s: %.2f leads a week; its funnel rates lean on the other channels", name, mean)
		}
		e.spendInto(&ch, c, e.arrivals[c], trendFactor(ch.Trend, e.window))
		m.Channels = append(m.Channels, ch)
	}
	if len(dropped) > 0 {
		e.h.Report.warn("the trends of the last %d weeks' leads a week (%s a week) are not kept: at the past quarters' origins where the same tests found a trend, it forecast the next 13 weeks worse than the level did (--without holdout keeps them)", w, strings.Join(dropped, ", "))
	}
	e.checkSpend()
	return nil
}

// checkSpend warns where a spend file is given but none of its rows falls
// in the weeks of leads counted, so that every channel's spend comes out
// zero, and names the channels it has that the history does not.
func (e *estimator) checkSpend() {
	sp := e.o.Spend
	if sp == nil || len(sp.Rows) == 0 {
		return
	}
	first, last := sp.Rows[0].Week, sp.Rows[0].Week
	overlap := false
	unknown := map[string]bool{}
	for _, r := range sp.Rows {
		first, last = minTime(first, r.Week), maxTime(last, r.Week)
		if _, ok := e.chIndex[r.Channel]; !ok {
			unknown[r.Channel] = true
			continue
		}
		mid := r.Week.Add(week / 2)
		if mid.Before(e.o.AsOf) && int(e.o.AsOf.Sub(mid)/week) < e.window {
			overlap = true
		}
	}
	if !overlap {
		e.h.Report.warn("the spend file's weeks, %s to %s, do not overlap the %d weeks of leads before %s: every channel's spend is taken as zero",
			stamp(first), stamp(last), e.window, stamp(e.o.AsOf))
	}
	if len(unknown) > 0 {
		e.h.Report.warn("the spend file has channels the history does not: %s", strings.Join(slices.Sorted(maps.Keys(unknown)), ", "))
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func clamp(v, limit float64) float64 { return math.Max(-limit, math.Min(limit, v)) }

// dealsInto fits the lognormal of won amounts, overall and for each channel
// with at least minChannelDeals.
func (e *estimator) dealsInto(m *model.Model) error {
	var all []float64
	for _, a := range e.amounts {
		all = append(all, a...)
	}
	if e.zeroWon > 0 && e.o.DealSize == 0 {
		e.h.Report.warn("%d won leads without a positive amount are left out of deal sizes", e.zeroWon)
	}
	if len(all) < 2 && e.o.DealSize > 0 {
		e.h.Report.warn("deal sizes: %d won deals with an amount; every deal is assumed to be %g (%s)", len(all), e.o.DealSize, e.o.Names.of(SetDealSize))
		m.DealSize.LogNormal = model.LogNormal{Deals: 1, LogMean: math.Log(e.o.DealSize)}
		return nil
	}
	if len(all) < 2 {
		return fmt.Errorf("calibrate: %d won deals with an amount before the as-of date; deal sizes need at least 2 (or an assumed size, %s)", len(all), e.o.Names.of(SetDealSize))
	}
	m.DealSize.LogNormal = logNormal(all)
	empirical := len(all) >= minEmpiricalDeals && !e.o.Without.Empirical
	if empirical {
		m.DealSize.Amounts = slices.Sorted(slices.Values(all))
	}
	for c, a := range e.amounts {
		if len(a) >= minChannelDeals {
			d := model.ChannelDealSize{Channel: e.channels[c], LogNormal: logNormal(a)}
			if empirical && len(a) < len(all) { // a channel with every deal is the overall
				d.Amounts = slices.Sorted(slices.Values(a))
			}
			m.DealSize.Channels = append(m.DealSize.Channels, d)
		}
	}
	return nil
}

// minChannelDeals is the fewest won deals for a channel's own deal sizes,
// and minEmpiricalDeals the fewest for drawing amounts from the won deals
// themselves rather than a lognormal: below it the observed amounts say
// too little of the tail.
const minChannelDeals, minEmpiricalDeals = 10, 30

// logNormal fits the lognormal of amounts x.
func logNormal(x []float64) model.LogNormal {
	logs := make([]float64, len(x))
	for i, a := range x {
		logs[i] = math.Log(a)
	}
	mean, sd := stat.MeanStdDev(logs, nil)
	return model.LogNormal{Deals: float64(len(x)), LogMean: mean, LogSD: sd}
}

// repsInto sets the team: with a rep column, the reps who took hand-offs
// in the last 13 weeks, each able to take the busiest week's hand-offs
// per rep; without one, capacity is unlimited, with a warning.
func (e *estimator) repsInto(m *model.Model) {
	m.Reps = model.Reps{RampWeeks: 8}
	if len(e.reps) == 0 {
		m.Reps.Unlimited = true
		e.h.Report.warn("no rep column: rep capacity is taken as unlimited")
		return
	}
	m.Reps.Count = len(e.reps)
	m.Reps.WeeklyCapacity = slices.Max(e.handoffs) / float64(len(e.reps))
	total := 0
	for _, n := range e.reps {
		total += n
	}
	for _, r := range slices.Sorted(maps.Keys(e.reps)) {
		m.Reps.Shares = append(m.Reps.Shares, model.RepShare{Rep: r, Share: float64(e.reps[r]) / float64(total)})
	}
	e.h.Report.warn("rep capacity is the busiest of the last 13 weeks: %.1f hand-offs per rep a week", m.Reps.WeeklyCapacity)
	if e.o.Without.Capacity {
		return
	}
	if c, slope := e.closeCapacity(m.Reps.Count); c > 0 {
		m.Reps.CloseCapacity = c
		e.h.Report.warn("closes from %s on stay flat as the open work changes (slope %.2f of log closes on log open deals, clearly below 1): the reps close at most %.1f a week each, the mean of the last 13 weeks", e.h.Stages[e.opp], slope, c)
	}
}

// closeWeeks is how many recent weeks test whether closes are bound by
// the reps' capacity, and minCloseWeeks the fewest weeks inside the
// window of recorded closes that can.
const (
	closeWeeks    = 26
	minCloseWeeks = 8
)

// closeStay keeps a stay from the opportunity stage on, in stage opp+s,
// entered at entry, for the close capacity, with its recorded exit (zero
// for none; a stale rule's loss is no record).
func (e *estimator) closeStay(s int, entry, exit time.Time) {
	if exit.IsZero() || exit.After(entry) {
		st := closeStay{stage: int32(s), entry: entry.Sub(e.o.AsOf), exit: noExit}
		if !exit.IsZero() {
			st.exit = exit.Sub(e.o.AsOf)
		}
		e.closeStays = append(e.closeStays, st)
	}
}

// closeTallies are, per week back from the as-of date, the recorded exits
// of the stays from the opportunity stage on, and the stays open at the
// week's start.
func (e *estimator) closeTallies() (closes, wip [closeWeeks]float64) {
	for _, st := range e.closeStays {
		if st.exit != noExit {
			if k := int(-st.exit / week); k >= 0 && k < closeWeeks {
				closes[k]++
			}
		}
		for k := range closeWeeks {
			if start := -time.Duration(k+1) * week; st.entry < start && st.exit >= start {
				wip[k]++
			}
		}
	}
	return closes, wip
}

// closeCapacity tests whether the recent weeks' closes follow the open
// work or stay flat whatever it is, as a team closing at its capacity
// does: the log-log slope of weekly closes on the stays open at the
// week's start, over closeWeeks weeks, clear of 1 (proportional, as per-
// deal hazards make it) by twice its standard error, where that standard
// error is under 1/2, so that the weeks can tell flat closes (slope 0)
// from proportional ones at all. Only the weeks inside the window of
// recorded closes count, at least minCloseWeeks of them. It returns the
// closes a rep makes a week, the mean over the last 13 of those weeks per
// rep, or 0 where they are not bound.
func (e *estimator) closeCapacity(reps int) (perRep, slope float64) {
	inside := func(k int) bool {
		return !e.o.AsOf.Add(-time.Duration(k+1) * week).Before(e.win.EventsFrom)
	}
	closes, wip := e.closeTallies()
	var x, y []float64
	for k := range closeWeeks {
		if inside(k) && closes[k] > 0 && wip[k] > 0 {
			x, y = append(x, math.Log(wip[k])), append(y, math.Log(closes[k]))
		}
	}
	if reps == 0 || len(x) < minCloseWeeks {
		return 0, math.NaN()
	}
	_, b, se := lineFit(x, y)
	if b+2*se >= 1 || !(se < 0.5) || !e.capacityForecasts(inside, &closes) {
		return 0, b
	}
	recent, n := 0.0, 0.0
	for k := 0; k < 13 && inside(k); k++ {
		recent += closes[k]
		n++
	}
	return recent / n / float64(reps), b
}

// closeStay is a stay from the opportunity stage on: its stage counted
// from the opportunity stage, and its entry and recorded exit as times
// from the as-of date (noExit for none), compact since a history of a
// million leads has some hundred thousand.
type closeStay struct {
	stage       int32
	entry, exit time.Duration
}

// noExit is a closeStay's exit where none is recorded.
const noExit = time.Duration(math.MaxInt64)

// maxCloseAge is the oldest week of a stay the close hazards tell apart;
// older weeks share one.
const maxCloseAge = 52

// capacityForecasts tests the close capacity as the stale rule and the
// hazards' half-life are tested, on the history's last holdoutWeeks: as
// known at their start, would a cap at the closes of the 13 weeks before
// have forecast each holdout week's closes better than the open deals'
// own hazards, given the deals open at the week's start? The hazards are a
// life table of the weekly close hazard by weeks since entry, by stage,
// from the stays on record before the holdout; each week's forecast is
// the sum of the open deals' hazards at their ages, capped or not, scored
// by its Poisson log likelihood. The cap, which the slope test found, is
// dropped only where the hazards forecast better by more than staleGain.
// A team at its limit closes about its cap whatever the open
// work; a pipeline filling with young deals, as in a history's first
// months or a growing business, closes what its deals' ages say, and a
// cap read from its slower past would forecast too few. Without the
// weeks to test on (inside, the window of recorded closes), the cap
// stands. closes are the weekly closes (closeTallies).
func (e *estimator) capacityForecasts(inside func(k int) bool, closes *[closeWeeks]float64) bool {
	// Times as durations from the as-of date.
	inner := -holdoutWeeks * week
	from := time.Duration(math.MinInt64)
	if !e.win.EventsFrom.IsZero() {
		from = e.win.EventsFrom.Sub(e.o.AsOf)
	}
	before := 0
	for k := holdoutWeeks; k < 2*holdoutWeeks && k < closeWeeks && inside(k); k++ {
		before++
	}
	if before < minCloseWeeks || !inside(holdoutWeeks-1) {
		return true
	}
	nS := e.nS - e.opp
	events, exposure := make([][maxCloseAge]float64, nS), make([][maxCloseAge]float64, nS)
	for _, st := range e.closeStays {
		// Week a of a stay is [entry + a weeks, entry + a+1 weeks): it
		// counts where it ended by inner and began on record (from on),
		// and the stay closed in week ax, its exit in (start, end].
		last := int((inner-st.entry)/week) - 1
		ax := -1
		if st.exit != noExit {
			ax = int((st.exit-st.entry+week-1)/week) - 1
			if ax <= last {
				last = ax
			} else {
				ax = -1 // closed after inner: open all through
			}
		}
		first := 0
		if st.entry < from {
			first = int((from - st.entry + week - 1) / week)
		}
		for a := first; a <= last; a++ {
			k := min(a, maxCloseAge-1)
			if k == maxCloseAge-1 && a < last {
				exposure[st.stage][k] += float64(last - a) // the pooled oldest weeks at once
				a = last
			}
			exposure[st.stage][k]++
			if a == ax {
				events[st.stage][k]++
			}
		}
	}
	limit := 0.0
	for k := holdoutWeeks; k < holdoutWeeks+before; k++ {
		limit += closes[k]
	}
	limit /= float64(before)
	// The weekly hazard at each age, an age not seen before the holdout
	// taking the oldest seen's.
	hz := make([][maxCloseAge]float64, nS)
	for s := range hz {
		cur := 0.0
		for a := range maxCloseAge {
			if n := exposure[s][a]; n > 0 {
				cur = events[s][a] / n
			}
			hz[s][a] = cur
		}
	}
	var mus [holdoutWeeks]float64
	for _, st := range e.closeStays {
		if st.exit < inner {
			continue // closed before the holdout
		}
		for k := range holdoutWeeks {
			start := -time.Duration(k+1) * week
			if st.entry < start && st.exit >= start {
				mus[k] += hz[st.stage][min(int((start-st.entry)/week), maxCloseAge-1)]
			}
		}
	}
	llCap, llOpen := 0.0, 0.0
	for k := range holdoutWeeks {
		mu := mus[k]
		y := closes[k]
		lg, _ := math.Lgamma(y + 1)
		for _, c := range []struct {
			ll *float64
			mu float64
		}{{&llOpen, mu}, {&llCap, math.Min(mu, limit)}} {
			m := math.Max(c.mu, 0.5)
			*c.ll += y*math.Log(m) - m - lg
		}
	}
	return llOpen <= llCap+staleGain
}

// trendFactor is exp(trend·x) at each week k back (x = −k), relative to
// the last week.
func trendFactor(trend float64, w int) []float64 {
	f := make([]float64, w)
	for k := range f {
		f[k] = math.Exp(-trend * float64(k))
	}
	return f
}

// spendInto sets the channel's current weekly spend (the mean of its last
// 13 weeks with spend) and its response to spend: fitted where the spend
// data identify it, else the default curve, with a warning.
func (e *estimator) spendInto(ch *model.Channel, c int, y, f []float64) {
	x, has := e.weeklySpend(c)
	var xs, ys, fs []float64
	recent, n := 0.0, 0
	for k := range x {
		if !has[k] {
			continue
		}
		xs, ys, fs = append(xs, x[k]), append(ys, y[k]), append(fs, f[k])
		if k < 13 {
			recent += x[k]
			n++
		}
	}
	if n == 0 || recent == 0 {
		if len(xs) > 0 {
			e.h.Report.warn("channel %s: no spend in the last 13 weeks; its spend is taken as zero", ch.Name)
		}
		return
	}
	ch.WeeklySpend = recent / float64(n)
	mean, sd := stat.MeanStdDev(xs, nil)
	if len(xs) < minSpendWeeks || sd < minSpendCV*mean {
		e.h.Report.warn("channel %s: %d weeks of spend varying by %.0f%% do not identify its response to spend; the default curve (half of saturation at twice the current spend) stands in", ch.Name, len(xs), 100*sd/mean)
		ch.Response = defaultResponse(ch.WeeklyLeads, ch.WeeklySpend)
		return
	}
	r, err := fitResponse(ys, xs, fs, ch.Dispersion)
	if err != nil {
		e.h.Report.warn("channel %s: response to spend not fitted (%v); the default curve stands in", ch.Name, err)
		ch.Response = defaultResponse(ch.WeeklyLeads, ch.WeeklySpend)
		return
	}
	ch.Response = r
	ch.Response.Range = []float64{slices.Min(xs), slices.Max(xs)}
}
