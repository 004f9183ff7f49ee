package calibrate

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// ReadOptions say how to read history files.
type ReadOptions struct {
	// Stages is the funnel, in order (default DefaultStages). A wide file
	// has a <stage>_at column per stage after the first.
	Stages []string
	// Map renames columns: canonical name (lead_id, created_at, channel,
	// rep, amount, stage, at, won_at, lost_at, <stage>_at, outcome,
	// closed_at) to the file's.
	Map map[string]string
	// StageMap renames the stage values of an event log or the outcome
	// values of a deal export to stage names, "won" or "lost".
	StageMap map[string]string
	// DateFormat is a Go time layout for dates that are not ISO 8601.
	DateFormat string
	// Names names these settings in messages that advise one.
	Names SettingNames
}

// File is one named history input.
type File struct {
	Name string
	R    io.Reader
	// Size is the file's size in bytes, if known: it lets the reader size
	// its tables once instead of growing them.
	Size int64
}

// Shape is the layout of a history file, detected from its header.
type Shape int

const (
	Wide    Shape = iota + 1 // one row per lead
	Event                    // one row per stage change
	Outcome                  // one row per deal: its current stage or outcome and close date
)

// ReadFiles opens and reads history files; see Read.
func ReadFiles(paths []string, o ReadOptions) (*History, error) {
	var files []File
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		file := File{Name: p, R: f}
		if fi, err := f.Stat(); err == nil {
			file.Size = fi.Size()
		}
		files = append(files, file)
	}
	return Read(files, o)
}

// Read reads history files and joins them on the lead id. The first file
// that has a created_at column (or is an event log) defines the leads; a
// later wide file without created_at adds columns to leads already read.
// Rows that cannot be used are counted in the report, never dropped
// silently. An error means a file cannot be read at all.
func Read(files []File, o ReadOptions) (*History, error) {
	if len(o.Stages) == 0 {
		o.Stages = DefaultStages
	}
	rd := &reader{o: o, h: &History{Stages: o.Stages, Report: &Report{}}, byID: map[string]int{}, mapped: map[string]bool{}}
	for _, f := range files {
		if err := rd.file(f); err != nil {
			return nil, err
		}
	}
	// A mapped column need only be in one of the files.
	for _, c := range slices.Sorted(maps.Keys(o.Map)) {
		if canon := rd.canonical(); !slices.Contains(canon, c) {
			return nil, fmt.Errorf("%s %s=%s: %q is not a column name funnelsim knows (%s)", o.Names.of(SetMap), c, o.Map[c], c, strings.Join(canon, ", "))
		}
		if !rd.mapped[c] {
			return nil, fmt.Errorf("%s %s=%s: no file has a column %q", o.Names.of(SetMap), c, o.Map[c], o.Map[c])
		}
	}
	rd.finish()
	return rd.h, nil
}

type reader struct {
	o    ReadOptions
	h    *History
	byID map[string]int // lead id → index in h.Leads
	// mapped holds the canonical columns found in some file
	mapped map[string]bool
	// names interns channel, rep and attribute values; block and
	// attrBlock are the spare parts of the blocks that leads' stage times
	// and attribute values are cut from.
	names     map[string]string
	block     []time.Time
	attrBlock []string
	// attrCols are the leads file's attribute columns.
	attrCols []int
}

var (
	bom       = []byte{0xEF, 0xBB, 0xBF}
	gzipMagic = []byte{0x1f, 0x8b}
)

// columns maps canonical column names to their index in the header.
type columns map[string]int

