package model

import (
	"math"
	"math/bits"
	"slices"

	"github.com/funnelsim/funnelsim/model/rng"
)

// worker simulates trials one at a time; it owns every buffer it uses, so
// workers share nothing but the plan (read-only) and the output arrays
// (each trial writes only its own elements).
type worker struct {
	p    *plan
	q    *params       // this week's parameters: base, or an epoch's
	base *params       // the trial's draws: own, or another worker's
	own  *params       // this worker's draws
	qs   []*params     // per epoch, when the model has changes
	e    int           // this week's epoch
	par  *rng.Stream   // parameter draws
	tr   []*rng.Stream // transitions, per stage and channel
	arr  []*rng.Stream // arrivals, per channel
	amt  *rng.Stream   // amounts of won deals
	cap  *rng.Stream   // acceptance and going cold in the hand-off queue
	dl   rng.Counter   // open leads followed one by one (deals), a sub-counter each

	log        *marketingLog // what this trial's marketing stages sent on, if others replay it
	share      []bool        // per channel: marketing stages replayed from the lead's log
	shareDeals []bool        // per channel: followed leads' outcomes taken from the lead's trial
	follow     []dealState   // the followed leads w simulates itself (not shareDeals), as a trial starts

	n      []int32  // open leads by cell(c, s, a)
	occ    []uint64 // occupied ages, a bit per age, nw words per (s, c)
	nw     int
	queue  []int
	deals  []dealState
	dealAt []int32 // per week, the first deal to leave its stage in it, listed through dealState.next
	dt     dealTotals
	weeks  int // the trial's horizon
	// closeF is this week's chance that an exit due from the opportunity
	// stage on happens, below 1 where the close capacity binds.
	closeF  float64
	thin    []cellRate // thinned's buffer
	cyc     []cellRate // cycled's buffer
	split   []int
	tot     trialTotals
	cumRev  []float64 // per week, this trial
	cumWins []float64
	tk      *tracker // what the run keeps beyond the totals; nil for nothing
}

type trialTotals struct {
	nC                          int
	entries                     []float64 // per stage and channel: s*nC + c
	chWins, chRev               []float64 // per channel
	handoffs, cold, wins, lostO float64
	revenue, accepted, capSum   float64
}

// stage is the trial's entries into stage s, over the channels.
func (t *trialTotals) stage(s int) float64 {
	sum := 0.0
	for _, x := range t.entries[s*t.nC : (s+1)*t.nC] {
		sum += x
	}
	return sum
}

func newWorker(p *plan) *worker {
	w := &worker{p: p, own: newParams(p), par: rng.NewStream(), amt: rng.NewStream(), cap: rng.NewStream()}
	if p.changed() {
		for range p.epochs {
			w.qs = append(w.qs, newParams(p))
		}
	}
	for range p.nS * p.nC {
		w.tr = append(w.tr, rng.NewStream())
	}
	for range p.nC {
		w.arr = append(w.arr, rng.NewStream())
	}
	w.n = make([]int32, len(p.open))
	w.nw = p.maxAge/64 + 1
	w.occ = make([]uint64, p.nS*p.nC*w.nw)
	w.queue = make([]int, p.nC)
	w.split = make([]int, p.nS+1)
	w.tot.entries = make([]float64, p.nS*p.nC)
	w.tot.chWins, w.tot.chRev = make([]float64, p.nC), make([]float64, p.nC)
	w.tk = newTracker(p)
	return w
}

// setShares sets what w takes from its lead's trial: per channel, the
// marketing stages (share) and the followed leads' outcomes (deals); nil
// for none.
func (w *worker) setShares(share, deals []bool) {
	p := w.p
	w.share, w.shareDeals, w.follow = share, deals, nil
	for i, d := range append(slices.Clone(p.deals), p.tracked...) {
		if deals == nil || !deals[d.ch] {
			d.key = uint64(i)
			w.follow = append(w.follow, d)
		}
	}
}

