package generate

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/funnelsim/funnelsim/internal/cell"

	"github.com/funnelsim/funnelsim/model/rng"
	"github.com/funnelsim/funnelsim/sample"
)

// Options say what history to generate.
type Options struct {
	// Weeks of history before the truth's as-of date (default 104).
	Weeks int
	// After is how many weeks past the as-of date to simulate as well, for
	// checking forecasts against what then happens (default 0).
	After int
	Seed  uint64
	// UnrecordedLoss is the share of losses never recorded: the lead just
	// stays open (default 0.3; negative for none).
	UnrecordedLoss float64
	// Dirty is the share of rows spoiled as CRM exports are: a duplicate
	// id, an unparsable date or a negative amount (default 0.002;
	// negative for none).
	Dirty float64
	// SpendCV is the spread of each channel's weekly spend around its
	// current level (lognormal, default 0.25; negative for a flat
	// spend): campaigns come and go, and leads follow the truth's response
	// to spend.
	SpendCV float64
	// LevelShift, when positive, multiplies every channel's arrivals from
	// week LevelShiftWeek on (default, 0: the middle of the history,
	// Weeks/2): a change of regime the forecast must cope with.
	LevelShift     float64
	LevelShiftWeek int
	// Drift changes the truth over the history, so that a forecaster
	// must follow a business that changes; the truth is as written at its
	// as-of date, and earlier weeks are scaled back from it.
	Drift Drift
	// ThinWeeks, when positive, thins the export's last ThinWeeks weeks
	// before the as-of date: each lead created then is in the export only
	// with probability ThinKeep (a CRM export cut before its last rows
	// were synced).
	ThinWeeks int
	ThinKeep  float64
	// QuarterPush, when set, is a quarter-end push: in month k of each
	// calendar quarter, the stages from the truth's opportunity stage on
	// have their advance hazard multiplied by QuarterPush[k] and their
	// loss hazard divided by it (deals are won rather than lost, and
	// sooner, where it is above 1).
	QuarterPush *[3]float64
}

// Drift is how the truth changes over time, each a rate a year,
// compounded weekly: 0.6 is +60% a year, -0.3 is -30% a year. The truth
// holds at its as-of date; a week w years before it has the rate's
// (1+rate)^-w.
type Drift struct {
	// Growth scales every channel's arrivals.
	Growth float64
	// Conversion scales every stage's advance hazard, by the date the
	// lead enters the stage.
	Conversion float64
	// DealSize scales the deal amounts, by the lead's creation date.
	DealSize float64
}

// factor is (1+rate)^years, 1 for a zero rate.
func factor(rate, years float64) float64 {
	if rate == 0 {
		return 1
	}
	return math.Pow(1+rate, years)
}

// Check reports a drift rate that is not a finite rate above -1.
func (d Drift) Check() error {
	for _, x := range []struct {
		name string
		v    float64
	}{{"growth", d.Growth}, {"conversion", d.Conversion}, {"deal size", d.DealSize}} {
		if !(x.v > -1 && x.v <= 10) {
			return fmt.Errorf("generate: the %s drift must be a yearly rate in (-1, 10] (got %v)", x.name, x.v)
		}
	}
	return nil
}

// Lead is one generated lead: its true path, with zero times for stages
// not reached and an outcome that may lie past the history's end.
type Lead struct {
	ID        string
	Channel   string
	Reached   []time.Time // per stage; Reached[0] is creation
	Won, Lost time.Time
	// LossRecorded is false for a loss the CRM never shows.
	LossRecorded bool
	// Missing is true for a lead the export leaves out (Options.ThinWeeks).
	Missing bool
	Amount  float64 // the deal amount, known from the opportunity stage on
	// Profile indexes the truth's Profiles: the lead's attribute levels.
	Profile int
	Score   int // lead score 0–100, when the truth has ScoreNoise
	// Rep is the rep the lead is handed to if it reaches the hand-off
	// stage, one of the truth's reps at random.
	Rep string
}

// History is a generated history and the truth behind it.
type History struct {
	Truth    *sample.Truth
	Profiles []sample.Profile
	Start    time.Time // first day of the history
	End      time.Time // the day after the last simulated day
	Leads    []Lead
	// Spend is each week's spend per channel (zero for a channel with no
	// spend), from Start.
	Spend [][]float64
	Dirty float64
	// RawText writes the truth's text into the CSV as it is, without
	// neutralising what a spreadsheet would run (see WriteCSV).
	RawText bool
	seed    uint64
}

// Purposes key the generator's random streams.
const (
	purposeArrivals uint64 = iota + 101
	purposeLeads
	purposeShock
	purposeObserve
	purposeSpend
)

