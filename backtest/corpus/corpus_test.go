package corpus_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/backtest/corpus"
)

// TestGuardRoundTrip: the guard written into a scoreboard reads back as
// it was, and Check passes it against itself and fails a guard whose skill
// or coverage fell by more than twice their noise.
func TestGuardRoundTrip(t *testing.T) {
	g := corpus.Guard{Pairs: 40, MeanSkill: 0.05, SkillSE: 0.04, InBand: 0.9, InBandSE: 0.05}
	var buf bytes.Buffer
	buf.WriteString("# Accuracy\n\ntext\n")
	if err := corpus.WriteGuard(&buf, g); err != nil {
		t.Fatal(err)
	}
	got, err := corpus.ReadGuard(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if got != g {
		t.Fatalf("read %+v, wrote %+v", got, g)
	}
	if err := g.Check(g); err != nil {
		t.Errorf("a guard against itself: %v", err)
	}
	for _, c := range []struct {
		name string
		now  corpus.Guard
		fail bool
	}{
		{"skill within its noise", corpus.Guard{MeanSkill: g.MeanSkill - 0.1, SkillSE: g.SkillSE, InBand: g.InBand, InBandSE: g.InBandSE}, false},
		{"skill fallen", corpus.Guard{MeanSkill: g.MeanSkill - 0.12, SkillSE: g.SkillSE, InBand: g.InBand, InBandSE: g.InBandSE}, true},
		{"coverage fallen", corpus.Guard{MeanSkill: g.MeanSkill, SkillSE: g.SkillSE, InBand: g.InBand - 0.15, InBandSE: g.InBandSE}, true},
	} {
		if err := c.now.Check(g); (err != nil) != c.fail {
			t.Errorf("%s: Check gives %v, want an error: %v", c.name, err, c.fail)
		}
	}
	if _, err := corpus.ReadGuard("no guard here"); err == nil {
		t.Error("a text without a guard read without an error")
	}
}

// TestShortCorpus backtests the short corpus with the command line's
// defaults and fails where its mean skill or its share of pairs with 80%
// coverage in band has fallen below what docs/ACCURACY.md records by more
// than their noise. It runs in make validate (about a minute).
func TestShortCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("backtests five worlds")
	}
	text, err := os.ReadFile(filepath.Join("..", "..", "docs", "ACCURACY.md"))
	if err != nil {
		t.Fatal(err)
	}
	recorded, err := corpus.ReadGuard(string(text))
	if err != nil {
		t.Fatal(err)
	}
	ws := corpus.Short(corpus.Worlds())
	scores, err := corpus.RunAll(context.Background(), filepath.Join("..", "..", "..", "shared", "data"), ws, 2, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []*corpus.Scores
	for i, s := range scores {
		if s == nil {
			t.Fatalf("%s: not run", ws[i].Name)
		}
		var line []string
		for _, tg := range s.Targets {
			line = append(line, tg.Name)
		}
		t.Logf("%s: %s", s.World, strings.Join(line, " "))
		got = append(got, s)
	}
	now := corpus.Summarise(got).Guard
	t.Logf("mean skill %+.3f ± %.3f (recorded %+.3f), in band %.2f (recorded %.2f)", now.MeanSkill, now.SkillSE, recorded.MeanSkill, now.InBand, recorded.InBand)
	if err := now.Check(recorded); err != nil {
		t.Error(err)
	}
}
