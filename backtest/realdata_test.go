package backtest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/backtest/corpus"
	"github.com/funnelsim/funnelsim/internal/fixture"
)

// TestBacktestRealData backtests the public exports beside the repository
// as docs/ACCURACY.md does (its worlds in package corpus: the command
// line's defaults, the same origins and seed) and holds what the defaults reach there: on Maven the
// model is at least as good as the strongest baseline on every target, by
// 0.15 on wins, and its 80% intervals cover inside the range a calibrated
// forecast would 9 times in 10; on Olist the same for MQLs; on the
// six-year log the same for leads and revenue. (Olist's wins and the
// six-year log's later stages and wins, where the model still loses, are
// logged, not held: docs/ACCURACY.md says why.) It skips where the
// exports are absent.
func TestBacktestRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates and forecasts at up to 20 origins of each export")
	}
	worlds := map[string]corpus.World{}
	for _, w := range corpus.Worlds() {
		worlds[w.Name] = w
	}
	for _, c := range []struct {
		name string
		held map[string]float64 // target: the least skill against the strongest baseline
	}{
		{"Maven", map[string]float64{"engaging": 0, "wins": 0.15, "revenue": 0}},
		{"Olist", map[string]float64{"mql": 0}},
		{"six-year log", map[string]float64{"leads": 0, "revenue": 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := worlds[c.name]
			dir := fixture.SharedData(t, filepath.Dir(w.Files[0]))
			h, _, err := w.History(context.Background(), filepath.Dir(dir))
			if err != nil {
				t.Fatal(err)
			}
			res, err := backtest.Run(context.Background(), h, w.Options())
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range res.Summary() {
				m, best := s.Model(), s.Methods[s.Best]
				covered := int(m.Cover80*float64(m.N) + 0.5)
				lo, hi := backtest.CoverageBand(m.N, 0.8)
				t.Logf("%-8s CRPS %10.2f; strongest baseline %s, skill %+.2f; 80%% intervals cover %d of %d (band %d to %d)", s.Target, m.CRPS, best.Method, best.Skill, covered, m.N, lo, hi)
				least, ok := c.held[s.Target]
				if !ok {
					continue
				}
				if best.Skill < least {
					t.Errorf("%s: skill %+.3f against %s, want at least %+.2f", s.Target, best.Skill, best.Method, least)
				}
				if covered < lo || covered > hi {
					t.Errorf("%s: 80%% intervals cover %d of %d, outside %d to %d", s.Target, covered, m.N, lo, hi)
				}
			}
		})
	}
}
