package trials

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"github.com/funnelsim/funnelsim/model"
)

// File is one shard's trials file, open: its run, read from the
// metadata, and its rows, read when it is merged (Merge).
type File struct {
	Name string
	Run  *Run
	pf   *parquet.File
	c    io.Closer // the file Open opened
}

// Open opens the trials file at path and reads its metadata.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	t, err := Read(path, f, st.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	t.c = f
	return t, nil
}

// Close closes the file Open opened.
func (f *File) Close() error {
	if f.c == nil {
		return nil
	}
	return f.c.Close()
}

// Read reads the metadata of a trials file of size bytes from r, which
// must stay readable until the file is merged; name is how errors call
// it.
func Read(name string, r io.ReaderAt, size int64) (f *File, err error) {
	// The Parquet library trusts the file's footer: a few bytes changed
	// there can make it panic. A shard is untrusted input, so that is an
	// error naming the file.
	defer recoverInto(&err, name+": ")
	if err := checkFooter(r, size); err != nil {
		return nil, fmt.Errorf("%s: not a Parquet file: %w", name, err)
	}
	pf, err := parquet.OpenFile(r, size, parquet.SkipBloomFilters(true), parquet.SkipPageIndex(true))
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
	if err := checkPages(r, size, pf.Metadata()); err != nil {
		return nil, fmt.Errorf("%s: a damaged Parquet file: %w", name, err)
	}
	want := int64(len(run.Results)) * int64(run.Count)
	if pf.NumRows() != want {
		return nil, fmt.Errorf("%s: %d rows where the run's %d results of %d trials need %d", name, pf.NumRows(), len(run.Results), run.Count, want)
	}
	// Each row group's count decides what its columns' reading
	// allocates: it must fit in the rows the run needs before any is read.
	rows := int64(0)
	for g, rg := range pf.RowGroups() {
		n := rg.NumRows()
		if n < 0 || n > want-rows {
			return nil, fmt.Errorf("%s: row group %d claims %d rows, where the file holds %d in all", name, g, n, want)
		}
		rows += n
	}
	if rows != want {
		return nil, fmt.Errorf("%s: the row groups hold %d rows where the run's %d results of %d trials need %d", name, rows, len(run.Results), run.Count, want)
	}
	cols, err := columnsOf(run.Results[0].Metrics, run.Weeks)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, c := range append(cols.all(), "model", "trial") {
		if _, ok := pf.Schema().Lookup(c); !ok {
			return nil, fmt.Errorf("%s: no column %q", name, c)
		}
	}
	return &File{Name: name, Run: run, pf: pf}, nil
}

// maxFooter bounds a trials file's footer (its metadata: the run, the
// schema, each row group's columns): a few kilobytes for a run, a few
// megabytes for a grid of a thousand cells.
const maxFooter = 64 << 20

// checkFooter checks the frame of a Parquet file of size bytes before the
// library reads it: PAR1 at both ends and a footer length that fits in the
// file and under maxFooter. The library allocates the length it reads
// there, so a few changed bytes could make it ask for gigabytes.
func checkFooter(r io.ReaderAt, size int64) error {
	if size < 12 {
		return fmt.Errorf("%d bytes, too short for one", size)
	}
	var head, tail [4]byte
	var frame [8]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return err
	}
	if _, err := r.ReadAt(frame[:], size-8); err != nil {
		return err
	}
	copy(tail[:], frame[4:])
	if string(head[:]) != "PAR1" || string(tail[:]) != "PAR1" {
		return errors.New("no PAR1 at its start and end")
	}
	n := int64(binary.LittleEndian.Uint32(frame[:4]))
	if n > size-12 || n > maxFooter {
		return fmt.Errorf("a footer of %d bytes in a file of %d", n, size)
	}
	footer := make([]byte, n)
	if _, err := r.ReadAt(footer, size-8-n); err != nil {
		return err
	}
	if _, err := checkThrift(footer); err != nil {
		return fmt.Errorf("its footer: %w", err)
	}
	return nil
}

