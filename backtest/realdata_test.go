package backtest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/internal/fixture"
)

// TestBacktestRealData backtests the public exports beside the repository
// as docs/ACCURACY.md does (the command line's defaults, the same
// origins and seed) and holds what the defaults reach there: on Maven the
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
	for _, c := range []struct {
		name, dir string
		files     []string
		read      calibrate.ReadOptions
		cal       calibrate.Options
		held      map[string]float64 // target: the least skill against the strongest baseline
		every     int                // weeks between origins (default 2)
		origins   int                // how many (default 20)
	}{
		{
			name: "maven", dir: "maven-crm-sales-opportunities", files: []string{"sales_pipeline.csv"},
			read: calibrate.ReadOptions{Stages: []string{"engaging"}, MaxRejected: 0.1, Map: map[string]string{
				"lead_id": "opportunity_id", "created_at": "engage_date", "outcome": "deal_stage",
				"closed_at": "close_date", "amount": "close_value", "rep": "sales_agent"}},
			cal:  calibrate.Options{DeriveStale: true},
			held: map[string]float64{"engaging": 0, "wins": 0.15, "revenue": 0},
		},
		{
			name: "olist", dir: "olist-marketing-funnel", files: []string{"olist_marketing_qualified_leads_dataset.csv", "olist_closed_deals_dataset.csv"},
			read: calibrate.ReadOptions{Stages: []string{"mql"}, Map: map[string]string{
				"lead_id": "mql_id", "created_at": "first_contact_date", "channel": "origin", "won_at": "won_date"}},
			cal:  calibrate.Options{DeriveStale: true, DealSize: 1000},
			held: map[string]float64{"mql": 0},
		},
		{
			name: "six-year", dir: "sales-pipeline-6y", files: []string{"sales-pipeline.csv"}, every: 13, origins: 16,
			read: calibrate.ReadOptions{Stages: []string{"lead", "prospect", "qualified", "contracting"}, DateFormat: "1/2/2006",
				Map:      map[string]string{"lead_id": "Lead Name", "at": "Date", "stage": "Opportunity Stage", "channel": "Segment", "amount": "Forecasted Monthly Revenue", "rep": "Salesperson"},
				StageMap: map[string]string{"Lead": "lead", "Prospect": "prospect", "Qualified": "qualified", "Contracting": "contracting", "Closed Won": "won", "Closed Lost": "lost"}},
			cal:  calibrate.Options{DeriveStale: true},
			held: map[string]float64{"leads": 0, "revenue": 0},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := fixture.SharedData(t, c.dir)
			var paths []string
			for _, f := range c.files {
				paths = append(paths, filepath.Join(dir, f))
			}
			h, err := calibrate.ReadFiles(paths, c.read)
			if err != nil {
				t.Fatal(err)
			}
			every := c.every
			if every == 0 {
				every = 2
			}
			res, err := backtest.Run(context.Background(), h, backtest.Options{Calibrate: c.cal, Every: every, Origins: c.origins, Trials: 2000, Seed: 1})
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