// trial simulates one trial over weeks and leaves its totals in w.tot and
// its weekly cumulative revenue and wins in w.cumRev and w.cumWins. lead,
// if not nil, is the worker of a plan with the same posterior
// (posterior.equal) that has just run the same trial: w takes its
// parameter draw, and replays its log for the channels whose marketing
// stages w shares (w.share).
func (w *worker) trial(seed, trial uint64, weeks int, fixed bool, lead *worker) {
	p := w.p
	if lead != nil {
		w.base = lead.base
	} else {
		w.base = w.own
		w.base.draw(p, w.par, seed, trial, fixed)
	}
	w.q, w.e = w.base, 0
	if w.qs != nil {
		for e := range p.epochs {
			w.qs[e].applyEpoch(w.base, p, &p.epochs[e])
		}
		w.q = w.qs[0]
	}
	w.resetStreams(seed, trial, lead)
	w.reset(weeks)
	var src *marketingLog
	if lead != nil && w.share != nil {
		src = lead.log
	}
	k := 0 // the marketing steps so far, each a segment of the log
	for t := range weeks {
		if w.qs != nil && w.e+1 < len(p.epochs) && p.epochs[w.e+1].week == t {
			w.e++
			w.q = w.qs[w.e]
		}
		w.closeF = 1
		if p.closeCap {
			w.closeF = w.closeFactor(t)
		}
		w.stepDeals(t)
		k = w.stepFunnel(t, src, k)
		w.work(t)
	}
	if src != nil {
		w.takeEntries(lead)
	}
	w.addDeals(lead)
}

// addDeals adds the followed leads' outcomes, per channel in a fixed
// order, to the trial's totals: from lead for the channels whose outcomes
// w takes from it (w.shareDeals), else w's own. It then sums the weekly
// wins and revenue into cumulative ones.
func (w *worker) addDeals(lead *worker) {
	p := w.p
	for c := range p.nC {
		d := &w.dt
		if w.shareDeals != nil && w.shareDeals[c] {
			d = &lead.dt
		}
		for t := range w.weeks {
			w.cumRev[t] += d.rev[c*w.weeks+t]
			w.cumWins[t] += d.wins[c*w.weeks+t]
		}
		for t := p.track.from; t < w.weeks; t++ {
			w.tot.chRev[c] += d.rev[c*w.weeks+t]
			w.tot.chWins[c] += d.wins[c*w.weeks+t]
		}
		w.tot.lostO += d.lost[c]
		for s := range p.nS {
			w.tot.entries[s*p.nC+c] += d.entries[s*p.nC+c]
		}
	}
	w.collect(lead)
	for t := 1; t < w.weeks; t++ {
		w.cumRev[t] += w.cumRev[t-1]
		w.cumWins[t] += w.cumWins[t-1]
	}
	w.tot.revenue, w.tot.wins = w.cumRev[w.weeks-1], w.cumWins[w.weeks-1]
}

// resetStreams keys the trial's streams, or starts them where lead's
// started: lead has the same stages and channels, and ran the same trial.
func (w *worker) resetStreams(seed, trial uint64, lead *worker) {
	p := w.p
	if lead != nil {
		for i, st := range w.tr {
			st.ResetLike(lead.tr[i])
		}
		for c, st := range w.arr {
			st.ResetLike(lead.arr[c])
		}
		w.amt.ResetLike(lead.amt)
		w.cap.ResetLike(lead.cap)
		w.dl = lead.dl
		if w.tk != nil {
			w.tk.groups.ResetLike(lead.tk.groups)
		}
		return
	}
	for s := range p.nS {
		for c := range p.nC {
			w.tr[s*p.nC+c].Reset(seed, trial, purposeTransitions, uint64(s), uint64(c))
		}
	}
	for c := range p.nC {
		w.arr[c].Reset(seed, trial, purposeArrivals, uint64(c))
	}
	w.amt.Reset(seed, trial, purposeAmounts)
	w.cap.Reset(seed, trial, purposeCapacity)
	w.dl = rng.NewCounter(seed, trial, purposeOpenDeals)
	if w.tk != nil {
		w.tk.groups.Reset(seed, trial, purposeGroups)
	}
}

// stepFunnel moves week t's cohorts, last stage first, and adds its
// arrivals. A marketing stage's step, or a channel's arrivals, is the
// log's segment k: replayed from src for the channels w shares, else
// simulated (and logged, when w keeps a log). It returns the next k.
func (w *worker) stepFunnel(t int, src *marketingLog, k int) int {
	p := w.p
	for s := p.nS - 1; s >= 0; s-- {
		for c := range p.nC {
			switch {
			case s >= p.salesStart:
				w.stepCohort(s, c, t)
				continue
			case src != nil && w.share[c]:
				w.replay(src, k, c, t)
			default:
				w.stepCohort(s, c, t)
				w.log.close()
			}
			k++
		}
	}
	for c := range p.nC {
		if src != nil && w.share[c] {
			w.replay(src, k, c, t)
		} else {
			w.arrive(c, t)
			w.log.close()
		}
		k++
	}
	return k
}

