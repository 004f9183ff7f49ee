package model

import (
	"errors"
	"math"

	"github.com/funnelsim/funnelsim/model/rng"
)

// Expected holds expected values over a horizon.
type Expected struct {
	Entries []float64 // per stage; the first stage's entries are arrivals
	Wins    float64
	Revenue float64
	// Deals is each open deal's chance of being won within the horizon,
	// in the order of the model's Pipeline.Deals.
	Deals []float64
}

// Expect computes the expected entries per stage, wins and revenue of m
// over weeks by a deterministic pass over expected counts at the posterior
// means of the parameters. It is written apart from the simulation, as its
// oracle, and does not model capacity: it refuses a model whose reps limit
// hand-offs (set reps.unlimited).
func Expect(m *Model, weeks int) (*Expected, error) {
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	if !m.Reps.Unlimited {
		return nil, errors.New("model: Expect needs reps.unlimited: the expectation of a capacity limit is not the limit of the expectation")
	}
	base := newParams(p)
	base.draw(p, rng.NewStream(), 0, 0, true)
	// Each epoch of the model's changes has its own parameters.
	qs := make([]*params, len(p.epochs))
	for i := range qs {
		qs[i] = newParams(p)
		qs[i].applyEpoch(base, p, &p.epochs[i])
	}
	q, epoch := qs[0], 0
	qe := q // the epoch's parameters; q is the week's, with the quarter cycle
	e := &Expected{Entries: make([]float64, p.nS), Deals: make([]float64, len(p.deals))}
	// x[c][s][a] expected open leads; deals as a probability over states.
	x := make([][][]float64, p.nC)
	for c := range x {
		x[c] = make([][]float64, p.nS)
		for s := range x[c] {
			x[c][s] = make([]float64, p.maxAge+1)
			for a := range x[c][s] {
				x[c][s][a] = float64(p.open[p.cell(c, s, a)])
			}
		}
	}
	// Without a limit, every queued lead is accepted in the week it waits.
	queued := make([]float64, p.nC)
	for c := range queued {
		queued[c] = float64(p.queue[c])
	}
	mean := make([]float64, p.nC)
	for c := range mean {
		mean[c] = q.dealMean(p, c)
	}
	deals := make([]dealDist, len(p.deals))
	for i, d := range p.deals {
		deals[i] = newDealDist(p, d)
	}
	// settle adds k expected leads of channel c entering stage d mid-week:
	// the share pEntry leaves in the rest of the week, its advances going
	// on at once.
	var settle func(d, c, from int, k float64)
	advance := func(s, c int, adv float64, cascaded bool) {
		from := -1
		if cascaded {
			from = s
		}
		for j, d := range p.dest[s] {
			k := adv * q.destP[s][j]
			switch {
			case d == p.nS:
				e.Wins += k
				e.Revenue += k * mean[c]
			case d == p.salesStart:
				queued[c] += k
			default:
				e.Entries[d] += k
				settle(d, c, from, k)
			}
		}
	}
	settle = func(d, c, from int, k float64) {
		pe := q.entry(p, from, d, c)
		x[c][d][0] += k * (1 - pe)
		advance(d, c, k*pe*q.qAdv[p.hz(d, c, 0)], true)
	}
	for t := range weeks {
		if epoch+1 < len(p.epochs) && p.epochs[epoch+1].week == t {
			epoch++
			qe = qs[epoch]
			for c := range mean {
				mean[c] = qe.dealMean(p, c)
			}
		}
		q = qe
		if p.cycle != nil {
			q = qe.cycledCopy(p, p.cycle[t])
		}
		for i := range deals {
			won := deals[i].step(p, q, e)
			e.Wins += won
			e.Deals[i] += won
			if d := p.deals[i]; d.known {
				e.Revenue += won * d.amount
			} else {
				e.Revenue += won * mean[d.ch]
			}
		}
		for s := p.nS - 1; s >= 0; s-- {
			for c := range p.nC {
				adv := 0.0
				row := x[c][s]
				next := make([]float64, len(row))
				for a, n := range row {
					i := p.hs(s, c, p.slotOf[a])
					adv += n * q.cell[i].leave * q.cell[i].adv
					next[min(a+1, p.maxAge)] += n * (1 - q.cell[i].leave)
				}
				copy(row, next)
				advance(s, c, adv, false)
			}
		}
		for c := range p.nC {
			// E[shock] = 1, so the mean arrivals are the channel's mean with trend.
			a := q.mean[c] * math.Exp(q.trend[c]*p.trendWeeks(c, t)) * q.seasonAt(p, t)
			e.Entries[0] += a
			if p.salesStart == 0 {
				queued[c] += a // a sales-only funnel: arrivals wait for a rep
			} else {
				settle(0, c, -1, a)
			}
			// Without a limit, every queued lead is accepted in the week.
			k := queued[c]
			queued[c] = 0
			if p.salesStart > 0 {
				e.Entries[p.salesStart] += k
			}
			settle(p.salesStart, c, -1, k)
		}
	}
	return e, nil
}

// dealDist is an open deal's probability of being in each (stage, age).
type dealDist struct {
	ch int
	pr [][]float64
}

func newDealDist(p *plan, d dealState) dealDist {
	dd := dealDist{ch: d.ch, pr: make([][]float64, p.nS)}
	for s := range dd.pr {
		dd.pr[s] = make([]float64, p.maxAge+1)
	}
	dd.pr[d.stage][d.age] = 1
	return dd
}

// step moves the deal one week and returns the probability it was won.
func (d *dealDist) step(p *plan, q *params, e *Expected) float64 {
	won := 0.0
	for s := p.nS - 1; s >= 0; s-- {
		row := d.pr[s]
		next := make([]float64, len(row))
		adv := 0.0
		for a, pr := range row {
			i := p.hs(s, d.ch, p.slotOf[a])
			adv += pr * q.cell[i].leave * q.cell[i].adv
			next[min(a+1, p.maxAge)] += pr * (1 - q.cell[i].leave)
		}
		copy(row, next)
		won += d.advance(p, q, e, s, false, adv)
	}
	return won
}

// advance moves probability adv of advancing from stage s on (entered
// this week if cascaded), settling it mid-week as settleDeal does, and
// returns the part won.
func (d *dealDist) advance(p *plan, q *params, e *Expected, s int, cascaded bool, adv float64) float64 {
	from := -1
	if cascaded {
		from = s
	}
	won := 0.0
	for j, to := range p.dest[s] {
		k := adv * q.destP[s][j]
		if to == p.nS {
			won += k
			continue
		}
		e.Entries[to] += k
		pe := q.entry(p, from, to, d.ch)
		d.pr[to][0] += k * (1 - pe)
		won += d.advance(p, q, e, to, true, k*pe*q.qAdv[p.hz(to, d.ch, 0)])
	}
	return won
}

// MeanDealSizes is each channel's mean deal size at the posterior means
// of the deal-size parameters, in the model's order of channels: what a
// deal won with no amount of its own is expected to bring.
func MeanDealSizes(m *Model) ([]float64, error) {
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	q := newParams(p)
	q.draw(p, rng.NewStream(), 0, 0, true)
	out := make([]float64, p.nC)
	for c := range out {
		out[c] = q.dealMean(p, c)
	}
	return out, nil
}
