package calibrate_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/backtest/corpus"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/sample"
)

// chosenStale calibrates h as of asOf with the stale rule left to the data,
// as the command line does, and returns the rule's weeks (0: none).
func chosenStale(t *testing.T, h *calibrate.History, asOf time.Time) float64 {
	t.Helper()
	h.Report = &calibrate.Report{}
	m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{AsOf: asOf, DeriveStale: true, HazardHalfLife: math.Inf(1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v", m.Provenance.Warnings)
	return m.Provenance.StaleAfterWeeks
}

// TestStaleRuleChosen: where 30% of losses are never recorded but the
// leads open long do advance as the hazards say (the generated sample
// company, whose stays that ended put the derived rule at 4 to 5 weeks),
// the rule chosen on the last 13 weeks keeps them: 26 weeks or more, or
// none. Where the leads open long stop closing (Maven's deals engaged
// before its closes are recorded), the derived rule of 17 to 18 weeks is
// kept.
func TestStaleRuleChosen(t *testing.T) {
	truth := sample.Company()
	for _, seed := range []uint64{13, 14} {
		_, h := fixture.Generated(t, truth, generate.Options{Weeks: 104, Seed: seed})
		if w := chosenStale(t, h, truth.AsOf.Time); w != 0 && w < 26 {
			t.Errorf("seed %d: stale rule of %.0f weeks, want 26 or more, or none", seed, w)
		}
	}
	if testing.Short() {
		return
	}
	var maven corpus.World
	for _, w := range corpus.Worlds() {
		if w.Name == "Maven" {
			maven = w
		}
	}
	dir := fixture.SharedData(t, filepath.Dir(maven.Files[0]))
	h, _, err := maven.History(context.Background(), filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if w := chosenStale(t, h, time.Date(2017, 9, 4, 0, 0, 0, 0, time.UTC)); w < 10 || w > 20 {
		t.Errorf("Maven: stale rule of %.0f weeks, want the derived one (17 to 18)", w)
	}
}