// Generate simulates every lead created from Weeks before the truth's
// as-of date to After weeks past it, stopping with ctx's error once ctx
// is done.
func Generate(ctx context.Context, t *sample.Truth, o Options) (*History, error) {
	if o.Weeks == 0 {
		o.Weeks = 104
	}
	if o.UnrecordedLoss == 0 {
		o.UnrecordedLoss = 0.3
	}
	if o.Dirty == 0 {
		o.Dirty = 0.002
	}
	if o.SpendCV == 0 {
		o.SpendCV = 0.25
	}
	if err := o.Drift.Check(); err != nil {
		return nil, err
	}
	if o.ThinWeeks < 0 || o.ThinWeeks > o.Weeks || (o.ThinWeeks > 0 && !(o.ThinKeep >= 0 && o.ThinKeep <= 1)) {
		return nil, fmt.Errorf("generate: thinning of %d weeks keeping %v: want 0..%d weeks and a share in [0, 1]", o.ThinWeeks, o.ThinKeep, o.Weeks)
	}
	hz, profiles, err := t.ProfileHazards()
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	if p := o.QuarterPush; p != nil {
		for _, x := range p {
			if !(x > 0 && x <= 10) {
				return nil, fmt.Errorf("generate: a quarter push must be three factors in (0, 10] (got %v)", *p)
			}
		}
	}
	g := &gen{t: t, hz: hz, profiles: profiles, unrecorded: o.UnrecordedLoss, drift: o.Drift, asOf: t.AsOf.Time, push: o.QuarterPush, opp: slices.IndexFunc(t.Stages, func(s sample.StageTruth) bool { return s.Name == t.OpportunityStage })}
	h := &History{Truth: t, Profiles: profiles, Start: t.AsOf.Add(-time.Duration(o.Weeks) * week), End: t.AsOf.Add(time.Duration(o.After) * week), Dirty: max(o.Dirty, 0), seed: o.Seed}
	arr, lead, shock := rng.NewStream(), rng.NewStream(), rng.NewStream()
	shock.Reset(o.Seed, purposeShock)
	weeks := o.Weeks + o.After
	from := o.LevelShiftWeek
	if from == 0 {
		from = o.Weeks / 2
	}
	// A shared arrival level per quarter, as the engine's per-trial shock.
	level := make([]float64, weeks/13+1)
	for i := range level {
		level[i] = 1
		if cv := t.ArrivalShockCV; cv > 0 {
			k := 1 / (cv * cv)
			level[i] = rng.Gamma(shock, k, k)
		}
	}
	h.Spend = make([][]float64, weeks)
	spend := rng.NewStream()
	for w := range weeks {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		h.Spend[w] = make([]float64, len(t.Channels))
		for c, ch := range t.Channels {
			mean := ch.WeeklyLeads
			if r := ch.Response(); r != nil {
				// Weekly spend varies lognormally around the current level
				// (mean preserved); the leads follow the response.
				spend.Reset(o.Seed, purposeSpend, uint64(w), uint64(c))
				x := ch.WeeklySpend
				if cv := o.SpendCV; cv > 0 {
					sd := math.Sqrt(math.Log1p(cv * cv))
					x *= math.Exp(sd*spend.NormFloat64() - sd*sd/2)
				}
				h.Spend[w][c] = math.Round(x)
				mean = r.Leads(h.Spend[w][c])
			}
			arr.Reset(o.Seed, purposeArrivals, uint64(w), uint64(c))
			if o.LevelShift > 0 && w >= from {
				mean *= o.LevelShift
			}
			// The week's middle, in years before the as-of date.
			mean *= factor(o.Drift.Growth, (float64(w-o.Weeks)+0.5)/weeksPerYear)
			if s := t.ArrivalSeason; s != nil {
				mean *= math.Exp(s.Log(h.Start.Add(time.Duration(w)*week + week/2)))
			}
			n := rng.NegBinomial(arr, mean*level[w/13], ch.Dispersion)
			for range n {
				lead.Reset(o.Seed, purposeLeads, uint64(len(h.Leads)))
				created := h.Start.Add(time.Duration((float64(w) + lead.Uniform()) * float64(week)))
				l := g.simulate(lead, c, created, fmt.Sprintf("L%07d", len(h.Leads)+1))
				// An export cut short misses some of its last weeks' leads;
				// the lead is drawn all the same, so that the rest of the
				// history does not depend on the thinning.
				l.Missing = o.ThinWeeks > 0 && w >= o.Weeks-o.ThinWeeks && w < o.Weeks && lead.Uniform() >= o.ThinKeep
				h.Leads = append(h.Leads, l)
			}
		}
	}
	return h, nil
}

const (
	week         = 7 * 24 * time.Hour
	weeksPerYear = 365.25 / 7
)

