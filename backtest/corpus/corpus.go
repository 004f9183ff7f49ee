package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/sample"
)

// A World is one history to backtest, and how a user would read it: the
// column mapping its files need and nothing tuned to it.
type World struct {
	Name string
	// Generated worlds are drawn from the sample company with Gen; the
	// others read Files (relative to the shared data folder) with Read.
	Generated bool
	Gen       generate.Options
	Files     []string
	Read      calibrate.ReadOptions
	// DealSize is the amount assumed for a won deal where the export
	// records none (a mapping's need, as --deal-size is).
	DealSize float64
	// Every and Origins place the backtest's origins (zero: the
	// command's defaults, 4 weeks and 20 origins).
	Every, Origins int
	// Short puts the world in the short corpus that make validate runs.
	Short bool
}

// Seeds are the generated worlds' seeds, and Lengths their weeks.
var (
	Seeds   = []uint64{11, 12, 13, 14, 15, 16, 17, 18}
	Lengths = []int{52, 104, 156}
)

// Worlds lists the corpus: every length and seed of the sample company
// as generate makes it by default (30% of losses never recorded), the
// truths that change at two seeds each, the seed-51 history of the old
// tables, and the public exports.
func Worlds() []World {
	var ws []World
	for _, n := range Lengths {
		for _, s := range Seeds {
			ws = append(ws, World{Name: fmt.Sprintf("%dw seed %d", n, s), Generated: true, Gen: generate.Options{Weeks: n, Seed: s},
				Short: s == 11 && n >= 104 || s == 12 && n == 52})
		}
	}
	drifts := []struct {
		name string
		o    generate.Options
	}{
		{"growth +60%", generate.Options{Drift: generate.Drift{Growth: 0.6}}},
		{"decline -30%", generate.Options{Drift: generate.Drift{Growth: -0.3}}},
		{"conversion +30%", generate.Options{Drift: generate.Drift{Conversion: 0.3}}},
		{"deal size +30%", generate.Options{Drift: generate.Drift{DealSize: 0.3}}},
		{"losses all recorded", generate.Options{UnrecordedLoss: -1}},
		{"half the losses unrecorded", generate.Options{UnrecordedLoss: 0.5}},
		{"export thins 6w", generate.Options{ThinWeeks: 6, ThinKeep: 0.3}},
		{"level shift x1.5", generate.Options{LevelShift: 1.5, LevelShiftWeek: 130}},
	}
	for i, d := range drifts {
		for _, s := range []uint64{21, 22} {
			o := d.o
			o.Weeks, o.Seed = 156, s
			ws = append(ws, World{Name: fmt.Sprintf("%s seed %d", d.name, s), Generated: true, Gen: o,
				Short: s == 21 && (i == 0 || i == 5)})
		}
	}
	ws = append(ws, World{Name: "156w seed 51", Generated: true, Gen: generate.Options{Weeks: 156, Seed: 51}})
	ws = append(ws,
		World{Name: "Maven", Files: []string{"maven-crm-sales-opportunities/sales_pipeline.csv"}, Every: 2,
			Read: calibrate.ReadOptions{Stages: []string{"engaging"}, MaxRejected: 0.1, Map: map[string]string{
				"lead_id": "opportunity_id", "created_at": "engage_date", "outcome": "deal_stage",
				"closed_at": "close_date", "amount": "close_value", "rep": "sales_agent"}}},
		World{Name: "Olist", Files: []string{"olist-marketing-funnel/olist_marketing_qualified_leads_dataset.csv", "olist-marketing-funnel/olist_closed_deals_dataset.csv"},
			Every: 2, DealSize: 1000,
			Read: calibrate.ReadOptions{Stages: []string{"mql"}, MaxRejected: calibrate.DefaultMaxRejected, Map: map[string]string{
				"lead_id": "mql_id", "created_at": "first_contact_date", "channel": "origin", "won_at": "won_date"}}},
		World{Name: "six-year log", Files: []string{"sales-pipeline-6y/sales-pipeline.csv"}, Every: 13, Origins: 16,
			Read: calibrate.ReadOptions{Stages: []string{"lead", "prospect", "qualified", "contracting"}, DateFormat: "1/2/2006", MaxRejected: calibrate.DefaultMaxRejected,
				Map:      map[string]string{"lead_id": "Lead Name", "at": "Date", "stage": "Opportunity Stage", "channel": "Segment", "amount": "Forecasted Monthly Revenue", "rep": "Salesperson"},
				StageMap: map[string]string{"Lead": "lead", "Prospect": "prospect", "Qualified": "qualified", "Contracting": "contracting", "Closed Won": "won", "Closed Lost": "lost"}}},
	)
	return ws
}

