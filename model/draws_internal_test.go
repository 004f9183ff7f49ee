package model

import (
	"testing"

	"github.com/funnelsim/funnelsim/model/rng"
)

// TestScenarioSharesDraws: a model and a scenario of it (changes from a
// week, more reps, another cold rate) compile to equal posteriors, so
// that RunAll gives them one draw a trial; a model whose hazards differ
// does not.
func TestScenarioSharesDraws(t *testing.T) {
	m := testModel(t)
	p, err := compile(m)
	if err != nil {
		t.Fatal(err)
	}
	sc := *m
	sc.Changes = append(sc.Changes, Change{Week: 3, Channel: m.Channels[0].Name, Leads: ptr(1.5)},
		Change{Week: 5, Stage: m.Stages[2].Name, Conversion: ptr(1.2)})
	sc.Reps.Count += 2
	sc.Reps.ColdRate = 0.1
	q, err := compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	if !p.posterior.equal(&q.posterior) {
		t.Error("a scenario's posterior differs from its model's")
	}
	other := *m
	other.Stages = append([]Stage(nil), m.Stages...)
	other.Stages[1].Exits = append([]ChannelExits(nil), m.Stages[1].Exits...)
	ex := &other.Stages[1].Exits[0]
	ex.Bands = append([]Band(nil), ex.Bands...)
	ex.Bands[0].Advance++
	r, err := compile(&other)
	if err != nil {
		t.Fatal(err)
	}
	if p.posterior.equal(&r.posterior) {
		t.Error("a model with another hazard has its model's posterior")
	}
}

// TestApplyEpochKeepsDraw: an epoch that changes nothing gives the
// model's draw as it is, and one that scales a stage's conversion
// changes that stage's chances of advancing and nothing drawn.
func TestApplyEpochKeepsDraw(t *testing.T) {
	m := testModel(t)
	p, err := compile(m)
	if err != nil {
		t.Fatal(err)
	}
	base, q := newParams(p), newParams(p)
	base.draw(p, rng.NewStream(), 3, 0, false)
	q.applyEpoch(base, p, &p.epochs[0])
	if q.drawn != base.drawn {
		t.Error("an epoch does not share its trial's draw")
	}
	if &q.qAdv[0] != &base.qAdv[0] || &q.cell[0] != &base.cell[0] {
		t.Error("an epoch that changes no conversion copies the chances of advancing")
	}
	for c := range p.nC {
		if q.mean[c] != base.mean[c] || q.dealMu[c] != base.dealMu[c] {
			t.Errorf("channel %d: leads %v and deal size %v, want the draw's %v and %v", c, q.mean[c], q.dealMu[c], base.mean[c], base.dealMu[c])
		}
	}
	e := p.epochs[0]
	e.conv = make([]float64, len(e.conv))
	for i := range e.conv {
		e.conv[i] = 1
	}
	s, c := 2, 1
	e.conv[s*p.nC+c] = 1.1
	q.applyEpoch(base, p, &e)
	if q.drawn != base.drawn {
		t.Error("an epoch that scales a conversion does not share its trial's draw")
	}
	for b := range p.nB {
		i := p.hz(s, c, b)
		if want := min(1, 1.1*base.qAdv[i]); q.qAdv[i] != want {
			t.Errorf("band %d: P(advance | leave) %v, want %v", b, q.qAdv[i], want)
		}
		if j := p.hz(s+1, c, b); q.qAdv[j] != base.qAdv[j] {
			t.Errorf("stage %d band %d changed by another stage's conversion", s+1, b)
		}
	}
}

// testModel is the sample model (examples/sample-model.yaml) with an
// arrival shock and its degrees of freedom, a yearly season, and leads
// that skip a stage, so that every kind of draw is there.
func testModel(t *testing.T) *Model {
	t.Helper()
	m, err := ReadFile("../examples/sample-model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m.ArrivalShockCV, m.ArrivalShockDF = 0.1, 8
	m.ArrivalSeason = &Season{Cos: []float64{0.2, 0.05}, Sin: []float64{-0.1, 0.02},
		Cov: [][]float64{{4e-4, 0, 0, 0}, {0, 4e-4, 0, 0}, {0, 0, 4e-4, 0}, {0, 0, 0, 4e-4}}}
	m.Stages[3].Skips = append(m.Stages[3].Skips, Skip{To: m.Stages[5].Name, Count: 5})
	return m
}

func ptr(v float64) *float64 { return &v }
