package corpus

import (
	"math"
	"os"
	"slices"
	"time"

	"github.com/funnelsim/funnelsim/backtest"
)

// Scores are one world's backtest, target by target.
type Scores struct {
	World     string
	Generated bool
	Targets   []Target
	Seconds   float64
	// Every is the weeks between the backtest's origins, and Horizon the
	// weeks each forecasts.
	Every, Horizon int
}

// Target is the model's record on one target of one world.
type Target struct {
	Name    string
	Origins int
	// Skill is the model's against the strongest baseline, Best:
	// 1 − CRPS(model)/CRPS(Best), positive when the model is better.
	Skill float64
	Best  string
	// Covered is how many outcomes the model's 80% intervals covered, and
	// Lo to Hi the range a calibrated forecast covers 9 times in 10.
	Covered, Lo, Hi int
	PIT             float64 // the mean randomized PIT (0.5: centred)
	// CombinedSkill is the combination of the model and the baselines
	// (backtest.Combined) against its strongest baseline, CombinedBest,
	// and CombinedCovered how many outcomes its 80% intervals covered.
	CombinedSkill   float64
	CombinedBest    string
	CombinedCovered int
}

// CombinedInBand reports whether the combination's 80% coverage is inside
// its binomial band.
func (t Target) CombinedInBand() bool { return t.CombinedCovered >= t.Lo && t.CombinedCovered <= t.Hi }

// InBand reports whether the 80% coverage is inside its binomial band.
func (t Target) InBand() bool { return t.Covered >= t.Lo && t.Covered <= t.Hi }

// Stage reports whether the target is a stage's entries (not wins or
// revenue).
func (t Target) Stage() bool { return t.Name != "wins" && t.Name != "revenue" }

func score(w World, res *backtest.Result) *Scores {
	s := &Scores{World: w.Name, Generated: w.Generated, Every: originGap(res.Origins), Horizon: res.Horizon}
	for _, ts := range res.Summary() {
		m := ts.Model()
		if m.N == 0 || ts.Best == 0 {
			continue
		}
		lo, hi := backtest.CoverageBand(m.N, 0.8)
		c := ts.Methods[backtest.Combined]
		s.Targets = append(s.Targets, Target{Name: ts.Target, Origins: m.N, Skill: ts.Methods[ts.Best].Skill, Best: ts.Methods[ts.Best].Method,
			Covered: int(math.Round(m.Cover80 * float64(m.N))), Lo: lo, Hi: hi, PIT: m.PITMean,
			CombinedSkill: ts.CombinedSkill, CombinedBest: backtest.Methods[ts.CombinedBest], CombinedCovered: int(math.Round(c.Cover80 * float64(c.N)))})
	}
	return s
}

// originGap is the weeks between consecutive origins (their median gap),
// or 0 with fewer than two.
func originGap(origins []time.Time) int {
	var gaps []float64
	for i := 1; i < len(origins); i++ {
		gaps = append(gaps, math.Abs(origins[i].Sub(origins[i-1]).Hours()/(24*7)))
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	return int(math.Round(gaps[len(gaps)/2]))
}

// Target returns the world's record on the named target.
func (s *Scores) Target(name string) (Target, bool) {
	for _, t := range s.Targets {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
