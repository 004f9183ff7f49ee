package calibrate_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/sample"
)

// weeklyLeads calibrates h as of asOf and returns the channels' total
// weekly leads and the warnings.
func weeklyLeads(t *testing.T, h *calibrate.History, asOf time.Time, o calibrate.Options) (float64, []string) {
	t.Helper()
	h.Report = &calibrate.Report{}
	o.AsOf = asOf
	o.HazardHalfLife = math.Inf(1)
	m, err := calibrate.Estimate(context.Background(), h, o)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, c := range m.Channels {
		sum += c.WeeklyLeads
	}
	return sum, m.Provenance.Warnings
}

func warned(warns []string, s string) bool {
	return slices.ContainsFunc(warns, func(w string) bool { return strings.Contains(w, s) })
}

// TestLevelShift: arrivals that double six weeks before the as-of date
// are read as a change of level, and the weekly leads come out within 10%
// of twice the same history's without it (the draws are keyed by week and
// channel, so the two share their noise), where the window's mean and
// trend, ignoring the step, are more than 20% low. A history without a
// change has none found, at several seeds.
func TestLevelShift(t *testing.T) {
	truth := sample.Company()
	asOf := truth.AsOf.Time
	for seed := range uint64(4) {
		_, h := fixture.Generated(t, truth, generate.Options{Weeks: 78, Seed: 40 + seed})
		if _, warns := weeklyLeads(t, h, asOf, calibrate.Options{}); warned(warns, "change of level") {
			t.Errorf("seed %d, no change: %v", 40+seed, warns)
		}
	}
	_, clean := fixture.Generated(t, truth, generate.Options{Weeks: 78, Seed: 40})
	_, shifted := fixture.Generated(t, truth, generate.Options{Weeks: 78, Seed: 40, LevelShift: 2, LevelShiftWeek: 72})
	base, _ := weeklyLeads(t, clean, asOf, calibrate.Options{})
	got, warns := weeklyLeads(t, shifted, asOf, calibrate.Options{})
	without, _ := weeklyLeads(t, shifted, asOf, calibrate.Options{Without: calibrate.Parts{Shift: true}})
	t.Logf("weekly leads: no change %.1f, doubled 6 weeks back %.1f, the same without the step %.1f", base, got, without)
	if !warned(warns, "the last 6 weeks") {
		t.Errorf("no change of level found 6 weeks back: %v", warns)
	}
	if math.Abs(got/(2*base)-1) > 0.1 {
		t.Errorf("weekly leads %.1f, want within 10%% of %.1f", got, 2*base)
	}
	if without/(2*base)-1 > -0.2 {
		t.Errorf("without the step %.1f against %.1f: the step should matter", without, 2*base)
	}
}

// TestSpikesAreNoTrend: two weeks with 1.8 times the leads, two and three
// weeks before the as-of date (a campaign burst), followed by an ordinary
// week, are neither a trend nor a change of level: the weekly leads stay
// within 8% of the history's without them. The likelihood's trend test,
// which the burst carries, lifts them by more.
func TestSpikesAreNoTrend(t *testing.T) {
	truth := sample.Company()
	asOf := truth.AsOf.Time
	_, h := fixture.Generated(t, truth, generate.Options{Weeks: 78, Seed: 21})
	spiked := *h
	spiked.Leads = slices.Clone(h.Leads)
	for i, l := range h.Leads {
		back := asOf.Sub(l.Created())
		if back >= 7*24*time.Hour && back < 21*24*time.Hour && i%5 != 0 {
			l.ID += "-burst"
			spiked.Leads = append(spiked.Leads, l)
		}
	}
	base, _ := weeklyLeads(t, h, asOf, calibrate.Options{})
	got, warns := weeklyLeads(t, &spiked, asOf, calibrate.Options{})
	lik, _ := weeklyLeads(t, &spiked, asOf, calibrate.Options{Without: calibrate.Parts{Rank: true}})
	t.Logf("weekly leads: %.1f, with the burst %.1f, with the likelihood's trend test %.1f", base, got, lik)
	if warned(warns, "change of level") {
		t.Errorf("a burst taken as a change of level: %v", warns)
	}
	if got/base-1 > 0.08 {
		t.Errorf("weekly leads %.1f with the burst, want within 8%% of %.1f", got, base)
	}
	if lik/base-1 < got/base-1 {
		t.Errorf("the likelihood's trend test gave %.1f, the rank test %.1f: the burst should carry the first more", lik, got)
	}
}

// TestQuarterJumpIsNoTrend: in a steady history whose last quarter before
// the as-of date holds 30% more leads than the one before (a quarter's
// shared shock: seed 16 of the sample company, 13 weeks before its end),
// the weekly tests find a trend in three channels. The holdout does not
// keep them, since such trends forecast the history's past quarters worse
// than the level did: the weekly leads come within 8% of the history's
// mean over its 143 weeks (a 52-week mean is itself about 4% off it),
// where with the trends kept they are more than 20% above it. In a
// history that doubles every year, read without the sustained growth,
// the trends the tests find are kept.
func TestQuarterJumpIsNoTrend(t *testing.T) {
	truth := sample.Company()
	const weeks = 13 * 7 * 24 * time.Hour
	asOf := truth.AsOf.Time.Add(-weeks)
	_, h := fixture.Generated(t, truth, generate.Options{Weeks: 156, Seed: 16})
	before := 0
	for _, l := range h.Leads {
		if l.Created().Before(asOf) {
			before++
		}
	}
	level := float64(before) / 143
	got, warns := weeklyLeads(t, h, asOf, calibrate.Options{})
	kept, _ := weeklyLeads(t, h, asOf, calibrate.Options{Without: calibrate.Parts{Holdout: true}})
	t.Logf("weekly leads: the history's mean %.1f, the model's %.1f, with the trends kept %.1f", level, got, kept)
	if !warned(warns, "are not kept") {
		t.Errorf("no trend dropped: %v", warns)
	}
	if math.Abs(got/level-1) > 0.08 {
		t.Errorf("weekly leads %.1f, want within 8%% of the history's mean %.1f", got, level)
	}
	if kept/level-1 < 0.2 {
		t.Errorf("with the trends kept %.1f against %.1f: the trends should matter", kept, level)
	}

	_, grows := fixture.Generated(t, truth, generate.Options{Weeks: 104, Seed: 16, Drift: generate.Drift{Growth: 1}})
	grows.Report = &calibrate.Report{}
	m, err := calibrate.Estimate(context.Background(), grows, calibrate.Options{AsOf: truth.AsOf.Time, HazardHalfLife: math.Inf(1), Without: calibrate.Parts{Growth: true, Season: true}})
	if err != nil {
		t.Fatal(err)
	}
	own := 0
	for _, c := range m.Channels {
		if c.Damping != 0 {
			own++
		}
	}
	if own == 0 || warned(m.Provenance.Warnings, "are not kept") {
		t.Errorf("a history doubling every year: %d channels keep a trend of their own; %v", own, m.Provenance.Warnings)
	}
}
