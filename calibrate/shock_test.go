package calibrate_test

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/sample"
)

// TestShockRecovery: the sample company's leads move by a shock shared by
// the channels and drawn afresh each quarter (CV 0.08). A change from one
// quarter to the next holds two such shocks, so its spread is √2 times the
// shock's; the forecast quarter carries one, and the error of the level's
// mean of L weeks. Over eight generated histories of 156 weeks, the shock
// the model carries, with calibrate's shrinkage toward 0.05 undone and the
// level's error (1 + 13/L) taken out, gives back 0.08 within three
// standard errors of the mean over the histories, and clearly below the
// change's own spread (0.08·√2).
func TestShockRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates eight generated histories")
	}
	truth := sample.Company()
	var got []float64
	for seed := uint64(11); seed <= 18; seed++ {
		_, h := fixture.Generated(t, truth, generate.Options{Weeks: 156, Seed: seed})
		h.Report = &calibrate.Report{}
		m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{AsOf: truth.AsOf.Time, HazardHalfLife: math.Inf(1)})
		if err != nil {
			t.Fatal(err)
		}
		// CV² = ((df − 1)·σ²·(1 + 13/L) + 0.05²) / df, df the quarters
		// behind it and the prior's one (where not floored at 5).
		df, L := m.ArrivalShockDF, m.Channels[0].HistoryWeeks
		if df <= 5 {
			t.Fatalf("seed %d: %.1f degrees of freedom, at the floor: the shrinkage cannot be undone", seed, df)
		}
		s2 := (df*m.ArrivalShockCV*m.ArrivalShockCV - 0.05*0.05) / (df - 1) / (1 + 13/L)
		got = append(got, math.Sqrt(math.Max(s2, 0)))
	}
	mean, sd := stat.MeanStdDev(got, nil)
	se := sd / math.Sqrt(float64(len(got)))
	cv := truth.ArrivalShockCV
	t.Logf("the quarter's shock: %.3f ± %.3f over %d histories (truth %.3f); per history %.3f", mean, se, len(got), cv, got)
	if math.Abs(mean-cv) > 3*se {
		t.Errorf("the shock %.3f, want %.3f within 3 standard errors (%.3f)", mean, cv, 3*se)
	}
	if mean > cv*math.Sqrt2-3*se {
		t.Errorf("the shock %.3f is the quarter-to-quarter change's spread (%.3f), not one quarter's", mean, cv*math.Sqrt2)
	}
}
