package model

import (
	"reflect"
	"testing"

	"github.com/funnelsim/funnelsim/model/rng"
)

// The engine keeps three lists by hand: the parameters applyEpoch carries
// from a model to its scenarios, the plan fields sameDraws compares, and
// the epoch fields sharedMarketing and sharedDeals compare. A field added
// to params, plan or epoch and missed in them silently breaks "RunAll
// equals separate runs", on which every scenario comparison rests. These
// tests fail for a field that is not classified below, so that adding one
// means deciding which lists it belongs to.

// planFields classifies every field of plan for sameDraws: "draws" fields
// are the posteriors and shapes two plans must share to draw the same
// parameters from the same streams (sameDraws compares each; the test
// checks that changing one makes sameDraws false); the others may differ
// between a model and its scenarios.
var planFields = map[string]string{
	"m": "the model", "nS": "draws", "nC": "draws", "nB": "draws", "maxAge": "layout, from the bands",
	"bandOf": "layout, from the bands", "slotOf": "layout, from the bands", "nSlot": "layout, from the bands",
	"salesStart": "stage roles, compared by sharedMarketing and sharedDeals", "sqlStage": "stage roles",
	"oppStage": "stage roles, compared by sharedMarketing and sharedDeals", "closeCap": "reps, compared by sharedDeals",
	"advShape": "draws", "lostShape": "draws", "rate": "draws", "dest": "draws", "destAlpha": "draws",
	"arrShape": "draws", "arrRate": "draws", "phi": "process noise, compared by sharedMarketing",
	"trend": "draws", "trendSE": "draws", "spend": "the epochs' spend",
	"damping": "process, compared by sharedMarketing", "shockK": "draws", "shockDF": "draws",
	"season": "draws (compared by seasonPlan.equal)", "seasonBasis": "the calendar, from the model's as-of date",
	"deal": "draws", "emp": "draws (compared by empirical.equal)", "pool": "draws (compared by empirical.equal)",
	"open": "the opening pipeline, compared by sharedMarketing", "start": "the opening pipeline",
	"occ": "the opening pipeline", "tracked": "the followed leads, compared by sharedDeals",
	"deals": "the followed leads, compared by sharedDeals", "queue": "the hand-off queue",
	"epochs": "the changes, compared week by week by sharedMarketing and sharedDeals", "metrics": "outputs",
	"cycle":      "the quarter cycle's weekly factors on the sales stages from the opportunity stage, compared by sharedDeals",
	"groupNames": "the groups of the followed leads' records, compared by sharedDeals",
	"groupCum":   "the groups' shares, which give the followed leads' records a group, compared by sharedDeals",
	"track":      "what a run keeps (the same for every plan of a run), compared by sharedDeals",
}

// paramsFields classifies every field of params for applyEpoch: "base"
// fields are taken from the model's draw as they are, "scaled" ones are
// the epoch's own copies scaled by it, "scratch" ones are buffers no trial
// reads across a call.
var paramsFields = map[string]string{
	"pLeave": "base", "qAdv": "scaled", "pEntry": "base", "lambda": "base", "pCascade": "base", "cell": "scaled",
	"la": "scratch", "ll": "scratch", "destP": "base", "mean": "scaled", "trend": "base", "dealMu": "scaled",
	"dealSigma": "base", "empCum": "base", "poolCum": "base", "shock": "base", "cycle": "base",
	"reach": "scratch", "win": "scratch", "own": "the scaled fields' storage",
	"season": "base", "seasonZ": "scratch",
}

// epochFields classifies every field of epoch by the lists that read it.
var epochFields = map[string]string{
	"week":     "when the epoch starts",
	"conv":     "applyEpoch; sharedMarketing (marketing stages) and sharedDeals (sales stages)",
	"leads":    "applyEpoch; sharedMarketing",
	"dealLog":  "applyEpoch; sharedDeals",
	"spend":    "the trial's spend (costs), no draws",
	"coldRate": "the hand-off queue, which neither shared part covers",
}