func (w *worker) reset(weeks int) {
	p := w.p
	copy(w.n, p.start)
	copy(w.occ, p.occ)
	w.log.reset()
	copy(w.queue, p.queue)
	w.weeks = weeks
	if cap(w.dealAt) < weeks {
		w.dealAt = make([]int32, weeks)
	}
	w.dealAt = w.dealAt[:weeks]
	for t := range w.dealAt {
		w.dealAt[t] = -1
	}
	w.dt.reset(p.nS, p.nC, weeks)
	if w.tk != nil {
		w.tk.reset()
	}
	w.deals = append(w.deals[:0], w.follow...)
	for i := range w.deals {
		d := &w.deals[i]
		d.id, d.rand = i, w.dl.Sub(d.key)
		w.scheduleDeal(d, 0)
	}
	clear(w.tot.entries)
	clear(w.tot.chWins)
	clear(w.tot.chRev)
	w.tot = trialTotals{entries: w.tot.entries, chWins: w.tot.chWins, chRev: w.tot.chRev, nC: p.nC}
	w.cumRev, w.cumWins = grow(w.cumRev, weeks), grow(w.cumWins, weeks)
	clear(w.cumRev)
	clear(w.cumWins)
}

// mark records that age a of stage s and channel c is occupied.
func (w *worker) mark(s, c, a int) {
	w.occ[(s*w.p.nC+c)*w.nw+a/64] |= 1 << (a % 64)
}

// stepCohort moves one week of channel c's leads in stage s: in each
// occupied age cell, L ~ Bin(n, P(leave)) leave, of whom Bin(L, P(advance |
// leave)) advance and the rest are lost; the others age by a week. Cells
// are visited oldest first, so survivors move into a cell already done; an
// occupancy bitmask skips the empty ones.
func (w *worker) stepCohort(s, c, t int) {
	p := w.p
	occ := w.occ[(s*p.nC+c)*w.nw : (s*p.nC+c+1)*w.nw]
	base := p.cell(c, s, 0)
	rates := w.q.cell[p.hs(s, c, 0):p.hs(s, c, p.nSlot)]
	cells := w.n[base : base+p.maxAge+1]
	st := w.tr[s*p.nC+c]
	opp := s >= p.oppStage
	if opp && p.cycle != nil {
		rates = w.cycled(rates, t)
	}
	if opp && w.closeF < 1 {
		rates = w.thinned(rates, w.closeF)
	}
	maxAge := p.maxAge
	advanced, lost := 0, 0
	for wi := len(occ) - 1; wi >= 0; wi-- {
		next := uint64(0) // word wi's occupancy after the week
		for x := occ[wi]; x != 0; {
			bit := 63 - bits.LeadingZeros64(x)
			x &^= 1 << bit
			a := wi*64 + bit
			n := int(cells[a])
			cells[a] = 0
			r := &rates[p.slotOf[a]]
			var leave, adv int
			if n <= smallCell {
				leave, adv = st.CountBelow(n, r.tLeave, r.tBoth)
			} else {
				leave, adv = exits(st, n, r.leave, r.adv)
			}
			lost += leave - adv
			advanced += adv
			// The survivors age a week, without a branch on whether
			// there are any: that is a coin toss for small cells.
			stay := n - leave
			to := min(a+1, maxAge)
			cells[to] += int32(stay)
			if bit := uint64(b2i(stay > 0)) << (to % 64); to/64 == wi {
				next |= bit
			} else {
				occ[to/64] |= bit // the word above, already done
			}
		}
		occ[wi] = next
	}
	if opp {
		w.tot.lostO += float64(lost)
	}
	if advanced > 0 {
		w.route(s, c, advanced, t, false)
	}
}

// smallCell is the largest cell drawn lead by lead. Most occupied cells
// are small (the old tail of each stage holds one or two leads), and up to
// about this size half a generator step per lead (32-bit draws, about 2 ns)
// costs less than two exact binomial draws (35 to 55 ns each). Measured
// (BenchmarkRun, one worker, two runs each): 24 gave 11,700 trials/s for
// the sample company and 4,900 for ten times its leads; 64 gave 12,150
// and 5,300; 96 gave 12,250 and 5,280; 128 gave 12,180 and 5,190.
const smallCell = 64