// maxPage bounds a page's uncompressed size: the library allocates what a
// page's header claims before it decompresses the page, and the writer's
// pages are a megabyte or so.
const maxPage = 64 << 20

// maxPageHeader bounds a page's header: the writer's take some 40 bytes.
const maxPageHeader = 64 << 10

// checkPages walks the page headers of every column chunk the footer
// lists, as the library will read them, and refuses a chunk outside the
// file, a page outside its chunk, or a page that claims more than maxPage
// uncompressed: a 300-byte file whose page claimed 1.5 GB ended the
// process out of memory inside the library.
//
// A zstd page is also decompressed here, into at most its claimed size
// (decoder memory bounded by maxPage), since the library would trust a
// frame's own claims; a codec the writer does not use (lz4's decoder
// doubles its buffer without end on a corrupt block) is refused.
func checkPages(r io.ReaderAt, size int64, md *format.FileMetaData) error {
	var compact thrift.CompactProtocol
	var dec *zstd.Decoder
	defer func() {
		if dec != nil {
			dec.Close()
		}
	}()
	var src, dst []byte
	head := make([]byte, maxPageHeader)
	for g, rg := range md.RowGroups {
		for c, col := range rg.Columns {
			m := &col.MetaData
			if m.Codec != format.Zstd && m.Codec != format.Uncompressed {
				return fmt.Errorf("row group %d, column %d: compressed with %v, where a trials file is written with zstd", g, c, m.Codec)
			}
			start := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
				start = m.DictionaryPageOffset
			}
			end := start + m.TotalCompressedSize
			if start < 4 || m.TotalCompressedSize < 0 || end > size || end < start {
				return fmt.Errorf("row group %d, column %d: its pages at bytes %d to %d are not within the file's %d", g, c, start, end, size)
			}
			for pos := start; pos < end; {
				head := head[:min(end-pos, int64(len(head)))]
				if _, err := r.ReadAt(head, pos); err != nil {
					return fmt.Errorf("row group %d, column %d: a page header at byte %d: %w", g, c, pos, err)
				}
				n, err := checkThrift(head)
				if err != nil {
					return fmt.Errorf("row group %d, column %d: a page header at byte %d: %w", g, c, pos, err)
				}
				var h format.PageHeader
				if err := thrift.Unmarshal(&compact, head[:n], &h); err != nil {
					return fmt.Errorf("row group %d, column %d: a page header at byte %d: %w", g, c, pos, err)
				}
				if h.UncompressedPageSize < 0 || h.UncompressedPageSize > maxPage || h.CompressedPageSize < 0 {
					return fmt.Errorf("row group %d, column %d: a page at byte %d claims %d bytes compressed, %d uncompressed (at most %d)", g, c, pos, h.CompressedPageSize, h.UncompressedPageSize, maxPage)
				}
				body := pos + int64(n)
				pos = body + int64(h.CompressedPageSize)
				if pos > end {
					return fmt.Errorf("row group %d, column %d: a page at byte %d runs past its chunk", g, c, body)
				}
				skip := int64(0) // a v2 page's levels, which are not compressed
				if v2 := h.DataPageHeaderV2; v2.Valid {
					if v2.V.IsCompressed.Valid && !v2.V.IsCompressed.V {
						continue
					}
					skip = int64(v2.V.RepetitionLevelsByteLength) + int64(v2.V.DefinitionLevelsByteLength)
					if skip < 0 || skip > int64(h.CompressedPageSize) || skip > int64(h.UncompressedPageSize) {
						return fmt.Errorf("row group %d, column %d: a page at byte %d claims levels of %d bytes", g, c, body, skip)
					}
				}
				if m.Codec != format.Zstd {
					continue
				}
				if dec == nil {
					var err error
					if dec, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxPage), zstd.WithDecoderMaxWindow(maxPage)); err != nil {
						return err
					}
				}
				src = slices.Grow(src[:0], int(int64(h.CompressedPageSize)-skip))[:int64(h.CompressedPageSize)-skip]
				if _, err := r.ReadAt(src, body+skip); err != nil {
					return fmt.Errorf("row group %d, column %d: a page at byte %d: %w", g, c, body, err)
				}
				out, err := dec.DecodeAll(src, dst[:0])
				if err != nil || int64(len(out)) != int64(h.UncompressedPageSize)-skip {
					return fmt.Errorf("row group %d, column %d: a page at byte %d does not decompress to the %d bytes it claims (%d, %v)", g, c, body, int64(h.UncompressedPageSize)-skip, len(out), err)
				}
				dst = out
			}
		}
	}
	return nil
}

