package model

import (
	"sync/atomic"

	"github.com/funnelsim/funnelsim/model/rng"
)

// DealOutcome is one open deal of the model's pipeline (Pipeline.Deals,
// in its order) over a run with Options.Deals: the trials in which it was
// won from week Options.From to the horizon's end.
type DealOutcome struct {
	ID  string
	Won int64
}

// RepTrials is one rep's wins and their revenue per trial, from week
// Options.From to the horizon's end: the wins of the deals the rep owns,
// and of the deals created later, each given to a rep by the reps' shares
// of the hand-offs (Reps.Shares). The reps' wins and revenue sum to the
// run's in every trial when every rep with deals is listed and the shares
// cover every new deal; Unassigned holds what no rep took.
type RepTrials struct {
	Name          string
	Wins, Revenue []float64
}

// Unassigned names the wins of Result.Reps that no rep took: new deals
// where the shares are empty, and deals with no rep.
const Unassigned = "(unassigned)"

// dealRecord is a followed lead's outcome in a trial: the week it was won
// (-1 if it was not), its rep (-1 for none) and its amount.
type dealRecord struct {
	week, rep int32
	amount    float64
}

// tracker is what a worker keeps beyond the totals (plan.track).
type tracker struct {
	rec             []dealRecord // per followed lead's key: plan.deals, then plan.tracked
	reps            *rng.Stream  // the rep of each new deal won
	repWins, repRev []float64    // per rep, this trial; the last is no rep's
	won             []int32      // the plan's deals won from week from on, this trial
}

func newTracker(p *plan) *tracker {
	if !p.track.deals && !p.track.reps {
		return nil
	}
	n := len(p.repNames) + 1
	return &tracker{rec: make([]dealRecord, len(p.deals)+len(p.tracked)), reps: rng.NewStream(),
		repWins: make([]float64, n), repRev: make([]float64, n)}
}

func (k *tracker) reset() {
	for i := range k.rec {
		k.rec[i].week = -1
	}
	clear(k.repWins)
	clear(k.repRev)
	k.won = k.won[:0]
}

// addRep books a win of amount to rep r (-1: no rep's).
func (k *tracker) addRep(r int, amount float64) {
	if r < 0 {
		r = len(k.repWins) - 1
	}
	k.repWins[r]++
	k.repRev[r] += amount
}

// newWin books, for the reps, a new deal's win of amount in week t.
func (w *worker) newWin(t int, amount float64) {
	if k := w.tk; k != nil && w.p.track.reps && t >= w.p.track.from {
		k.addRep(w.p.pickRep(k.reps.Uniform()), amount)
	}
}

// dealWon records followed lead d's win in week t with amount; one with
// no rep gets one by the shares, from its own numbers.
func (w *worker) dealWon(d *dealState, t int, amount float64) {
	k := w.tk
	if k == nil {
		return
	}
	r := d.rep
	if r < 0 && w.p.track.reps {
		r = w.p.pickRep(d.rand.Uniform())
	}
	k.rec[d.key] = dealRecord{week: int32(t), rep: int32(r), amount: amount}
}

// collect books the followed leads' wins from week from on: the plan's
// deals won, and each win's rep. A lead of a channel whose outcomes w
// takes from lead (shareDeals) has lead's record.
func (w *worker) collect(lead *worker) {
	k, p := w.tk, w.p
	if k == nil {
		return
	}
	for key := range k.rec {
		ch := 0
		if key < len(p.deals) {
			ch = p.deals[key].ch
		} else {
			ch = p.tracked[key-len(p.deals)].ch
		}
		rec := k.rec[key]
		if w.shareDeals != nil && w.shareDeals[ch] {
			rec = lead.tk.rec[key]
		}
		if rec.week < int32(p.track.from) {
			continue
		}
		if key < len(p.deals) {
			k.won = append(k.won, int32(key))
		}
		if p.track.reps {
			k.addRep(int(rec.rep), rec.amount)
		}
	}
}

// trackResult is a Result's share of what the workers track.
type trackResult struct {
	dealWon []atomic.Int64 // per deal of the plan, trials won
}

// storeTrack writes worker w's tracked outcomes of its last trial as
// trial i.
func (r *Result) storeTrack(w *worker, i int) {
	k := w.tk
	if k == nil {
		return
	}
	if r.DealWins != nil {
		for _, d := range k.won {
			r.track.dealWon[d].Add(1)
		}
		r.DealWins[i] = float64(len(k.won))
	}
	for g := range r.Reps {
		r.Reps[g].Wins[i], r.Reps[g].Revenue[i] = k.repWins[g], k.repRev[g]
	}
}

// finishTrack sets the deals' outcomes once every trial is stored.
func (r *Result) finishTrack() {
	for i := range r.Deals {
		r.Deals[i].Won = r.track.dealWon[i].Load()
	}
}
