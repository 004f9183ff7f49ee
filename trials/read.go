package trials

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"

	"github.com/funnelsim/funnelsim/model"
)

// File is one shard read back: its run and its results, each over the
// shard's trials (model.Result.FirstTrial and Trials).
type File struct {
	Name    string
	Run     *Run
	Results []*model.Result
}

// ReadFile reads the trials file at path.
func ReadFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return Read(path, f, st.Size())
}

// Read reads a trials file of size bytes from r; name is how errors call
// it.
func Read(name string, r io.ReaderAt, size int64) (*File, error) {
	pf, err := parquet.OpenFile(r, size, parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("%s: not a Parquet file: %w", name, err)
	}
	meta, ok := pf.Lookup(RunKey)
	if !ok {
		return nil, fmt.Errorf("%s: not a funnelsim trials file (no %s metadata)", name, RunKey)
	}
	run := new(Run)
	if err := json.Unmarshal([]byte(meta), run); err != nil {
		return nil, fmt.Errorf("%s: metadata %s: %w", name, RunKey, err)
	}
	if err := run.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if want := int64(len(run.Results)) * int64(run.Count); pf.NumRows() != want {
		return nil, fmt.Errorf("%s: %d rows where the run's %d results of %d trials need %d", name, pf.NumRows(), len(run.Results), run.Count, want)
	}
	out := &File{Name: name, Run: run}
	for _, h := range run.Results {
		r := &model.Result{Model: h.Name, Currency: h.Currency, Start: h.Start, Trials: run.Count, FirstTrial: run.FirstTrial,
			Weeks: run.Weeks, Seed: run.Seed, FixedParams: run.FixedParams, Metrics: h.Metrics}
		r.Values = make([][]float64, len(h.Metrics))
		for k := range r.Values {
			r.Values[k] = make([]float64, run.Count)
		}
		r.CumRevenue = make([]float64, run.Count*run.Weeks)
		r.CumWins = make([]float64, run.Count*run.Weeks)
		out.Results = append(out.Results, r)
	}
	if err := out.fill(pf); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// check refuses metadata that does not describe a shard.
func (r *Run) check() error {
	switch {
	case len(r.Results) == 0:
		return errors.New("the run has no results")
	case r.Weeks < 1 || r.Weeks > model.MaxWeeks:
		return fmt.Errorf("weeks %d is not in 1..%d", r.Weeks, model.MaxWeeks)
	case r.Trials < 1 || r.Trials > model.MaxTrials:
		return fmt.Errorf("trials %d is not in 1..%d", r.Trials, model.MaxTrials)
	case r.Count < 1 || r.FirstTrial < 0 || r.FirstTrial > r.Trials-r.Count:
		return fmt.Errorf("trials %d to %d are not within the run's %d", r.FirstTrial, r.FirstTrial+r.Count-1, r.Trials)
	case Hash([]byte(r.Model)) != r.ModelSHA256:
		return errors.New("the model in the metadata does not match its model_sha256")
	}
	for _, h := range r.Results[1:] {
		if len(h.Metrics) != len(r.Results[0].Metrics) {
			return fmt.Errorf("results %q and %q have different metrics", r.Results[0].Name, h.Name)
		}
	}
	return nil
}

// fill reads the file's columns into f's results.
func (f *File) fill(pf *parquet.File) error {
	run := f.Run
	cols, err := columnsOf(run.Results[0].Metrics, run.Weeks)
	if err != nil {
		return err
	}
	schema := pf.Schema()
	type target struct {
		name string
		set  func(row int, x float64)
	}
	count := run.Count
	at := func(row int) (*model.Result, int) { return f.Results[row/count], row % count }
	var targets []target
	for k, n := range cols.metrics {
		targets = append(targets, target{n, func(row int, x float64) { r, i := at(row); r.Values[k][i] = x }})
	}
	for w := range run.Weeks {
		targets = append(targets,
			target{cols.revenue[w], func(row int, x float64) { r, i := at(row); r.CumRevenue[i*run.Weeks+w] = x }},
			target{cols.wins[w], func(row int, x float64) { r, i := at(row); r.CumWins[i*run.Weeks+w] = x }})
	}
	targets = append(targets, target{"trial", func(row int, x float64) {}}) // checked below
	index := map[string]int{}
	for _, t := range append(targets, target{name: "model"}) {
		leaf, ok := schema.Lookup(t.name)
		if !ok {
			return fmt.Errorf("no column %q", t.name)
		}
		index[t.name] = leaf.ColumnIndex
	}
	start := 0
	var buf []float64
	var ints []int64
	for g, rg := range pf.RowGroups() {
		n := int(rg.NumRows())
		chunks := rg.ColumnChunks()
		for _, t := range targets[:len(targets)-1] {
			if buf, err = readDoubles(chunks[index[t.name]], buf[:0], n); err != nil {
				return fmt.Errorf("row group %d, column %s: %w", g, t.name, err)
			}
			for i, x := range buf {
				t.set(start+i, x)
			}
		}
		if ints, err = readInt64s(chunks[index["trial"]], ints[:0], n); err != nil {
			return fmt.Errorf("row group %d, column trial: %w", g, err)
		}
		for i, v := range ints {
			r, k := at(start + i)
			if want := int64(r.FirstTrial + k); v != want {
				return fmt.Errorf("row %d: trial %d where the shard's order needs %d", start+i+1, v, want)
			}
		}
		start += n
	}
	return f.checkNames(pf, index["model"])
}

// checkNames checks the model column names each row's result.
func (f *File) checkNames(pf *parquet.File, col int) error {
	start := 0
	vals := make([]parquet.Value, 4096)
	for _, rg := range pf.RowGroups() {
		pages := rg.ColumnChunks()[col].Pages()
		for {
			p, err := pages.ReadPage()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				pages.Close()
				return fmt.Errorf("column model: %w", err)
			}
			vr := p.Values()
			for {
				n, err := vr.ReadValues(vals)
				for i := range n {
					want := f.Run.Results[(start+i)/f.Run.Count].Name
					if got := vals[i].String(); got != want {
						pages.Close()
						return fmt.Errorf("row %d: model %q where the shard's order needs %q", start+i+1, got, want)
					}
				}
				start += n
				if errors.Is(err, io.EOF) || (err == nil && n == 0) {
					break
				}
				if err != nil {
					pages.Close()
					return fmt.Errorf("column model: %w", err)
				}
			}
			parquet.Release(p)
		}
		pages.Close()
	}
	return nil
}

