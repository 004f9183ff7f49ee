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

// TestSustainedGrowth: three years of leads growing 60% a year are read
// as a growth sustained over years. The weekly leads at the as-of date,
// where the truth's level holds, come within 10% of the same history's
// without growth (the draws are keyed by week and channel, so the two
// share their noise), and the channels that follow the growth have a
// trend within 0.1 of log(1.6) a year. A history declining 30% a year is
// read the same way.
// The yearly season is left out of both, so that the level is the
// arrivals' own. Four histories without growth have none found.
func TestSustainedGrowth(t *testing.T) {
	truth := sample.Company()
	asOf := truth.AsOf.Time
	noSeason := calibrate.Parts{Season: true}
	_, flat := fixture.Generated(t, truth, generate.Options{Weeks: 156, Seed: 61})
	level, _ := weeklyLeads(t, flat, asOf, calibrate.Options{Without: noSeason})
	for _, rate := range []float64{0.6, -0.3} {
		_, h := fixture.Generated(t, truth, generate.Options{Weeks: 156, Seed: 61, Drift: generate.Drift{Growth: rate}})
		got, warns := weeklyLeads(t, h, asOf, calibrate.Options{Without: noSeason})
		t.Logf("growth %+.0f%%: weekly leads %.1f, the history's without growth %.1f", 100*rate, got, level)
		if !warned(warns, "a year over the last") {
			t.Errorf("growth %+.0f%%: none found: %v", 100*rate, warns)
		}
		if math.Abs(got/level-1) > 0.1 {
			t.Errorf("growth %+.0f%%: weekly leads %.1f, want within 10%% of %.1f", 100*rate, got, level)
		}
		h.Report = &calibrate.Report{}
		m, err := calibrate.Estimate(context.Background(), h, calibrate.Options{AsOf: asOf, HazardHalfLife: math.Inf(1), Without: noSeason})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range m.Channels {
			if c.Damping != 0 { // a trend of the channel's own
				continue
			}
			if yearly := 52 * c.Trend; math.Abs(yearly-math.Log1p(rate)) > 0.1 {
				t.Errorf("growth %+.0f%%: channel %s follows a trend of %.3f a year, want %.3f ± 0.1", 100*rate, c.Name, yearly, math.Log1p(rate))
			}
		}
	}
	for seed := range uint64(4) {
		_, h := fixture.Generated(t, truth, generate.Options{Weeks: 156, Seed: 62 + seed})
		if _, warns := weeklyLeads(t, h, asOf, calibrate.Options{}); warned(warns, "a year over the last") {
			t.Errorf("seed %d, no growth: %v", 62+seed, warns)
		}
	}
}
