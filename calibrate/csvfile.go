package calibrate

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"

	"github.com/funnelsim/funnelsim/model"
)

// Limits on a history file, checked while reading, before anything is
// allocated for what exceeds them: a CRM export's lines are a few hundred
// bytes and its columns a few dozen.
const (
	MaxLineBytes = 1 << 20 // bytes in one line
	MaxColumns   = 1024    // columns in the header
	// MaxInflation bounds how many times its size a gzipped file may
	// decompress to, once it has given minInflated bytes: CSV compresses
	// five to twenty times, a decompression bomb a thousand and more.
	MaxInflation = 200
	minInflated  = 64 << 20
)

// countReader counts and hashes the bytes read through it, and notes
// when its reader is done.
type countReader struct {
	r   io.Reader
	n   int64
	sum hash.Hash
	eof bool
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.sum.Write(p[:n])
	c.eof = c.eof || err == io.EOF
	return n, err
}

// inflateLimit passes a decompressed stream through until it has given
// more than MaxInflation times the compressed bytes read (and at least
// minInflated), then fails.
type inflateLimit struct {
	r   io.Reader
	in  *countReader
	out int64
}

var errInflated = fmt.Errorf("decompresses to more than %d times its size: not a CRM export (a decompression bomb?)", MaxInflation)

func (l *inflateLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.out += int64(n)
	if l.out > minInflated && l.out > MaxInflation*l.in.n {
		return n, errInflated
	}
	return n, err
}

// checkEvery is how many rows a reader reads between looks at its
// context.
const checkEvery = 4096

// lineLimit passes bytes through until a line runs past MaxLineBytes,
// then fails with errLineTooLong.
type lineLimit struct {
	r    io.Reader
	run  int // bytes since the last newline
	line int // lines seen
}

var errLineTooLong = fmt.Errorf("a line longer than %d bytes (%d MiB): not a CRM export", MaxLineBytes, MaxLineBytes>>20)

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			j = n - i // no newline in the rest: the line runs on
		}
		if l.run+j > MaxLineBytes {
			return i + MaxLineBytes - l.run, fmt.Errorf("line %d: %w", l.line+1, errLineTooLong)
		}
		if i+j == n {
			l.run += j
			break
		}
		l.run, l.line, i = 0, l.line+1, i+j+1
	}
	return n, err
}

// csvFile reads one CSV input row by row, accounting for every row: gzip
// and a byte-order mark are taken off, a semicolon separator is detected
// from the header, and malformed and ragged rows are rejected into the
// report with their line.
type csvFile struct {
	ctx    context.Context
	name   string
	cr     *csv.Reader
	header []string
	src    model.SourceFile
	rep    *Report
	closer io.Closer
	start  []byte       // the first bytes, for estimating the row count
	in     *countReader // the file's bytes as read
	// progress, if set, is told the bytes read every checkEvery rows.
	progress func(read int64)
}

// openCSV opens f and reads its header; reading stops with ctx's error
// once ctx is done.
func openCSV(ctx context.Context, f File, rep *Report) (*csvFile, error) {
	in := &countReader{r: f.R, sum: sha256.New()}
	br := bufio.NewReaderSize(in, 64<<10)
	c := &csvFile{ctx: ctx, name: f.Name, rep: rep, src: model.SourceFile{Path: f.Name}, in: in}
	if b, _ := br.Peek(2); bytes.Equal(b, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		c.closer = zr
		br = bufio.NewReaderSize(&inflateLimit{r: zr, in: in}, 64<<10)
	}
	if b, _ := br.Peek(3); bytes.Equal(b, bom) {
		br.Discard(3)
	}
	c.start, _ = br.Peek(64 << 10)
	first := c.start
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	c.cr = csv.NewReader(&lineLimit{r: br})
	c.cr.FieldsPerRecord = -1
	c.cr.ReuseRecord = true
	if bytes.Count(first, []byte{';'}) > bytes.Count(first, []byte{','}) {
		c.cr.Comma = ';'
	}
	header, err := c.cr.Read()
	if err == io.EOF {
		c.close()
		return nil, fmt.Errorf("%s: empty file: no header", f.Name)
	}
	if err != nil {
		c.close()
		return nil, fmt.Errorf("%s: header: %w", f.Name, err)
	}
	if len(header) > MaxColumns {
		c.close()
		return nil, fmt.Errorf("%s: header: %d columns, more than %d: not a CRM export", f.Name, len(header), MaxColumns)
	}
	c.header = slices.Clone(header)
	return c, nil
}

func (c *csvFile) close() {
	if c.closer != nil {
		c.closer.Close()
	}
}

// next returns the next well-formed row and its line; ok is false at the
// end. Malformed and ragged rows are counted, rejected and skipped; err is
// a failure to read the file at all. The record is reused by the next call.
func (c *csvFile) next() (rec []string, line int, ok bool, err error) {
	for {
		if c.src.Rows%checkEvery == 0 {
			if err := c.ctx.Err(); err != nil {
				return nil, 0, false, fmt.Errorf("%s: %w", c.name, err)
			}
			if c.progress != nil {
				c.progress(c.in.n)
			}
		}
		rec, err := c.cr.Read()
		if err == io.EOF {
			return nil, 0, false, nil
		}
		c.src.Rows++
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			detail := pe.Err.Error()
			if pe.StartLine != pe.Line {
				// An open quote runs on: say how many lines it took.
				detail = fmt.Sprintf("%s; lines %d to %d read as one row", detail, pe.StartLine, pe.Line)
			}
			c.rep.reject(&c.src, pe.StartLine, "row", "malformed CSV", detail)
			continue
		}
		if err != nil {
			return nil, 0, false, fmt.Errorf("%s: %w", c.name, err)
		}
		line, _ := c.cr.FieldPos(0)
		if len(rec) != len(c.header) {
			c.rep.reject(&c.src, line, "row", "ragged row", fmt.Sprintf("%d fields, the header has %d", len(rec), len(c.header)))
			continue
		}
		return rec, line, true, nil
	}
}

// done files the source's row counts in the report.
func (c *csvFile) done() {
	c.close()
	c.src.Used = c.src.Rows - c.src.Rejected
	if c.in.eof {
		c.src.SHA256 = hex.EncodeToString(c.in.sum.Sum(nil))
	}
	c.rep.Files = append(c.rep.Files, c.src)
}

// ReadRows reads a CSV file as the history reader does (gzip and a
// byte-order mark taken off, the separator detected, the limits on lines,
// columns and inflation kept, malformed and ragged rows rejected into rep
// with their line) and calls row with the header and each well-formed
// row, which it may reject into rep by returning false with a field, a
// reason and a detail. The record passed to row is reused by the next.
func ReadRows(ctx context.Context, f File, rep *Report, row func(header, rec []string, line int) (ok bool, field, reason, detail string)) error {
	c, err := openCSV(ctx, f, rep)
	if err != nil {
		return err
	}
	defer c.close()
	for {
		rec, line, ok, err := c.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if ok, field, reason, detail := row(c.header, rec, line); !ok {
			rep.reject(&c.src, line, field, reason, detail)
		}
	}
	if c.src.Rows == 0 {
		rep.warn("%s: header only, no rows", f.Name)
	}
	c.done()
	return nil
}
