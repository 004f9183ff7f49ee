package calibrate_test

import (
	"context"
	"flag"
	"math"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

var seasonReplicates = flag.Int("season-replicates", 4, "generated three-year histories in TestSeasonRecovery (make validate runs 40)")

// TestSeasonRecovery calibrates three-year histories of the sample company
// with a yearly season of leads (×1.8 from trough to peak) and without
// one. With it, nearly every history must show the season (all but one in
// ten, or one of fewer) and the 90% intervals of its four coefficients (±1.645 standard
// errors of the estimate) cover the truth 60 to 100% of the time (82 to
// 97% over 40 histories); without it, the test at 5% may find one in at
// most one history in four (six in 40).
func TestSeasonRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("generates three-year histories; make test runs it without the race detector")
	}
	truthSeason := &model.Season{Cos: []float64{0.25, 0.05}, Sin: []float64{0.15, -0.05}}
	cover, n, found, missed := 0, 0, 0, 0
	for r := range *seasonReplicates {
		truth := sample.Company()
		truth.ArrivalSeason = truthSeason
		_, h := fixture.Generated(t, truth, generate.Options{Weeks: 156, Seed: uint64(100 + r)})
		m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{AsOf: truth.AsOf.Time, StaleAfter: staleWeeks})
		if err != nil {
			t.Fatal(err)
		}
		s := m.ArrivalSeason
		if s == nil {
			missed++
			t.Logf("history %d: no season found (%v)", r, m.Provenance.Warnings)
			continue
		}
		want := []float64{0.25, 0.15, 0.05, -0.05}
		got := []float64{s.Cos[0], s.Sin[0], s.Cos[1], s.Sin[1]}
		for i := range want {
			se := math.Sqrt(s.Cov[i][i])
			n++
			if math.Abs(got[i]-want[i]) <= 1.645*se {
				cover++
			}
		}
		plain := sample.Company()
		_, h0 := fixture.Generated(t, plain, generate.Options{Weeks: 156, Seed: uint64(100 + r)})
		m0, err := calibrate.Estimate(context.Background(), h0, calibrate.Options{AsOf: plain.AsOf.Time, StaleAfter: staleWeeks})
		if err != nil {
			t.Fatal(err)
		}
		if m0.ArrivalSeason != nil {
			found++
		}
	}
	share := float64(cover) / float64(max(n, 1))
	lo, hi := 0.60, 1.0
	if *seasonReplicates >= 40 {
		lo, hi = 0.82, 0.97
	}
	t.Logf("%d histories: the season found in %d; its 90%% intervals cover %d of %d (%.3f); a season found in %d histories without one", *seasonReplicates, *seasonReplicates-missed, cover, n, share, found)
	if share < lo || share > hi {
		t.Errorf("coverage %.3f outside [%.2f, %.2f]", share, lo, hi)
	}
	if limit := max(1, *seasonReplicates*3/20); found > limit {
		t.Errorf("a season found in %d of %d histories without one; at most %d", found, *seasonReplicates, limit)
	}
	if limit := max(1, *seasonReplicates/10); missed > limit {
		t.Errorf("no season found in %d of %d histories with one; at most %d", missed, *seasonReplicates, limit)
	}
}

// TestSeasonNeedsTwoYears: a history shorter than two years is not tested
// for a season, and Without.Season turns it off.
func TestSeasonNeedsTwoYears(t *testing.T) {
	truth := sample.Company()
	truth.ArrivalSeason = &model.Season{Cos: []float64{0.5}, Sin: []float64{0}}
	_, h := fixture.Generated(t, truth, generate.Options{Weeks: 60, Seed: 1})
	m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{AsOf: truth.AsOf.Time, StaleAfter: staleWeeks})
	if err != nil {
		t.Fatal(err)
	}
	if m.ArrivalSeason != nil {
		t.Errorf("a season from 60 weeks: %+v", m.ArrivalSeason)
	}
}