// exits draws how many of n leads leave in a week and how many of those
// advance: a multinomial over (advance, lost, stay), lead by lead for small
// cells and as conditional binomials otherwise.
func exits(st *rng.Stream, n int, pLeave, qAdv float64) (leave, adv int) {
	if n <= smallCell {
		return st.CountBelow(n, rng.Threshold(pLeave), rng.Threshold(pLeave*qAdv))
	}
	leave = rng.Binomial(st, n, pLeave)
	if leave > 0 {
		adv = rng.Binomial(st, leave, qAdv)
	}
	return leave, adv
}

// route sends n advances of channel c from stage s to their destinations;
// cascaded says they entered s in this same week.
func (w *worker) route(s, c, n, t int, cascaded bool) {
	from := -1
	if cascaded {
		from = s
	}
	p := w.p
	dest := p.dest[s]
	if len(dest) == 1 {
		w.cross(s, dest[0], c, n, t, from)
		return
	}
	k := rng.Multinomial(w.tr[s*p.nC+c], n, w.q.destP[s], w.split[:len(dest)])
	for j, d := range dest {
		if k[j] > 0 {
			w.cross(s, d, c, k[j], t, from)
		}
	}
}

// cross enters n advances from stage s into stage d, and logs those that
// cross from the marketing stages into the sales funnel (or to won) when
// this worker keeps a log for others to replay.
func (w *worker) cross(s, d, c, n, t, from int) {
	if w.log != nil && s < w.p.salesStart && d >= w.p.salesStart {
		w.log.add(d, n, from)
	}
	w.enter(d, c, n, t, from)
}

// enter adds n leads of channel c to stage d: the hand-off queue for the
// sales start, the won deals past the last stage, else stage d (settle).
func (w *worker) enter(d, c, n, t, from int) {
	p := w.p
	switch {
	case d == p.nS:
		w.win(c, n, t)
	case d == p.salesStart:
		w.queue[c] += n
		w.tot.handoffs += float64(n)
	default:
		w.tot.entries[d*p.nC+c] += float64(n)
		w.settle(d, c, n, t, from)
	}
}

// settle places n leads of channel c that entered stage d during week t,
// from stage from in the same week (or -1: at a time uniform over the
// week). Before their first whole week at age 0, each may leave in the rest
// of the week it entered (pEntry, or pCascade for the shorter rest of a
// lead that crossed from in the week); those who advance go on at once, so
// a lead can cross several short stages in a week, as in continuous time.
func (w *worker) settle(d, c, n, t, from int) {
	p := w.p
	b := p.hz(d, c, 0)
	pl, qa := w.entryChances(from, d, c, b, t)
	leave, adv := exits(w.tr[d*p.nC+c], n, pl, qa)
	if d >= p.oppStage {
		w.tot.lostO += float64(leave - adv)
	}
	if stay := n - leave; stay > 0 {
		w.n[p.cell(c, d, 0)] += int32(stay)
		w.mark(d, c, 0)
	}
	if adv > 0 {
		w.route(d, c, adv, t, true)
	}
}

// win books n won deals of channel c in week t with lognormal amounts.
func (w *worker) win(c, n, t int) {
	sum := 0.0
	if w.p.emp[c] != nil {
		for range n {
			a := w.q.amount(w.p, c, w.amt.Uniform())
			sum += a
			w.newWin(t, a)
		}
	} else {
		r := w.amt.Rand
		mu, sigma := w.q.dealMu[c], w.q.dealSigma[c]
		for range n {
			a := math.Exp(mu + sigma*r.NormFloat64())
			sum += a
			w.newWin(t, a)
		}
	}
	w.cumWins[t] += float64(n)
	w.cumRev[t] += sum
	if t >= w.p.track.from {
		w.tot.chWins[c] += float64(n)
		w.tot.chRev[c] += sum
	}
}

// won books deal d, won in week t: its amount if known, else a lognormal
// draw from its own stream, so that its win shifts no other's amount.
func (w *worker) won(d *dealState, t int) {
	amount := d.amount
	switch {
	case d.known:
	case w.p.emp[d.ch] != nil:
		amount = w.q.amount(w.p, d.ch, d.rand.Uniform())
	default:
		z := math.Sqrt2 * math.Erfinv(2*d.rand.Uniform()-1)
		amount = math.Exp(w.q.dealMu[d.ch] + w.q.dealSigma[d.ch]*z)
	}
	w.dt.wins[d.ch*w.weeks+t]++
	w.dt.rev[d.ch*w.weeks+t] += amount
	w.dealWon(d, t, amount)
}

