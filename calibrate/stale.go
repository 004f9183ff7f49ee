package calibrate

import (
	"math"
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// The stale rule turns a lead open too long into a loss. Exports that
// never record some losses (a lead just stays open) need one for their
// conversion to read right; exports whose slow leads do advance are hurt
// by one, since it takes them out of the pipeline. Which holds is learned
// from the history, as the hazards' half-life is.

// staleCandidates are the stale rules chooseStale tries, in the order it
// prefers them: never, 52 and 26 weeks, and the rule derived from the
// stays that ended (deriveStale), marked by a negative duration.
var staleCandidates = []time.Duration{0, 52 * week, 26 * week, -1}

// staleGain is the log likelihood a stale rule must gain on the holdout
// over the best of those before it in staleCandidates to be chosen
// instead.
const staleGain = recencyGain

// chooseStale chooses the stale rule by a rolling-origin test inside the
// history: the history as known holdoutWeeks before o.AsOf is calibrated
// with each candidate rule, and each then forecasts how many of the leads
// open then advance (or win) in the weeks to o.AsOf, stage by stage: the
// sum of their chances, none for a lead past the rule (staleLL). The rule
// whose expected counts give the recorded advances the highest Poisson
// log likelihood is chosen, a later candidate only by more than
// staleGain. Advances are scored, not losses, because an export records
// every advance but perhaps not every loss.
// Without enough history it falls back on the derived rule. derived
// reports that the rule is the one derived from the stays that ended;
// otherwise it is 0 (none) or one of the fixed candidates.
func chooseStale(h *History, o Options) (rule time.Duration, derived bool) {
	inner := o
	inner.AsOf = o.AsOf.Add(-holdoutWeeks * week)
	inner.HazardHalfLife = math.Inf(1)
	inner.halfLives = nil
	inner.Spend = nil
	inner.DealSize = math.Max(o.DealSize, 1)
	inner.DeriveStale = false
	if w := findWindows(h, &o, o.Bands); !w.EventsFrom.IsZero() {
		inner.EventsFrom = w.EventsFrom
	}
	best, bestLL := time.Duration(-1), math.Inf(-1)
	for _, c := range staleCandidates {
		rule := c
		if c < 0 {
			rule = deriveStale(h, inner.AsOf)
		}
		inner.StaleAfter = rule
		m, err := estimateQuiet(h, inner)
		if err != nil {
			return deriveStale(h, o.AsOf), true
		}
		ll, n := staleLL(h, m, inner.AsOf, o.AsOf, rule)
		if n == 0 {
			return deriveStale(h, o.AsOf), true
		}
		gain := staleGain
		if math.IsInf(bestLL, -1) {
			gain = 0
		}
		if ll > bestLL+gain {
			best, bestLL = c, ll
		}
	}
	if best < 0 {
		return deriveStale(h, o.AsOf), true
	}
	return best, false
}

// staleLL is the Poisson log likelihood of each stage's advances (or
// wins), between from and to, of the leads open at from, at the expected
// counts m gives them: the sum of their chances of advancing, where a
// lead open longer than rule (when positive) at from has none. The forecast
// needs the counts right, so they are scored, not each lead. It also
// returns how many leads were scored.
func staleLL(h *History, m *model.Model, from, to time.Time, rule time.Duration) (float64, int) {
	nS := len(h.Stages)
	horizon := int(math.Round(to.Sub(from).Hours() / 168))
	hz := newHazardTable(m)
	want, got := make([]float64, len(m.Stages)), make([]float64, len(m.Stages))
	n := 0
	for i := range h.Leads {
		l := &h.Leads[i]
		if !l.Created().Before(from) {
			continue
		}
		walkStays(l, to, nS, func(s int, entry, exit time.Time, kind int) {
			if !entry.Before(from) || exit.Before(from) || s >= len(m.Stages) {
				return
			}
			n++
			if age := from.Sub(entry); rule <= 0 || age <= rule {
				want[s] += hz.advance(s, l.Channel, age.Hours()/168, horizon)
			}
			if kind >= 0 && kind <= nS && kind > s {
				got[s]++
			}
		})
	}
	ll := 0.0
	for s := range want {
		mu := math.Max(want[s], 0.5)
		lg, _ := math.Lgamma(got[s] + 1)
		ll += got[s]*math.Log(mu) - mu - lg
	}
	return ll, n
}

// hazardTable holds a model's weekly hazards of advance and loss per
// stage, channel and age band, each channel's pulled toward the stage's
// as the engine pulls them (PoolWeeks of the stage's rates); a band with
// no exposure yet has the rates of the band before it.
type hazardTable struct {
	bands    []int
	channels map[string]int
	adv, out [][][]float64 // [stage][channel, then the pooled last][band]
}

func newHazardTable(m *model.Model) *hazardTable {
	t := &hazardTable{channels: map[string]int{}}
	for c, ch := range m.Channels {
		t.channels[ch.Name] = c
	}
	for _, st := range m.Stages {
		nB := 0
		if len(st.Exits) > 0 {
			nB = len(st.Exits[0].Bands)
		}
		if t.bands == nil && nB > 0 {
			for _, b := range st.Exits[0].Bands {
				t.bands = append(t.bands, b.Weeks)
			}
		}
		pool := make([]model.Band, nB)
		for _, ex := range st.Exits {
			for k, b := range ex.Bands {
				pool[k].Exposure += b.Exposure
				pool[k].Advance += b.Advance
				pool[k].Lost += b.Lost
			}
		}
		adv, out := make([][]float64, len(st.Exits)+1), make([][]float64, len(st.Exits)+1)
		for c := range adv {
			adv[c], out[c] = make([]float64, nB), make([]float64, nB)
			for k := range nB {
				// A band no lead has reached yet keeps the rates of the
				// band before it, as the oldest leads seen have them.
				if k > 0 && pool[k].Exposure < 1 {
					adv[c][k], out[c][k] = adv[c][k-1], out[c][k-1]
					continue
				}
				pa, pl := (pool[k].Advance+0.01)/(pool[k].Exposure+0.1), (pool[k].Lost+0.01)/(pool[k].Exposure+0.1)
				adv[c][k], out[c][k] = pa, pl
				if c < len(st.Exits) {
					b := st.Exits[c].Bands[k]
					adv[c][k] = (b.Advance + st.PoolWeeks*pa) / (b.Exposure + st.PoolWeeks + 1e-9)
					out[c][k] = (b.Lost + st.PoolWeeks*pl) / (b.Exposure + st.PoolWeeks + 1e-9)
				}
			}
		}
		t.adv, t.out = append(t.adv, adv), append(t.out, out)
	}
	return t
}

// channel indexes the channel's hazards in stage s: the pooled ones for
// a channel the stage has none of.
func (t *hazardTable) channel(s int, name string) int {
	c, ok := t.channels[name]
	if !ok || c >= len(t.adv[s])-1 {
		c = len(t.adv[s]) - 1
	}
	return c
}

// advance is the chance that a lead in stage s of the channel, age weeks
// in it, advances within the next weeks.
func (t *hazardTable) advance(s int, channel string, age float64, weeks int) float64 {
	c := t.channel(s, channel)
	alive, p := 1.0, 0.0
	b := 0
	for j := range weeks {
		a := age + float64(j)
		for b+1 < len(t.bands) && a >= float64(t.bands[b+1]) {
			b++
		}
		if b >= len(t.adv[s][c]) {
			break
		}
		adv, out := t.adv[s][c][b], t.out[s][c][b]
		if rate := adv + out; rate > 0 {
			p += alive * adv / rate * -math.Expm1(-rate)
			alive *= math.Exp(-rate)
		}
	}
	return p
}