// readDoubles appends the n values of a DOUBLE column chunk to buf.
func readDoubles(c parquet.ColumnChunk, buf []float64, n int) ([]float64, error) {
	buf = buf[:0]
	if cap(buf) < n {
		buf = make([]float64, 0, n)
	}
	err := eachPage(c, func(p parquet.Page) error {
		vr := p.Values()
		dr, ok := vr.(parquet.DoubleReader)
		vals := make([]parquet.Value, 1024)
		for {
			if len(buf) == n {
				if k, _ := vr.ReadValues(vals[:1]); k > 0 {
					return errors.New("more values than rows")
				}
				return nil
			}
			var k int
			var err error
			if ok {
				k, err = dr.ReadDoubles(buf[len(buf):n])
				buf = buf[:len(buf)+k]
			} else {
				k, err = vr.ReadValues(vals[:min(len(vals), n-len(buf))])
				for _, v := range vals[:k] {
					buf = append(buf, v.Double())
				}
			}
			if errors.Is(err, io.EOF) || (err == nil && k == 0) {
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
	if err == nil && len(buf) != n {
		err = fmt.Errorf("%d values for %d rows", len(buf), n)
	}
	return buf, err
}

// readInt64s appends the n values of an INT64 column chunk to buf.
func readInt64s(c parquet.ColumnChunk, buf []int64, n int) ([]int64, error) {
	buf = buf[:0]
	vals := make([]parquet.Value, 1024)
	err := eachPage(c, func(p parquet.Page) error {
		vr := p.Values()
		for {
			k, err := vr.ReadValues(vals[:min(len(vals), max(n-len(buf), 1))])
			for _, v := range vals[:k] {
				buf = append(buf, v.Int64())
			}
			if len(buf) > n {
				return errors.New("more values than rows")
			}
			if errors.Is(err, io.EOF) || (err == nil && k == 0) {
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
	if err == nil && len(buf) != n {
		err = fmt.Errorf("%d values for %d rows", len(buf), n)
	}
	return buf, err
}

// eachPage calls do with each page of c, in order.
func eachPage(c parquet.ColumnChunk, do func(parquet.Page) error) error {
	pages := c.Pages()
	defer pages.Close()
	for {
		p, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		err = do(p)
		parquet.Release(p)
		if err != nil {
			return err
		}
	}
}
