package trials

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/funnelsim/funnelsim/model"
)

// Metadata keys of a trials file. RunKey holds the Run as JSON; the
// others repeat its main facts for a reader that does not parse it.
const (
	RunKey     = "funnelsim.run"
	prefix     = "funnelsim."
	rowsPerRow = 64 << 10 // rows per row group
)

// layout names a file's columns: model, trial, the metrics, then the
// weekly cumulative revenue and wins.
type layout struct {
	metrics       []string
	revenue, wins []string
}

func columnsOf(metrics []model.MetricInfo, weeks int) (*layout, error) {
	c := &layout{}
	seen := map[string]bool{"model": true, "trial": true}
	width := len(strconv.Itoa(weeks))
	for w := 1; w <= weeks; w++ {
		n := fmt.Sprintf("%0*d", width, w)
		c.revenue = append(c.revenue, "cum_revenue_w"+n)
		c.wins = append(c.wins, "cum_wins_w"+n)
	}
	for _, m := range metrics {
		c.metrics = append(c.metrics, m.Name)
	}
	for _, n := range c.all() {
		if seen[n] {
			return nil, fmt.Errorf("trials: two columns named %q", n)
		}
		seen[n] = true
	}
	return c, nil
}

func (c *layout) all() []string {
	out := append([]string{}, c.metrics...)
	out = append(out, c.revenue...)
	return append(out, c.wins...)
}

func (c *layout) schema() *parquet.Schema {
	g := parquet.Group{"model": parquet.String(), "trial": parquet.Leaf(parquet.Int64Type)}
	for _, n := range c.all() {
		g[n] = parquet.Leaf(parquet.DoubleType)
	}
	return parquet.NewSchema("trials", g)
}

// Write writes the trials of results, the shard run describes, to w as
// Parquet: a row per result and trial, the results one after another.
func Write(w io.Writer, run *Run, results []*model.Result) error {
	if len(results) != len(run.Results) {
		return fmt.Errorf("trials: %d results for a run of %d", len(results), len(run.Results))
	}
	cols, err := columnsOf(results[0].Metrics, run.Weeks)
	if err != nil {
		return err
	}
	meta, err := json.Marshal(run)
	if err != nil {
		return err
	}
	schema := cols.schema()
	opts := []parquet.WriterOption{schema, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(rowsPerRow),
		parquet.CreatedBy("funnelsim", run.Version, ""), parquet.KeyValueMetadata(RunKey, string(meta))}
	for k, v := range run.facts() {
		opts = append(opts, parquet.KeyValueMetadata(prefix+k, v))
	}
	cfg, err := parquet.NewWriterConfig(opts...)
	if err != nil {
		return fmt.Errorf("trials: %w", err)
	}
	pw := parquet.NewWriter(w, cfg)
	index := func(name string) int {
		leaf, _ := schema.Lookup(name)
		return leaf.ColumnIndex
	}
	modelCol, trialCol := index("model"), index("trial")
	metricCol := indexes(cols.metrics, index)
	revCol, winCol := indexes(cols.revenue, index), indexes(cols.wins, index)
	rows := make([]parquet.Row, 0, 1024)
	width := 2 + len(metricCol) + 2*run.Weeks
	flush := func() error {
		_, err := pw.WriteRows(rows)
		rows = rows[:0]
		return err
	}
	for j, r := range results {
		if len(r.Metrics) != len(metricCol) || r.Trials != run.Count || r.Weeks != run.Weeks {
			return fmt.Errorf("trials: result %q does not fit the run", r.Model)
		}
		name := []byte(run.Results[j].Name)
		for i := range r.Trials {
			row := make(parquet.Row, width) // in column order
			row[modelCol] = parquet.ByteArrayValue(name).Level(0, 0, modelCol)
			row[trialCol] = parquet.Int64Value(int64(r.FirstTrial+i)).Level(0, 0, trialCol)
			for k, c := range metricCol {
				row[c] = parquet.DoubleValue(r.Values[k][i]).Level(0, 0, c)
			}
			for wk := range r.Weeks {
				row[revCol[wk]] = parquet.DoubleValue(r.CumRevenue[i*r.Weeks+wk]).Level(0, 0, revCol[wk])
				row[winCol[wk]] = parquet.DoubleValue(r.CumWins[i*r.Weeks+wk]).Level(0, 0, winCol[wk])
			}
			rows = append(rows, row)
			if len(rows) == cap(rows) {
				if err := flush(); err != nil {
					return fmt.Errorf("trials: %w", err)
				}
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("trials: %w", err)
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("trials: %w", err)
	}
	return nil
}

func indexes(names []string, index func(string) int) []int {
	out := make([]int, len(names))
	for i, n := range names {
		out[i] = index(n)
	}
	return out
}

// facts are the run's main facts as metadata values.
func (r *Run) facts() map[string]string {
	return map[string]string{
		"command":      r.Command,
		"version":      r.Version,
		"model_sha256": r.ModelSHA256,
		"seed":         strconv.FormatUint(r.Seed, 10),
		"weeks":        strconv.Itoa(r.Weeks),
		"trials":       fmt.Sprintf("%d to %d of %d", r.FirstTrial, r.FirstTrial+r.Count-1, r.Trials),
	}
}
