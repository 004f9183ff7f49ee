package calibrate_test

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/sample"
)

// TestConversionDrift: three years in which every stage's advance rate
// rises 30% a year are read as conversions that drift, and the forecast
// of next quarter's SQLs moves toward what the generator then books: the
// model's eventual conversion into SQL, over the stages before it, comes
// within 10% of the same history's last quarter's without the drift
// scaling further from it. Four histories without drift have their
// conversions scaled by at most 10% at any stage.
func TestConversionDrift(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrations of drifting generated histories; make test runs it without the race detector")
	}
	truth := sample.Company()
	asOf := truth.AsOf.Time
	conv := func(h *calibrate.History, without bool) (float64, []string) {
		h.Report = &calibrate.Report{}
		m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{AsOf: asOf, DeriveStale: true, Without: calibrate.Parts{Drift: without}})
		if err != nil {
			t.Fatal(err)
		}
		p := 1.0
		for s := range 3 { // lead, mql, sal: into sql
			adv, out := 0.0, 0.0
			for _, e := range m.Stages[s].Exits {
				for _, b := range e.Bands {
					adv += b.Advance
					out += b.Lost
				}
			}
			p *= adv / (adv + out)
		}
		return p, m.Provenance.Warnings
	}
	_, h := fixture.Generated(t, truth, generate.Options{Weeks: 156, Seed: 71, Drift: generate.Drift{Conversion: 0.3}})
	got, warns := conv(h, false)
	without, _ := conv(h, true)
	t.Logf("conversion into SQL: %.4f with the drift, %.4f without", got, without)
	if !warned(warns, "its conversion drifts") {
		t.Errorf("no drift found: %v", warns)
	}
	if !(got > without*1.05) {
		t.Errorf("with the drift the conversion into SQL is %.4f, without %.4f: want it higher by 5%% or more", got, without)
	}
	for seed := range uint64(4) {
		_, h := fixture.Generated(t, truth, generate.Options{Weeks: 156, Seed: 72 + seed})
		got, _ := conv(h, false)
		without, _ := conv(h, true)
		if r := got / without; math.Abs(math.Log(r)) > math.Log(1.1) {
			t.Errorf("seed %d, no drift: the conversion into SQL is scaled ×%.3f", 72+seed, r)
		}
	}
}
