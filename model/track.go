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

// GroupTrials is one group's (a rep's, or a segment's value's) wins and
// their revenue per trial, from week Options.From to the horizon's end:
// the wins of the deals in the group, and of the deals created later,
// each given to a group by the groups' shares of the hand-offs
// (Reps.Shares, Segment.Shares). The groups, with Unassigned (what no
// group took), sum to the run's wins and revenue in every trial.
type GroupTrials struct {
	Name          string
	Wins, Revenue []float64
}

// Unassigned names the wins of Result.Groups that no group took: new
// deals where the shares are empty, and deals with no group.
const Unassigned = "(unassigned)"

// dealRecord is a followed lead's outcome in a trial: the week it was won
// (-1 if it was not), its group (-1 for none) and its amount.
type dealRecord struct {
	week, group int32
	amount      float64
}

// tracker is what a worker keeps beyond the totals (plan.track).
type tracker struct {
	rec             []dealRecord // per followed lead's key: plan.deals, then plan.tracked
	groups          *rng.Stream  // the group of each new deal won
	grpWins, grpRev []float64    // per group, this trial; the last is no group's
	won             []int32      // the plan's deals won from week from on, this trial
}

func newTracker(p *plan) *tracker {
	if !p.track.deals && !p.track.groups {
		return nil
	}
	n := len(p.groupNames) + 1
	return &tracker{rec: make([]dealRecord, len(p.deals)+len(p.tracked)), groups: rng.NewStream(),
		grpWins: make([]float64, n), grpRev: make([]float64, n)}
}

func (k *tracker) reset() {
	for i := range k.rec {
		k.rec[i].week = -1
	}
	clear(k.grpWins)
	clear(k.grpRev)
	k.won = k.won[:0]
}

// addGroup books a win of amount to group g (-1: no group's).
func (k *tracker) addGroup(g int, amount float64) {
	if g < 0 {
		g = len(k.grpWins) - 1
	}
	k.grpWins[g]++
	k.grpRev[g] += amount
}

// newWin books, for the groups, a new deal's win of amount in week t.
func (w *worker) newWin(t int, amount float64) {
	if k := w.tk; k != nil && w.p.track.groups && t >= w.p.track.from {
		k.addGroup(w.p.pickGroup(k.groups.Uniform()), amount)
	}
}

// dealWon records followed lead d's win in week t with amount; one with
// no group gets one by the shares, from its own numbers.
func (w *worker) dealWon(d *dealState, t int, amount float64) {
	k := w.tk
	if k == nil {
		return
	}
	r := d.group
	if r < 0 && w.p.track.groups {
		r = w.p.pickGroup(d.rand.Uniform())
	}
	k.rec[d.key] = dealRecord{week: int32(t), group: int32(r), amount: amount}
}

// collect books the followed leads' wins from week from on: the plan's
// deals won, and each win's group. A lead of a channel whose outcomes w
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
		if p.track.groups {
			k.addGroup(int(rec.group), rec.amount)
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
	for g := range r.Groups {
		r.Groups[g].Wins[i], r.Groups[g].Revenue[i] = k.grpWins[g], k.grpRev[g]
	}
}

// finishTrack sets the deals' outcomes once every trial is stored.
func (r *Result) finishTrack() {
	for i := range r.Deals {
		r.Deals[i].Won = r.track.dealWon[i].Load()
	}
}