func unclassified(t *testing.T, v any, known map[string]string) {
	t.Helper()
	typ := reflect.TypeOf(v)
	for i := range typ.NumField() {
		if f := typ.Field(i).Name; known[f] == "" {
			t.Errorf("%s.%s is not classified: decide which of applyEpoch, sameDraws, sharedMarketing and sharedDeals must handle it, then add it to this test", typ.Name(), f)
		}
	}
}

func TestEngineListsClassified(t *testing.T) {
	unclassified(t, plan{}, planFields)
	unclassified(t, params{}, paramsFields)
	unclassified(t, epoch{}, epochFields)
}

// TestSameDrawsComparesEveryDraw changes each "draws" field of a plan in
// turn and checks that sameDraws then tells the two plans apart.
func TestSameDrawsComparesEveryDraw(t *testing.T) {
	m := testModel(t)
	p, err := compile(m)
	if err != nil {
		t.Fatal(err)
	}
	if !p.sameDraws(p) {
		t.Fatal("a plan does not draw what it draws")
	}
	pv := reflect.ValueOf(p).Elem()
	for i := range pv.NumField() {
		name := pv.Type().Field(i).Name
		if planFields[name] != "draws" {
			continue
		}
		o := *p
		ov := reflect.ValueOf(&o).Elem().Field(i)
		if !perturb(ov) {
			t.Errorf("plan.%s: cannot be changed by this test; teach perturb its type (%s)", name, ov.Type())
			continue
		}
		if p.sameDraws(&o) {
			t.Errorf("plan.%s changed, and sameDraws still says the plans draw alike", name)
		}
	}
}

// perturb changes v (reached through an unexported field) in a copy of its
// data, never the original's; it reports false for a type it does not know.
func perturb(v reflect.Value) bool {
	v = reflect.NewAt(v.Type(), v.Addr().UnsafePointer()).Elem() // settable
	switch v.Kind() {
	case reflect.Int:
		v.SetInt(v.Int() + 1)
	case reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.Slice:
		if v.Len() == 0 {
			return false
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		v.Set(c)
		e := v.Index(0)
		switch e.Kind() {
		case reflect.Float64:
			e.SetFloat(e.Float() + 1)
		case reflect.Int:
			e.SetInt(e.Int() + 1)
		case reflect.Slice, reflect.Struct: // the first element it can change
			for j := range v.Len() {
				if perturb(v.Index(j)) {
					return true
				}
			}
			return false
		default:
			return false
		}
	case reflect.Struct: // nig: its first field
		return perturb(v.Field(0))
	default:
		return false
	}
	return true
}

// TestApplyEpochCarriesEveryParam applies an epoch that changes nothing
// and checks that every parameter but the scratch buffers comes out as
// the model's draw.
func TestApplyEpochCarriesEveryParam(t *testing.T) {
	m := testModel(t)
	p, err := compile(m)
	if err != nil {
		t.Fatal(err)
	}
	base, q := newParams(p), newParams(p)
	base.draw(p, rng.NewStream(), 3, 0, false)
	base.shock, base.cycle = 1.1, 7
	q.applyEpoch(base, p, &p.epochs[0])
	bv, qv := reflect.ValueOf(base).Elem(), reflect.ValueOf(q).Elem()
	for i := range bv.NumField() {
		name := bv.Type().Field(i).Name
		if k := paramsFields[name]; k != "base" && k != "scaled" {
			continue
		}
		a, b := bv.Field(i), qv.Field(i)
		if !reflect.DeepEqual(reflect.NewAt(a.Type(), a.Addr().UnsafePointer()).Elem().Interface(),
			reflect.NewAt(b.Type(), b.Addr().UnsafePointer()).Elem().Interface()) {
			t.Errorf("params.%s: applyEpoch does not carry the model's draw to a scenario that does not change it", name)
		}
	}
}

// testModel is the sample model (examples/sample-model.yaml) with an
// arrival shock and its degrees of freedom, a yearly season, and leads
// that skip a stage,
// so that every kind of draw is there.
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