func (c columns) get(rec []string, name string) string {
	if i, ok := c[name]; ok {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

func (rd *reader) file(f File) error {
	c, err := openCSV(f, rd.h.Report)
	if err != nil {
		return err
	}
	defer c.close()
	rd.reserve(f, c.start)
	cols, err := rd.columns(f.Name, c.header)
	if err != nil {
		return err
	}
	shape, err := rd.shape(f.Name, cols)
	if err != nil {
		return err
	}
	if _, primary := cols["created_at"]; primary && shape != Event && rd.attrCols == nil {
		rd.attributes(c.header, cols)
	}
	src := &c.src
	for {
		rec, line, ok, err := c.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if shape == Event {
			rd.event(src, line, cols, rec)
		} else {
			rd.wide(src, line, cols, rec)
		}
	}
	_, channel := cols["channel"]
	_, primary := cols["created_at"]
	if shape != Event && primary && !channel && src.Rows > 0 {
		rd.h.Report.warn("%s: no channel column: all leads are in channel %q (use %s channel=COLUMN)", f.Name, allChannels, rd.o.Names.of(SetMap))
	}
	if src.Rows == 0 {
		rd.h.Report.warn("%s: header only, no rows", f.Name)
	}
	c.done()
	return nil
}

// reserve makes room for the rows of a file of known size, estimated from
// the mean length of the lines in its first bytes (a gzipped file is taken
// to hold eight times its size).
func (rd *reader) reserve(f File, start []byte) {
	lines := bytes.Count(start, []byte{'\n'})
	if f.Size <= 0 || lines < 2 {
		return
	}
	size := f.Size
	if strings.HasSuffix(f.Name, ".gz") {
		size *= 8
	}
	rows := int(size * int64(lines) / int64(len(start)) * 21 / 20)
	if rows > 50_000_000 {
		return
	}
	rd.h.Leads = slices.Grow(rd.h.Leads, rows)
	if len(rd.byID) == 0 {
		rd.byID = make(map[string]int, rows)
	}
}

// intern returns one shared copy of each name, so that a lead does not
// keep its whole CSV record alive through a substring.
func (rd *reader) intern(v string) string {
	if v == "" {
		return ""
	}
	if s, ok := rd.names[v]; ok {
		return s
	}
	if rd.names == nil {
		rd.names = map[string]string{}
	}
	v = strings.Clone(v)
	rd.names[v] = v
	return v
}

// times returns a lead's zeroed stage times, cut from a shared block.
func (rd *reader) times() []time.Time {
	n := len(rd.o.Stages)
	if len(rd.block) < n {
		rd.block = make([]time.Time, 4096*n)
	}
	t := rd.block[:n:n]
	rd.block = rd.block[n:]
	return t
}

// attributes takes the leads file's columns that are not canonical as the
// history's attributes.
func (rd *reader) attributes(header []string, cols columns) {
	used := map[int]bool{}
	for _, i := range cols {
		used[i] = true
	}
	rd.attrCols = []int{}
	for i, h := range header {
		if used[i] {
			continue
		}
		rd.attrCols = append(rd.attrCols, i)
		rd.h.Attributes = append(rd.h.Attributes, identifier(h))
	}
}

// identifier makes a column name a variable name for attribute rules.
func identifier(h string) string {
	b := []byte(strings.ToLower(strings.TrimSpace(h)))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' && i > 0 || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// attrs returns a lead's attribute values from its row.
func (rd *reader) attrs(rec []string) []string {
	n := len(rd.attrCols)
	if n == 0 {
		return nil
	}
	if len(rd.attrBlock) < n {
		rd.attrBlock = make([]string, n*max(1, 1<<16/n)) // about 64k values a block
	}
	v := rd.attrBlock[:n:n]
	rd.attrBlock = rd.attrBlock[n:]
	for k, i := range rd.attrCols {
		v[k] = rd.intern(strings.TrimSpace(rec[i]))
	}
	return v
}

// canonical lists the column names the reader knows.
func (rd *reader) canonical() []string {
	canon := []string{"lead_id", "created_at", "channel", "rep", "amount", "stage", "at", "won_at", "lost_at", "outcome", "closed_at"}
	for _, s := range rd.o.Stages[1:] {
		canon = append(canon, s+"_at")
	}
	return canon
}

func (rd *reader) columns(name string, header []string) (columns, error) {
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(h))] = i
	}
	cols := columns{}
	for _, c := range rd.canonical() {
		col := c
		if m, ok := rd.o.Map[c]; ok {
			col = strings.ToLower(m)
		}
		if i, ok := index[col]; ok {
			cols[c] = i
			rd.mapped[c] = true
		}
	}
	return cols, nil
}

