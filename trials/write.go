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
	rw := newRows(schema, cols)
	batch := make([]parquet.Row, 0, 1024)
	flush := func() error {
		_, err := pw.WriteRows(batch)
		batch = batch[:0]
		return err
	}
	for j, r := range results {
		if len(r.Metrics) != len(cols.metrics) || r.Trials != run.Count || r.Weeks != run.Weeks || r.Values == nil {
			return fmt.Errorf("trials: result %q does not fit the run (or is not held in memory)", r.Model)
		}
		name := []byte(run.Results[j].Name)
		for i := range r.Trials {
			if batch = append(batch, rw.row(name, r, i)); len(batch) == cap(batch) {
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

// rows makes a file's rows: each value at its column's index.
type rows struct {
	model, trial       int
	metrics, rev, wins []int
	width              int
}

func newRows(schema *parquet.Schema, cols *layout) *rows {
	index := func(name string) int {
		leaf, _ := schema.Lookup(name)
		return leaf.ColumnIndex
	}
	indexes := func(names []string) []int {
		out := make([]int, len(names))
		for i, n := range names {
			out[i] = index(n)
		}
		return out
	}
	return &rows{model: index("model"), trial: index("trial"), metrics: indexes(cols.metrics), rev: indexes(cols.revenue),
		wins: indexes(cols.wins), width: 2 + len(cols.metrics) + len(cols.revenue) + len(cols.wins)}
}

// row is trial i of r, the result named name, in column order.
func (c *rows) row(name []byte, r *model.Result, i int) parquet.Row {
	row := make(parquet.Row, c.width)
	row[c.model] = parquet.ByteArrayValue(name).Level(0, 0, c.model)
	row[c.trial] = parquet.Int64Value(int64(r.FirstTrial+i)).Level(0, 0, c.trial)
	for k, col := range c.metrics {
		row[col] = parquet.DoubleValue(r.Values[k][i]).Level(0, 0, col)
	}
	for w := range r.Weeks {
		row[c.rev[w]] = parquet.DoubleValue(r.CumRevenue[i*r.Weeks+w]).Level(0, 0, c.rev[w])
		row[c.wins[w]] = parquet.DoubleValue(r.CumWins[i*r.Weeks+w]).Level(0, 0, c.wins[w])
	}
	return row
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