// years is how many years t lies after the as-of date (negative before).
func years(t, asOf time.Time) float64 {
	return t.Sub(asOf).Hours() / (24 * 365.25)
}

// gen holds what simulating a lead needs.
type gen struct {
	t          *sample.Truth
	hz         [][][]sample.Hazards // [stage][channel][profile]
	profiles   []sample.Profile
	unrecorded float64
	drift      Drift
	asOf       time.Time
	push       *[3]float64 // Options.QuarterPush
	opp        int         // the opportunity stage's index
}

// simulate draws one lead's profile (its attribute levels and score) and
// path: in each stage, an exit time from the piecewise-constant total
// hazard (by inversion of the cumulative hazard against an exponential),
// advancing or lost in proportion to the two hazards of the band it exits
// in.
func (g *gen) simulate(st *rng.Stream, c int, created time.Time, id string) Lead {
	t := g.t
	l := Lead{ID: id, Channel: t.Channels[c].Name, Reached: make([]time.Time, len(t.Stages)), LossRecorded: true}
	l.Reached[0] = created
	u := st.Uniform()
	for l.Profile < len(g.profiles)-1 && u >= g.profiles[l.Profile].Share {
		u -= g.profiles[l.Profile].Share
		l.Profile++
	}
	if t.ScoreNoise > 0 {
		q := g.profiles[l.Profile].Quality + t.ScoreNoise*st.NormFloat64()
		l.Score = int(math.Round(100 / (1 + math.Exp(-q))))
	}
	if n := t.Reps.Count; n > 0 {
		l.Rep = fmt.Sprintf("rep_%02d", 1+int(st.Uniform()*float64(n)))
	}
	ch := t.Channels[c]
	l.Amount = math.Round(ch.DealMedian * factor(g.drift.DealSize, years(created, g.asOf)) * math.Exp(t.DealLogSD*st.NormFloat64()))
	at := created
	for s := range t.Stages {
		up := factor(g.drift.Conversion, years(at, g.asOf))
		weeks, advanced, ok := exitTime(t.Bands, g.hz[s][c][l.Profile], up, st)
		if g.push != nil && g.opp >= 0 && s >= g.opp {
			weeks, advanced, ok = pushedExitTime(t.Bands, g.hz[s][c][l.Profile], up, g.push, at, st)
		}
		if !ok {
			return l // never leaves: open for ever
		}
		at = at.Add(time.Duration(weeks * float64(week)))
		if !advanced {
			l.Lost = at
			l.LossRecorded = st.Uniform() >= g.unrecorded
			return l
		}
		if s+1 < len(t.Stages) {
			l.Reached[s+1] = at
		}
	}
	l.Won = at
	return l
}

// exitTime draws a stay in a stage with hazards h, the advance hazard
// scaled by up.
func exitTime(bands []int, h sample.Hazards, up float64, st *rng.Stream) (weeks float64, advanced, ok bool) {
	e := -math.Log(st.Uniform())
	for b, lo := range bands {
		adv := h.Advance[b] * up
		rate := adv + h.Lost[b]
		width := math.Inf(1)
		if b+1 < len(bands) {
			width = float64(bands[b+1] - lo)
		}
		if rate*width >= e {
			return float64(lo) + e/rate, st.Uniform()*rate < adv, true
		}
		e -= rate * width
	}
	return 0, false, false
}

