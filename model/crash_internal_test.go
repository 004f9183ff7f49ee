package model

import (
	"context"
	"strings"
	"testing"
)

// TestWorkerPanicIsAnError: a trial that panics (here a hazard's Gamma
// rate broken after the plan was checked) ends the run with an error
// naming the trial and the panic, and does not kill the caller.
func TestWorkerPanicIsAnError(t *testing.T) {
	p, err := compile(testModel(t))
	if err != nil {
		t.Fatal(err)
	}
	p.rate[0] = 0
	o := Options{Trials: 1000, Seed: 1, Workers: 2}
	if err := o.fill(p.m, 1); err != nil {
		t.Fatal(err)
	}
	res := []*Result{newResult(p, &o)}
	err = runTrials(context.Background(), []*plan{p}, &o, res)
	if err == nil || !strings.HasPrefix(err.Error(), "model: trial ") || !strings.Contains(err.Error(), "gamma shape and rate must be positive") {
		t.Errorf("err = %v, want the trial's panic as an error", err)
	}
}

// TestCheckDerived: fields each valid alone that make an impossible
// distribution together are an error naming the key.
func TestCheckDerived(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(m *Model)
		want string
	}{
		{"history weeks", func(m *Model) { m.Channels[0].HistoryWeeks = 1e308 }, "channels["},
		{"shock", func(m *Model) { m.ArrivalShockCV = 1e-155 }, "arrival_shock_cv: 1e-155 gives a Gamma shape of +Inf"},
	} {
		m := testModel(t)
		c.set(m)
		if _, err := compile(m); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}