func (rd *reader) shape(name string, cols columns) (Shape, error) {
	_, id := cols["lead_id"]
	_, created := cols["created_at"]
	_, stage := cols["stage"]
	_, at := cols["at"]
	_, outcome := cols["outcome"]
	_, closed := cols["closed_at"]
	switch {
	case !id:
		return 0, fmt.Errorf("%s: header: no lead_id column (use %s lead_id=COLUMN)", name, rd.o.Names.of(SetMap))
	case stage && at:
		return Event, nil
	case outcome && !closed:
		return 0, fmt.Errorf("%s: header: an outcome column needs a closed_at column (use %s closed_at=COLUMN)", name, rd.o.Names.of(SetMap))
	case outcome && (created || len(rd.h.Leads) > 0):
		return Outcome, nil
	case created || len(rd.h.Leads) > 0:
		return Wide, nil
	}
	return 0, fmt.Errorf("%s: header: unknown shape: a wide file needs lead_id and created_at, an event log lead_id, stage and at, a deal export lead_id, created_at, outcome and closed_at", name)
}

// rowErr is a row's first problem.
type rowErr struct{ field, reason, detail string }

func (rd *reader) date(cols columns, rec []string, field string) (time.Time, *rowErr) {
	s := cols.get(rec, field)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := ParseTime(s, rd.o.DateFormat)
	if err != nil {
		err.(*DateError).Names = rd.o.Names
		return time.Time{}, &rowErr{field, "unparsable date", err.Error()}
	}
	return t, nil
}

func (rd *reader) wide(src *model.SourceFile, line int, cols columns, rec []string) {
	rep := rd.h.Report
	id := cols.get(rec, "lead_id")
	if id == "" {
		rep.reject(src, line, "lead_id", "missing lead_id", "empty")
		return
	}
	_, primary := cols["created_at"]
	l := Lead{ID: strings.Clone(id), File: src.Path, Line: line, Amount: math.NaN(), Reached: rd.times()}
	if primary {
		l.Attrs = rd.attrs(rec)
	}
	e := rd.parseWide(cols, rec, &l, primary)
	if e != nil {
		rep.reject(src, line, e.field, e.reason, e.detail)
		return
	}
	i, seen := rd.byID[id]
	switch {
	case primary && seen && rd.h.Leads[i].File == src.Path:
		rep.reject(src, line, "lead_id", "duplicate lead_id", fmt.Sprintf("%q first on line %d", id, rd.h.Leads[i].Line))
	case primary && !seen:
		rd.byID[id] = len(rd.h.Leads)
		rd.h.Leads = append(rd.h.Leads, l)
	case !seen:
		rep.reject(src, line, "lead_id", "lead_id not in the leads file", fmt.Sprintf("%q", id))
	default:
		merge(&rd.h.Leads[i], &l)
	}
}

func (rd *reader) parseWide(cols columns, rec []string, l *Lead, primary bool) *rowErr {
	var e *rowErr
	if primary {
		if cols.get(rec, "created_at") == "" {
			return &rowErr{"created_at", "missing created_at", "empty"}
		}
		if l.Reached[0], e = rd.date(cols, rec, "created_at"); e != nil {
			return e
		}
	}
	for k, s := range rd.o.Stages[1:] {
		if l.Reached[k+1], e = rd.date(cols, rec, s+"_at"); e != nil {
			return e
		}
	}
	if l.Won, e = rd.date(cols, rec, "won_at"); e != nil {
		return e
	}
	if l.Lost, e = rd.date(cols, rec, "lost_at"); e != nil {
		return e
	}
	if _, ok := cols["outcome"]; ok {
		if e = rd.outcome(cols, rec, l); e != nil {
			return e
		}
	}
	l.Channel, l.Rep = rd.intern(cols.get(rec, "channel")), rd.intern(cols.get(rec, "rep"))
	if _, ok := cols["channel"]; primary && !ok {
		l.Channel = allChannels
	}
	l.Amount, e = amount(cols, rec)
	if _, ok := cols["outcome"]; ok && l.HasAmount() {
		l.AmountAtClose = true
	}
	return e
}