// pushedExitTime is exitTime under a quarter-end push: the hazards change
// at each month's start as well as at each band's, and the exit is drawn
// by inversion of the cumulative hazard over the pieces.
func pushedExitTime(bands []int, h sample.Hazards, up float64, push *[3]float64, entry time.Time, st *rng.Stream) (weeks float64, advanced, ok bool) {
	e := -math.Log(st.Uniform())
	x := 0.0 // weeks since entry
	b := 0
	for {
		for b+1 < len(bands) && x >= float64(bands[b+1]) {
			b++
		}
		// A minute past x: a time that rounds to just before a month's
		// start is in the month after it.
		at := entry.Add(time.Duration(x*float64(week)) + time.Minute)
		p := push[(int(at.Month())-1)%3]
		adv, lost := h.Advance[b]*up*p, h.Lost[b]/p
		rate := adv + lost
		end := math.Inf(1)
		if b+1 < len(bands) {
			end = float64(bands[b+1])
		}
		next := time.Date(at.Year(), at.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		end = math.Min(end, float64(next.Sub(entry))/float64(week))
		if rate*(end-x) >= e {
			return x + e/rate, st.Uniform()*rate < adv, true
		}
		if math.IsInf(end, 1) || x > 520 {
			return 0, false, false
		}
		e -= rate * (end - x)
		x = end
	}
}

// SafeCell returns s as a spreadsheet will show and not run: with a
// leading ' where s begins with =, +, -, @, a tab or a carriage return and
// is not a number (the OWASP rule for CSV injection).
func SafeCell(s string) string { return cell.Safe(s) }

// WriteCSV writes the history as a CRM export known at the as-of date
// asOf: one row per lead created before it, with the stage dates before
// it (later ones are not known yet), unrecorded losses left open, and the
// amount from the opportunity stage on. Columns: lead_id, created_at,
// channel, one <stage>_at per stage after the first, won_at, lost_at,
// amount, rep (once handed to sales), then one column per attribute and
// lead_score. A share of rows
// (Dirty) is spoiled as described in Options.
//
// Text from the truth (channel, rep and attribute names and levels) that
// begins with =, +, -, @, a tab or a carriage return and is not a number
// is written with a leading ', so that a spreadsheet opening the file
// shows it rather than running it as a formula; RawText turns that off.
// Writing stops with ctx's error once ctx is done.
func (h *History) WriteCSV(ctx context.Context, w io.Writer, asOf time.Time) error {
	t := h.Truth
	cw := csv.NewWriter(w)
	text := func(s string) string {
		if h.RawText {
			return s
		}
		return SafeCell(s)
	}
	header := []string{"lead_id", "created_at", "channel"}
	for _, s := range t.Stages[1:] {
		header = append(header, text(s.Name)+"_at")
	}
	header = append(header, "won_at", "lost_at", "amount", "rep")
	for _, a := range t.Attributes {
		header = append(header, text(a.Name))
	}
	if t.ScoreNoise > 0 {
		header = append(header, "lead_score")
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	opp, sales := -1, -1
	for s, st := range t.Stages {
		if st.Name == t.OpportunityStage {
			opp = s
		}
		if st.Name == t.SalesStart {
			sales = s
		}
	}
	st := rng.NewStream()
	st.Reset(h.seed, uint64(asOf.Unix()), purposeObserve)
	known := func(x time.Time) string {
		if x.IsZero() || !x.Before(asOf) {
			return ""
		}
		return x.Format(layout)
	}
	var prev []string
	for i, l := range h.Leads {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("generate: %w", err)
			}
		}
		if !l.Reached[0].Before(asOf) || l.Missing {
			continue
		}
		row := []string{l.ID, known(l.Reached[0]), text(l.Channel)}
		for s := 1; s < len(t.Stages); s++ {
			row = append(row, known(l.Reached[s]))
		}
		lost := ""
		if l.LossRecorded {
			lost = known(l.Lost)
		}
		amount := ""
		if opp >= 0 && known(l.Reached[opp]) != "" || known(l.Won) != "" {
			amount = strconv.FormatFloat(l.Amount, 'f', -1, 64)
		}
		rep := ""
		if sales >= 0 && known(l.Reached[sales]) != "" {
			rep = text(l.Rep)
		}
		row = append(row, known(l.Won), lost, amount, rep)
		for a, k := range h.Profiles[l.Profile].Levels {
			row = append(row, text(t.Attributes[a].Levels[k]))
		}
		if t.ScoreNoise > 0 {
			row = append(row, strconv.Itoa(l.Score))
		}
		if u := st.Uniform(); u < h.Dirty {
			row = spoil(row, prev, int(3*u/h.Dirty))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
		prev = row
	}
	cw.Flush()
	return cw.Error()
}

const layout = "2006-01-02T15:04"

// spoil makes a row dirty in one of three ways: it repeats the previous
// row's id, its creation date is not a date, or its amount is negative.
func spoil(row, prev []string, kind int) []string {
	row = append([]string(nil), row...)
	switch {
	case kind == 0 && prev != nil:
		row[0] = prev[0]
	case kind == 1:
		row[1] = "31/02/" + row[1][:4]
	default:
		row[len(row)-1] = "-" + row[len(row)-1]
		if row[len(row)-1] == "-" {
			row[len(row)-1] = "-1"
		}
	}
	return row
}

// WriteSpendCSV writes the weekly spend known at asOf: one row per whole
// week before it (the date the week starts) and channel with spend, in
// columns week, channel and spend.
func (h *History) WriteSpendCSV(w io.Writer, asOf time.Time) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"week", "channel", "spend"}); err != nil {
		return err
	}
	for wk, row := range h.Spend {
		start := h.Start.Add(time.Duration(wk) * week)
		if start.Add(week).After(asOf) {
			break
		}
		for c, x := range row {
			if h.Truth.Channels[c].Response() == nil {
				continue
			}
			if err := cw.Write([]string{start.Format(time.DateOnly), h.Truth.Channels[c].Name, strconv.FormatFloat(x, 'f', -1, 64)}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
