// Command accuracy backtests the corpus of worlds (package corpus) with
// the command line's defaults and writes the scoreboard that
// docs/ACCURACY.md shows.
//
//	go run ./cmd/accuracy -o board.md -json scores.json
//	go run ./cmd/accuracy -short -only 'seed 11'
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"time"

	"github.com/funnelsim/funnelsim/backtest"

	"github.com/funnelsim/funnelsim/backtest/corpus"
)

func main() {
	shared := flag.String("shared", "../shared/data", "the folder of the public exports (real worlds are skipped where absent)")
	short := flag.Bool("short", false, "only the short corpus")
	only := flag.String("only", "", "only the worlds whose name matches this regular expression")
	out := flag.String("o", "", "write the scoreboard (Markdown) to this file")
	jsonOut := flag.String("json", "", "write every world's scores (JSON) to this file")
	stale := flag.Int("stale-after", -1, "an experiment: the stale rule's weeks for every world (0: never), not the derived default")
	par := flag.Int("parallel", runtime.GOMAXPROCS(0), "worlds backtested at once")
	flag.Parse()
	var set func(*backtest.Options)
	if *stale >= 0 {
		set = func(o *backtest.Options) {
			o.Calibrate.DeriveStale = false
			o.Calibrate.StaleAfter = time.Duration(*stale) * 7 * 24 * time.Hour
		}
	}
	if err := run(*shared, *short, *only, *out, *jsonOut, *par, set); err != nil {
		fmt.Fprintln(os.Stderr, "accuracy:", err)
		os.Exit(1)
	}
}

func run(shared string, short bool, only, out, jsonOut string, par int, set func(*backtest.Options)) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	re, err := regexp.Compile(only)
	if err != nil {
		return err
	}
	var ws []corpus.World
	for _, w := range corpus.Worlds() {
		if (!short || w.Short) && re.MatchString(w.Name) {
			ws = append(ws, w)
		}
	}
	scores, err := corpus.RunAll(ctx, shared, ws, par, set, func(w corpus.World, s *corpus.Scores) {
		if s == nil {
			fmt.Fprintf(os.Stderr, "%-32s skipped: its files are not under %s\n", w.Name, shared)
			return
		}
		fmt.Fprintf(os.Stderr, "%-32s %5.1fs", s.World, s.Seconds)
		for _, t := range s.Targets {
			fmt.Fprintf(os.Stderr, " %s %+.2f %d/%d", t.Name, t.Skill, t.Covered, t.Origins)
		}
		fmt.Fprintln(os.Stderr)
	})
	if err != nil {
		return err
	}
	var all, shorts []*corpus.Scores
	for i, s := range scores {
		if s == nil {
			continue
		}
		all = append(all, s)
		if ws[i].Short {
			shorts = append(shorts, s)
		}
	}
	if jsonOut != "" {
		j, err := json.MarshalIndent(all, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(jsonOut, append(j, '\n'), 0o644); err != nil {
			return err
		}
	}
	w := os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return corpus.WriteBoard(w, all, shorts)
}