// allChannels is the channel of leads from a file without a channel column.
const allChannels = "all"

// outcome reads a deal export's current stage or outcome: won or lost on
// its close date, or open in a stage (whose close date, an expected one
// in many CRMs, is ignored).
func (rd *reader) outcome(cols columns, rec []string, l *Lead) *rowErr {
	v := cols.get(rec, "outcome")
	if m, ok := rd.o.StageMap[v]; ok {
		v = m
	}
	v = strings.ToLower(v)
	k := slices.Index(rd.o.Stages, v)
	if v != "won" && v != "lost" {
		switch {
		case k < 0:
			return &rowErr{"outcome", "unknown stage", fmt.Sprintf("%q is not one of %s, won, lost (use %s)", cols.get(rec, "outcome"), strings.Join(rd.o.Stages, ", "), rd.o.Names.of(SetStageMap))}
		case k > 0 && l.Reached[k].IsZero():
			return &rowErr{"outcome", "current stage without its date", fmt.Sprintf("%q has no %s_at column or value", v, rd.o.Stages[k])}
		}
		return nil
	}
	if cols.get(rec, "closed_at") == "" {
		return &rowErr{"closed_at", "missing close date", fmt.Sprintf("%s with no close date", v)}
	}
	at, e := rd.date(cols, rec, "closed_at")
	if e != nil {
		return e
	}
	if v == "won" && l.Won.IsZero() {
		l.Won = at
	}
	if v == "lost" && l.Lost.IsZero() {
		l.Lost = at
	}
	return nil
}

