package calibrate

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// Spend is a channel's weekly spend: one amount per week, the week named by
// the day it starts.
type Spend struct {
	Rows []SpendRow
}

// SpendRow is one week's spend on one channel.
type SpendRow struct {
	Week    time.Time
	Channel string
	Amount  float64
}

// ReadSpendFile opens and reads a spend file; see ReadSpend.
func ReadSpendFile(path string, dateFormat string, rep *Report) (*Spend, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadSpend(File{Name: path, R: f}, dateFormat, rep)
}

// ReadSpend reads a spend file: a CSV with columns week (the date the week
// starts), channel and spend. Rows with an unparsable date, an empty
// channel, a spend that is not a number or is negative, or a second row for
// the same week and channel are rejected and counted in rep, as history
// rows are.
func ReadSpend(f File, dateFormat string, rep *Report) (*Spend, error) {
	br := bufio.NewReader(f.R)
	if b, _ := br.Peek(3); bytes.Equal(b, bom) {
		br.Discard(3)
	}
	first, _ := br.Peek(4096)
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if bytes.Count(first, []byte{';'}) > bytes.Count(first, []byte{','}) {
		cr.Comma = ';'
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file: no header", f.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", f.Name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, want := range []string{"week", "channel", "spend"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("%s: header: no %s column (a spend file has week, channel, spend)", f.Name, want)
		}
	}
	src := model.SourceFile{Path: f.Name}
	s := &Spend{}
	type key struct {
		week    time.Time
		channel string
	}
	seen := map[key]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		src.Rows++
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.reject(&src, pe.StartLine, "row", "malformed CSV", pe.Err.Error())
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			rep.reject(&src, line, "row", "ragged row", fmt.Sprintf("%d fields, the header has %d", len(rec), len(header)))
			continue
		}
		get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		week, err := ParseTime(get("week"), dateFormat)
		if err != nil {
			rep.reject(&src, line, "week", "unparsable date", err.Error())
			continue
		}
		ch := get("channel")
		if ch == "" {
			rep.reject(&src, line, "channel", "missing channel", "empty")
			continue
		}
		v, err := strconv.ParseFloat(get("spend"), 64)
		switch {
		case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
			rep.reject(&src, line, "spend", "unparsable amount", fmt.Sprintf("%q is not a number", get("spend")))
			continue
		case v < 0:
			rep.reject(&src, line, "spend", "negative amount", get("spend"))
			continue
		}
		k := key{week, ch}
		if l, ok := seen[k]; ok {
			rep.reject(&src, line, "week", "duplicate week and channel", fmt.Sprintf("%s %s first on line %d", week.Format(time.DateOnly), ch, l))
			continue
		}
		seen[k] = line
		s.Rows = append(s.Rows, SpendRow{Week: week, Channel: ch, Amount: v})
	}
	src.Used = src.Rows - src.Rejected
	rep.Files = append(rep.Files, src)
	return s, nil
}