// entryChances are the chance that a lead entering stage d of channel c
// in week t (from stage from in the same week, or -1) leaves before the
// week ends, and that it then advances (b is its hazard's index), with
// the quarter cycle of week t from the opportunity stage on.
func (w *worker) entryChances(from, d, c, b, t int) (pLeave, qAdv float64) {
	p := w.p
	pLeave, qAdv = w.q.entry(p, from, d, c), w.q.qAdv[b]
	if p.cycle != nil && d >= p.oppStage {
		pLeave, qAdv = p.cycle[t].apply(pLeave, qAdv)
	}
	return pLeave, qAdv
}

// thinned returns a stage and channel's cell rates with each chance of
// leaving multiplied by f, in the worker's buffer, so that the cohort step
// draws the close capacity's thinned exits as it draws any other.
func (w *worker) thinned(rates []cellRate, f float64) []cellRate {
	w.thin = append(w.thin[:0], rates...)
	for i := range w.thin {
		r := &w.thin[i]
		r.set(r.leave*f, r.adv)
	}
	return w.thin
}

// closeFactor is the chance that an exit due in week t from the
// opportunity stage on happens: the team's close capacity over the exits
// the hazards make due (the open cohorts' expected exits and the
// followed leads scheduled to leave), or 1 where it does not bind. Exits
// in the week a lead enters a stage are not counted or held back.
func (w *worker) closeFactor(t int) float64 {
	p := w.p
	due := 0.0
	for s := p.oppStage; s < p.nS; s++ {
		for c := range p.nC {
			occ := w.occ[(s*p.nC+c)*w.nw : (s*p.nC+c+1)*w.nw]
			cells := w.n[p.cell(c, s, 0):]
			rates := w.q.cell[p.hs(s, c, 0):]
			if p.cycle != nil {
				rates = w.cycled(rates[:p.nSlot], t)
			}
			for wi, x := range occ {
				for ; x != 0; x &= x - 1 {
					a := wi*64 + bits.TrailingZeros64(x)
					due += float64(cells[a]) * rates[p.slotOf[a]].leave
				}
			}
		}
	}
	for i := w.dealAt[t]; i >= 0; i = w.deals[i].next {
		if w.deals[i].stage >= p.oppStage {
			due++
		}
	}
	if capacity := p.closeCapacity(t); due > capacity {
		return capacity / due
	}
	return 1
}

// stepDeals moves the leads followed one by one (deals, and the opening
// pipeline's old leads) whose time in stage ends in week t (see
// scheduleDeal): each advances with the week's chance of advancing given
// that it leaves, or is lost.
func (w *worker) stepDeals(t int) {
	p := w.p
	for i := w.dealAt[t]; i >= 0; {
		d := &w.deals[i]
		i = d.next // d may be listed in a later week below
		if d.stage >= p.oppStage && w.closeF < 1 && d.rand.Uniform() >= w.closeF {
			// The close capacity holds it back: it stays a week more,
			// and its stay goes on from its age then.
			d.age = min(d.age+1, p.maxAge)
			w.scheduleDeal(d, t+1)
			continue
		}
		adv := w.q.cell[p.hs(d.stage, d.ch, p.slotOf[d.age])].adv
		if p.cycle != nil && d.stage >= p.oppStage {
			adv = oddsScaled(adv, p.cycle[t].adv/p.cycle[t].loss)
		}
		if d.rand.Uniform() >= adv {
			if d.stage >= p.oppStage {
				w.dt.lost[d.ch]++
			}
			continue
		}
		to := w.pickDest(d.stage, d.rand.Uniform())
		if to == p.nS {
			w.won(d, t)
			continue
		}
		w.dt.entries[to*p.nC+d.ch]++
		w.settleDeal(d, to, t, -1)
	}
}