// amount parses the row's amount: NaN when empty, an error when it is not
// a finite number or is negative.
func amount(cols columns, rec []string) (float64, *rowErr) {
	a := cols.get(rec, "amount")
	if a == "" {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(a, 64)
	switch {
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return 0, &rowErr{"amount", "unparsable amount", fmt.Sprintf("%q is not a number", a)}
	case v < 0:
		return 0, &rowErr{"amount", "negative amount", a}
	}
	return v, nil
}

// merge fills the fields of a that b has and a does not.
func merge(a, b *Lead) {
	for k, t := range b.Reached {
		if a.Reached[k].IsZero() {
			a.Reached[k] = t
		}
	}
	if a.Won.IsZero() {
		a.Won = b.Won
	}
	if a.Lost.IsZero() {
		a.Lost = b.Lost
	}
	if !a.HasAmount() {
		a.Amount, a.AmountAtClose = b.Amount, b.AmountAtClose
	}
	if a.Channel == "" {
		a.Channel = b.Channel
	}
	if a.Rep == "" {
		a.Rep = b.Rep
	}
}

func (rd *reader) event(src *model.SourceFile, line int, cols columns, rec []string) {
	rep := rd.h.Report
	id := cols.get(rec, "lead_id")
	if id == "" {
		rep.reject(src, line, "lead_id", "missing lead_id", "empty")
		return
	}
	name := cols.get(rec, "stage")
	if m, ok := rd.o.StageMap[name]; ok {
		name = m
	}
	k := slices.Index(rd.o.Stages, strings.ToLower(name))
	if name == "created" {
		k = 0
	}
	if k < 0 && name != "won" && name != "lost" {
		rep.reject(src, line, "stage", "unknown stage", fmt.Sprintf("%q is not one of %s, won, lost (use %s)", name, strings.Join(rd.o.Stages, ", "), rd.o.Names.of(SetStageMap)))
		return
	}
	if cols.get(rec, "at") == "" {
		rep.reject(src, line, "at", "missing date", "empty")
		return
	}
	at, e := rd.date(cols, rec, "at")
	if e != nil {
		rep.reject(src, line, e.field, e.reason, e.detail)
		return
	}
	amt, e := amount(cols, rec)
	if e != nil {
		rep.reject(src, line, e.field, e.reason, e.detail)
		return
	}
	i, seen := rd.byID[id]
	if !seen {
		i = len(rd.h.Leads)
		rd.byID[id] = i
		rd.h.Leads = append(rd.h.Leads, Lead{ID: strings.Clone(id), File: src.Path, Line: line, Amount: math.NaN(), Reached: rd.times()})
	}
	l := &rd.h.Leads[i]
	earliest := func(t *time.Time) {
		if t.IsZero() || at.Before(*t) {
			*t = at
		}
	}
	switch {
	case name == "won":
		earliest(&l.Won)
	case name == "lost":
		earliest(&l.Lost)
	default:
		earliest(&l.Reached[k])
	}
	if !math.IsNaN(amt) {
		l.Amount = amt
	}
	if c := cols.get(rec, "channel"); c != "" && l.Channel == "" {
		l.Channel = rd.intern(c)
	}
	if r := cols.get(rec, "rep"); r != "" && l.Rep == "" {
		l.Rep = rd.intern(r)
	}
}

// finish checks each joined lead: an event-log lead without a creation
// event is created at its first event, stages recorded out of order are
// set to the earliest later stage ("reached stage k or later"), and a lead
// with a stage before its creation or both won and lost is rejected.
func (rd *reader) finish() {
	rep := rd.h.Report
	file := map[string]*model.SourceFile{}
	for i := range rep.Files {
		file[rep.Files[i].Path] = &rep.Files[i]
	}
	kept := rd.h.Leads[:0]
	for _, l := range rd.h.Leads {
		if e := rd.check(&l); e != nil {
			f := file[l.File]
			rep.reject(f, l.Line, e.field, e.reason, e.detail)
			f.Used--
			continue
		}
		kept = append(kept, l)
	}
	clear(rd.h.Leads[len(kept):])
	rd.h.Leads = kept
	rd.byID = nil
}

func (rd *reader) check(l *Lead) *rowErr {
	rep := rd.h.Report
	stages := rd.o.Stages
	if l.Reached[0].IsZero() {
		first := time.Time{}
		for _, t := range append(slices.Clone(l.Reached[1:]), l.Won, l.Lost) {
			if !t.IsZero() && (first.IsZero() || t.Before(first)) {
				first = t
			}
		}
		if first.IsZero() {
			return &rowErr{"created_at", "missing created_at", fmt.Sprintf("lead %q has no dates", l.ID)}
		}
		l.Reached[0] = first
		rep.repair(l.File, l.Line, "created_at", "no creation event: created at the first event", l.ID)
	}
	created := l.Reached[0]
	named := func(k int) string { return stages[k] + "_at" }
	for k := 1; k < len(stages); k++ {
		if t := l.Reached[k]; !t.IsZero() && t.Before(created) {
			return &rowErr{named(k), "stage before creation", fmt.Sprintf("%s is before created_at %s", stamp(t), stamp(created))}
		}
	}
	for _, x := range []struct {
		name string
		t    time.Time
	}{{"won_at", l.Won}, {"lost_at", l.Lost}} {
		if !x.t.IsZero() && x.t.Before(created) {
			return &rowErr{x.name, "stage before creation", fmt.Sprintf("%s is before created_at %s", stamp(x.t), stamp(created))}
		}
	}
	if !l.Won.IsZero() && !l.Lost.IsZero() {
		return &rowErr{"lost_at", "both won and lost", fmt.Sprintf("won %s, lost %s", stamp(l.Won), stamp(l.Lost))}
	}
	// Reached stage k or later: no stage later than a later stage, nor
	// than the outcome.
	later := l.Won
	if later.IsZero() {
		later = l.Lost
	}
	for k := len(stages) - 1; k >= 1; k-- {
		t := l.Reached[k]
		if t.IsZero() {
			continue
		}
		if !later.IsZero() && t.After(later) {
			rep.repair(l.File, l.Line, named(k), "stages out of order: set to the next stage's date", fmt.Sprintf("%s is after %s", stamp(t), stamp(later)))
			l.Reached[k] = later
			t = later
		}
		later = t
	}
	if l.Channel == "" {
		l.Channel = "unknown"
		rep.repair(l.File, l.Line, "channel", "empty channel: set to unknown", l.ID)
	}
	return nil
}

func stamp(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format("2006-01-02 15:04")
}