// recoverInto turns a panic inside the Parquet library into an error in
// *err, after prefix (the file's name, where the caller does not add it).
func recoverInto(err *error, prefix string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%sa damaged Parquet file (the reader failed: %v)", prefix, r)
	}
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
	case r.Hash() != r.ModelSHA256:
		return errors.New("the model in the metadata does not match its model_sha256")
	case r.Parts != nil && len(r.Parts) != len(r.Results):
		return fmt.Errorf("%d model files for %d results", len(r.Parts), len(r.Results))
	}
	for _, h := range r.Results[1:] {
		if !slices.Equal(h.Metrics, r.Results[0].Metrics) {
			return fmt.Errorf("results %q and %q have different metrics", r.Results[0].Name, h.Name)
		}
	}
	return r.checkCommand()
}

// checkCommand refuses metadata whose parts do not fit its command: the
// merge answers as the command would, and takes the run's word for how
// many results, values and notes there are.
func (r *Run) checkCommand() error {
	n := len(r.Results)
	notes := func(want int) error {
		if r.Notes != nil && len(r.Notes) != want {
			return fmt.Errorf("%d results with the notes of %d", n, len(r.Notes))
		}
		return nil
	}
	switch r.Command {
	case "forecast":
		if n != 1 {
			return fmt.Errorf("a forecast of %d results", n)
		}
	case "compare":
		if n < 2 {
			return fmt.Errorf("a comparison of %d results, with no scenario", n)
		}
		return notes(n - 1)
	case "portfolio":
		if len(r.Parts) != n {
			return fmt.Errorf("a portfolio of %d results with %d model files", n, len(r.Parts))
		}
	case "sweep", "goal":
		switch {
		case r.Lever == "":
			return fmt.Errorf("a %s without its lever", r.Command)
		case r.Command == "goal" && len(r.Range) != 3:
			return errors.New("a goal seek without its range")
		case r.Lever2 == "" && len(r.Values) != n:
			return fmt.Errorf("%d results for %d values of %s", n, len(r.Values), r.Lever)
		case r.Lever2 != "" && (r.Command == "goal" || len(r.Values)*len(r.Values2) != n):
			return fmt.Errorf("%d results for a grid of %d by %d", n, len(r.Values), len(r.Values2))
		}
		return notes(n)
	default:
		return fmt.Errorf("a %q run cannot be merged (forecast, compare, sweep, goal and portfolio can)", r.Command)
	}
	return nil
}

// copyTo copies the file's rows into sp, each result's columns at the
// file's trials, checking each row's trial and result.
func (f *File) copyTo(ctx context.Context, sp *spill) (err error) {
	defer recoverInto(&err, "")
	run := f.Run
	cols, err := columnsOf(run.Results[0].Metrics, run.Weeks)
	if err != nil {
		return err
	}
	schema := f.pf.Schema()
	index := func(name string) int {
		leaf, _ := schema.Lookup(name)
		return leaf.ColumnIndex
	}
	names := cols.all()
	count := run.Count
	start := 0
	var buf []float64
	var ints []int64
	for g, rg := range f.pf.RowGroups() {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := int(rg.NumRows())
		chunks := rg.ColumnChunks()
		for c, name := range names {
			if buf, err = readDoubles(chunks[index(name)], buf[:0], n); err != nil {
				return fmt.Errorf("row group %d, column %s: %w", g, name, err)
			}
			// The rows may run from one result into the next.
			for k := 0; k < n; {
				j, i := (start+k)/count, (start+k)%count
				m := min(n-k, count-i)
				if err := sp.write(j, c, run.FirstTrial+i, buf[k:k+m]); err != nil {
					return err
				}
				k += m
			}
		}
		if ints, err = readInt64s(chunks[index("trial")], ints[:0], n); err != nil {
			return fmt.Errorf("row group %d, column trial: %w", g, err)
		}
		for k, v := range ints {
			if want := int64(run.FirstTrial + (start+k)%count); v != want {
				return fmt.Errorf("row %d: trial %d where the shard's order needs %d", start+k+1, v, want)
			}
		}
		if err := f.checkNames(chunks[index("model")], start); err != nil {
			return fmt.Errorf("row group %d: %w", g, err)
		}
		start += n
	}
	return nil
}