// scheduleDeal draws the week in which deal d, at its age at the start of
// week t, leaves its stage, by inverting its chance of staying week after
// week (one uniform, however long it stays), and lists it among the deals
// that leave in that week (none past the horizon), with its age then. The
// chances of leaving are those of the cohorts' cells; changes from a week
// alter only the chance of advancing, decided when it leaves.
func (w *worker) scheduleDeal(d *dealState, t int) {
	p := w.p
	u := d.rand.Uniform()
	cells := w.q.cell[p.hs(d.stage, d.ch, 0):]
	stay, a := 1.0, d.age
	// Under the quarter cycle a week's chance of leaving depends on the
	// chance of advancing, which a change alters: each week's is its
	// epoch's.
	cyc, e := p.cycle != nil && d.stage >= p.oppStage, w.e
	for ; t < w.weeks; t++ {
		if r := cells[p.slotOf[a]]; cyc {
			if w.qs != nil {
				for e+1 < len(p.epochs) && p.epochs[e+1].week <= t {
					e++
				}
				r = w.qs[e].cell[p.hs(d.stage, d.ch, p.slotOf[a])]
			}
			leave, _ := p.cycle[t].apply(r.leave, r.adv)
			stay *= 1 - leave
		} else {
			stay *= 1 - r.leave
		}
		if u >= stay {
			d.age = a
			d.next, w.dealAt[t] = w.dealAt[t], int32(d.id)
			return
		}
		a = min(a+1, p.maxAge)
	}
}

// settleDeal moves deal d into stage s in week t; as settle does for
// cohorts, it may leave in the rest of that week, and advance again;
// otherwise its time in s is drawn from the next week on.
func (w *worker) settleDeal(d *dealState, s, t, from int) {
	p := w.p
	for {
		b := p.hz(s, d.ch, 0)
		u := d.rand.Uniform()
		pl, qa := w.entryChances(from, s, d.ch, b, t)
		switch {
		case u < pl*qa:
			to := w.pickDest(s, d.rand.Uniform())
			if to == p.nS {
				w.won(d, t)
				return
			}
			w.dt.entries[to*p.nC+d.ch]++
			from, s = s, to
			continue
		case u < pl:
			if s >= p.oppStage {
				w.dt.lost[d.ch]++
			}
		default:
			d.stage, d.age = s, 0
			w.scheduleDeal(d, t+1)
		}
		return
	}
}

func (w *worker) pickDest(s int, u float64) int {
	dest := w.p.dest[s]
	for j, share := range w.q.destP[s] {
		if u < share {
			return dest[j]
		}
		u -= share
	}
	return dest[len(dest)-1]
}

// work lets the reps accept hand-offs up to the week's capacity; each
// waiting lead is accepted with probability capacity/queue, and those left
// waiting go cold at the cold rate.
func (w *worker) work(t int) {
	p := w.p
	total := 0
	for _, q := range w.queue {
		total += q
	}
	capacity := p.capacity(t)
	if !p.m.Reps.Unlimited {
		w.tot.capSum += capacity
	}
	if total == 0 {
		return
	}
	f := 1.0
	if !p.m.Reps.Unlimited && float64(total) > capacity {
		f = capacity / float64(total)
	}
	r := w.cap
	for c, q := range w.queue {
		if q == 0 {
			continue
		}
		acc := rng.Binomial(r, q, f)
		if acc > 0 {
			if p.salesStart > 0 { // the first stage's entries are arrivals
				w.tot.entries[p.salesStart*p.nC+c] += float64(acc)
			}
			w.tot.accepted += float64(acc)
			w.settle(p.salesStart, c, acc, t, -1)
		}
		left := q - acc
		cold := rng.Binomial(r, left, p.epochs[w.e].coldRate)
		w.tot.cold += float64(cold)
		w.queue[c] = left - cold
	}
}

// arrive adds week t's new leads of channel c: negative binomial around
// the trial's mean, trend, season and shared shock.
func (w *worker) arrive(c, t int) {
	p := w.p
	mu := w.q.mean[c] * w.q.shock * math.Exp(w.q.trend[c]*p.trendWeeks(c, t)) * w.q.seasonAt(p, t)
	y := rng.NegBinomial(w.arr[c], mu, p.phi[c])
	switch {
	case y == 0:
	case p.salesStart == 0:
		// A sales-only funnel: leads arrive in the reps' queue.
		w.queue[c] += y
		w.tot.handoffs += float64(y)
		w.tot.entries[c] += float64(y)
	default:
		w.tot.entries[c] += float64(y)
		w.settle(0, c, y, t, -1)
	}
}

// b2i is 1 for true: the compiler makes it a conditional set.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