// Short is the short corpus: the worlds marked Short.
func Short(ws []World) []World {
	var out []World
	for _, w := range ws {
		if w.Short {
			out = append(out, w)
		}
	}
	return out
}

// History is the world's history as a user's export of it reads: a
// generated one written on the truth's as-of date and read back, a real
// one from its files under shared. A real world whose files are absent
// gives ok false.
func (w World) History(ctx context.Context, shared string) (h *calibrate.History, ok bool, err error) {
	if w.Generated {
		truth := sample.Company()
		g, err := generate.Generate(ctx, truth, w.Gen)
		if err != nil {
			return nil, false, err
		}
		var buf bytes.Buffer
		if err := g.WriteCSV(ctx, &buf, truth.AsOf.Time); err != nil {
			return nil, false, err
		}
		h, err = calibrate.Read(ctx, []calibrate.File{{Name: "history.csv", R: &buf}}, calibrate.ReadOptions{MaxRejected: calibrate.DefaultMaxRejected})
		return h, err == nil, err
	}
	var paths []string
	for _, f := range w.Files {
		p := filepath.Join(shared, f)
		if !exists(p) {
			return nil, false, nil
		}
		paths = append(paths, p)
	}
	h, err = calibrate.ReadFiles(ctx, paths, w.Read)
	return h, err == nil, err
}

// Options are the backtest's options for the world: the command line's
// defaults (the stale rule derived from the data, 2,000 trials, seed 1),
// with the world's origins and assumed deal size.
func (w World) Options() backtest.Options {
	return backtest.Options{
		Calibrate: calibrate.Options{DeriveStale: true, DealSize: w.DealSize},
		Every:     w.Every, Origins: w.Origins, Trials: 2000, Seed: 1,
	}
}

// Run backtests the world with o (Options, changed as an experiment
// needs) and scores it. A real world whose files are absent gives nil.
func (w World) Run(ctx context.Context, shared string, o backtest.Options) (*Scores, error) {
	start := time.Now()
	h, ok, err := w.History(ctx, shared)
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", w.Name, err)
	}
	if !ok {
		return nil, nil
	}
	res, err := backtest.Run(ctx, h, o)
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", w.Name, err)
	}
	s := score(w, res)
	s.Seconds = time.Since(start).Seconds()
	return s, nil
}

// RunAll backtests the worlds, parallel at a time, each on one worker
// (results do not depend on the workers), with each world's Options
// changed by set where it is not nil; done, where it is not nil, is called
// as each world ends, one call at a time. Real worlds whose files are
// absent give nil scores.
func RunAll(ctx context.Context, shared string, ws []World, parallel int, set func(*backtest.Options), done func(World, *Scores)) ([]*Scores, error) {
	scores := make([]*Scores, len(ws))
	errs := make([]error, len(ws))
	sem := make(chan struct{}, max(parallel, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, w := range ws {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			o := w.Options()
			o.Workers = 1
			if set != nil {
				set(&o)
			}
			scores[i], errs[i] = w.Run(ctx, shared, o)
			if done != nil && errs[i] == nil {
				mu.Lock()
				defer mu.Unlock()
				done(w, scores[i])
			}
		})
	}
	wg.Wait()
	return scores, errors.Join(errs...)
}