// checkNames checks that the model column's values, from row start, name
// each row's result.
func (f *File) checkNames(c parquet.ColumnChunk, start int) error {
	vals := make([]parquet.Value, 4096)
	row := start
	return eachPage(c, func(p parquet.Page) error {
		vr := p.Values()
		for {
			n, err := vr.ReadValues(vals)
			for i := range n {
				j := (row + i) / f.Run.Count
				if j >= len(f.Run.Results) {
					return errors.New("column model: more values than rows")
				}
				if got, want := vals[i].String(), f.Run.Results[j].Name; got != want {
					return fmt.Errorf("row %d: model %q where the shard's order needs %q", row+i+1, got, want)
				}
			}
			row += n
			if errors.Is(err, io.EOF) || (err == nil && n == 0) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("column model: %w", err)
			}
		}
	})
}

// readDoubles appends the n values of a DOUBLE column chunk to buf.
func readDoubles(c parquet.ColumnChunk, buf []float64, n int) ([]float64, error) {
	fast := func(vr parquet.ValueReader, dst []float64) (int, error, bool) {
		r, ok := vr.(parquet.DoubleReader)
		if !ok {
			return 0, nil, false
		}
		k, err := r.ReadDoubles(dst)
		return k, err, true
	}
	return readColumn(c, buf, n, fast, parquet.Value.Double)
}

// readInt64s appends the n values of an INT64 column chunk to buf.
func readInt64s(c parquet.ColumnChunk, buf []int64, n int) ([]int64, error) {
	fast := func(vr parquet.ValueReader, dst []int64) (int, error, bool) {
		r, ok := vr.(parquet.Int64Reader)
		if !ok {
			return 0, nil, false
		}
		k, err := r.ReadInt64s(dst)
		return k, err, true
	}
	return readColumn(c, buf, n, fast, parquet.Value.Int64)
}

// readColumn sets buf to the n values of a column chunk: read in bulk by
// fast where a page's reader has the typed method (ok), else value by
// value.
//
// buf grows with the values the pages hold, not to the n rows the file's
// metadata claims: a damaged or crafted file may claim millions of rows
// in a few bytes, and its reading must not allocate for them.
func readColumn[T any](c parquet.ColumnChunk, buf []T, n int, fast func(parquet.ValueReader, []T) (k int, err error, ok bool), value func(parquet.Value) T) ([]T, error) {
	buf = buf[:0]
	vals := make([]parquet.Value, 1024)
	err := eachPage(c, func(p parquet.Page) error {
		buf = slices.Grow(buf, min(max(int(p.NumValues()), 0), n-len(buf), 1<<20))
		vr := p.Values()
		for {
			if len(buf) == n {
				if k, _ := vr.ReadValues(vals[:1]); k > 0 {
					return errors.New("more values than rows")
				}
				return nil
			}
			if cap(buf) == len(buf) { // the page holds more than it said
				buf = slices.Grow(buf, min(len(vals), n-len(buf)))
			}
			k, err, ok := fast(vr, buf[len(buf):min(cap(buf), n)])
			if ok {
				buf = buf[:len(buf)+k]
			} else {
				k, err = vr.ReadValues(vals[:min(len(vals), n-len(buf))])
				for _, v := range vals[:k] {
					buf = append(buf, value(v))
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
