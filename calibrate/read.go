package calibrate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/funnelsim/funnelsim/internal/nearest"
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
	// MaxRejected, when positive, is the largest share of rows that may
	// be rejected before the history is refused as read wrongly (a
	// mapping or a date format that does not fit); zero sets no limit.
	// The command line's default is DefaultMaxRejected.
	MaxRejected float64
	// Preset reads a CRM's standard export (Presets): its column names,
	// stages and outcome values, each overridden by Map, Stages and
	// StageMap where those are given.
	Preset *Preset
	// Progress, if set, is called every few thousand rows with the bytes
	// of the files read so far and their total size (files of unknown
	// size count as none).
	Progress func(read, total int64)
	// Names names these settings in messages that advise one.
	Names SettingNames
}

// DefaultMaxRejected is the share of rejected rows the command line
// allows unless told otherwise.
const DefaultMaxRejected = 0.05

// File is one named history input.
type File struct {
	Name string
	R    io.Reader
	// Size is the file's size in bytes, if known: it lets the reader size
	// its tables once instead of growing them.
	Size int64
}

// ReadFiles opens and reads history files, stopping with ctx's error
// once ctx is done; see Read.
func ReadFiles(ctx context.Context, paths []string, o ReadOptions) (*History, error) {
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
	return Read(ctx, files, o)
}

// Read reads history files and joins them on the lead id. The first file
// that has a created_at column (or is an event log) defines the leads; a
// later wide file without created_at adds columns to leads already read.
// Rows that cannot be used are counted in the report, never dropped
// silently. An error means a file cannot be read at all. Reading stops
// with ctx's error once ctx is done.
func Read(ctx context.Context, files []File, o ReadOptions) (*History, error) {
	stagesGiven := len(o.Stages) > 0
	if len(o.Stages) == 0 {
		o.Stages = DefaultStages
		if o.Preset != nil {
			o.Stages = o.Preset.Stages
		}
	}
	rd := &reader{ctx: ctx, o: o, h: &History{Stages: o.Stages, Report: &Report{}}, byID: map[string]int{}, mapped: map[string]bool{}, stagesGiven: stagesGiven}
	var total, done int64
	for _, f := range files {
		total += f.Size
	}
	for _, f := range files {
		if p := o.Progress; p != nil && total > 0 {
			rd.progress = func(read int64) { p(min(done+read, total), total) }
		}
		if err := rd.file(f); err != nil {
			return nil, err
		}
		done += f.Size
	}
	// A mapped column need only be in one of the files.
	for _, c := range slices.Sorted(maps.Keys(o.Map)) {
		if canon := rd.canonical(); !slices.Contains(canon, c) {
			return nil, fmt.Errorf("%s %s=%s: %q is not a column name funnelsim knows (%s)", o.Names.of(SetMap), c, o.Map[c], c, strings.Join(canon, ", "))
		}
		if !rd.mapped[c] {
			return nil, fmt.Errorf("%s %s=%s: no file has a column %q%s", o.Names.of(SetMap), c, o.Map[c], o.Map[c], nearest.DidYouMean(o.Map[c], rd.headers))
		}
	}
	rd.finish()
	if err := rd.tooManyRejected(); err != nil {
		return nil, err
	}
	return rd.h, nil
}

// tooManyRejected refuses a history of which more than MaxRejected of the
// rows were rejected, and says where a mapped lead_id is not unique.
func (rd *reader) tooManyRejected() error {
	return rd.h.Report.CheckRejected(rd.o.MaxRejected, rd.o.Names.of(SetMaxRejected), func(reason string) string {
		if col, ok := rd.o.Map["lead_id"]; ok && reason == "duplicate lead_id" {
			return fmt.Sprintf("lead_id is the column %q, whose values repeat: it is not an id", col)
		}
		if reason == "unknown stage" {
			return rd.proposeStages()
		}
		if reason == "unparsable date" && len(rd.notDates) > 0 {
			return strings.Join(rd.notDates, "; ")
		}
		return ""
	})
}

// maxStageValues bounds the stage values the reader keeps for a
// proposal: a funnel has a dozen stages, not hundreds.
const maxStageValues = 40

// stageValue notes a value of the stage or outcome column.
func (rd *reader) stageValue(v string) {
	if v == "" || len(rd.stageValues) >= maxStageValues || slices.Contains(rd.stageValues, v) {
		return
	}
	rd.stageValues = append(rd.stageValues, v)
}

// proposeStages proposes a funnel from the stage column's values, in the
// order they first appeared, with those that read as won or lost mapped
// to them: "the values are Lead, Prospect, Closed Won; perhaps --stages
// lead,prospect --stage-map 'Closed Won=won'".
func (rd *reader) proposeStages() string {
	var stages, maps []string
	for _, v := range rd.stageValues {
		l := strings.ToLower(v)
		switch won, _, worded := ReadOutcome(v); {
		case worded && (l == "won" || l == "lost"):
		case worded && won:
			maps = append(maps, v+"=won")
		case worded:
			maps = append(maps, v+"=lost")
		default:
			name := Identifier(v)
			if name != l {
				maps = append(maps, v+"="+name)
			}
			if !slices.Contains(stages, name) {
				stages = append(stages, name)
			}
		}
	}
	if len(stages) == 0 || len(rd.stageValues) >= maxStageValues {
		return ""
	}
	s := fmt.Sprintf("the stage values are %s, in the order they first appear; if that is the funnel's order, perhaps %s %s", strings.Join(quoteAll(rd.stageValues), ", "), rd.o.Names.of(SetStages), strings.Join(stages, ","))
	if len(maps) > 0 {
		arg := strings.Join(maps, ",")
		if strings.ContainsAny(arg, " '\"$`\\;&|<>()*?!#") {
			arg = "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
		}
		s += fmt.Sprintf(" %s %s", rd.o.Names.of(SetStageMap), arg)
	}
	return s
}

type reader struct {
	ctx context.Context
	o   ReadOptions
	// progress is told the bytes of the file being read so far.
	progress func(read int64)
	// layout is the date layout found from the file being read, where
	// its dates are not ISO 8601 and none is given.
	layout string
	// rowIDs says that the leads file has no lead_id column: each row is a
	// lead, its line its id.
	rowIDs bool
	// stagesGiven says that the funnel was given (ReadOptions.Stages),
	// not the default, which a deal export of one date replaces.
	stagesGiven bool
	// stageValues are the distinct values of the stage or outcome
	// column, in the order they first appear (at most maxStageValues),
	// for proposing --stages where they are unknown.
	stageValues []string
	// headers are the files' column names, for suggestions.
	headers []string
	// notDates says, for each date column whose first values are
	// numbers and read as no date, which column it is, for the hint of
	// a history whose dates are unparsable.
	notDates []string
	files    int // files read
	h        *History
	byID     map[string]int // lead id → index in h.Leads
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
	c, err := openCSV(rd.ctx, f, rd.h.Report)
	if err != nil {
		return err
	}
	defer c.close()
	c.progress = rd.progress
	rd.reserve(f, c.start)
	rd.headers = append(rd.headers, c.header...)
	cols, err := rd.columns(f.Name, c.header)
	if err != nil {
		return err
	}
	shape, err := rd.shape(f.Name, cols)
	if err != nil {
		return fmt.Errorf("%w%s", err, rd.suggestMap(c.header, cols, sampleRows(c.start, c.cr.Comma)))
	}
	rd.files++
	rows := sampleRows(c.start, c.cr.Comma)
	if rd.layout, err = rd.detectLayout(f.Name, rows, cols); err != nil {
		return err
	}
	rd.checkDateColumns(c.header, cols, rows)
	_, primary := cols["created_at"]
	if primary && shape.perLead() && rd.attrCols == nil {
		if err := rd.attributes(f.Name, c.header, cols); err != nil {
			return err
		}
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
		shape.row(rd, src, line, cols, rec)
	}
	_, channel := cols["channel"]
	if shape.perLead() && primary && !channel && src.Rows > 0 {
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
// history's attributes. Two columns whose names make the same identifier
// (the same header twice, or Budget Known beside BUDGET-KNOWN) are an
// error naming both: a rule could read only one of them, and not the one
// its writer meant.
func (rd *reader) attributes(name string, header []string, cols columns) error {
	used := map[int]bool{}
	for _, i := range cols {
		used[i] = true
	}
	seen := map[string]int{}
	rd.attrCols = []int{}
	for i, h := range header {
		if used[i] {
			continue
		}
		id := Identifier(h)
		if j, ok := seen[id]; ok {
			return fmt.Errorf("%s: columns %d (%q) and %d (%q) both name the attribute %s: rename one", name, j+1, header[j], i+1, h, id)
		}
		seen[id] = i
		rd.attrCols = append(rd.attrCols, i)
		rd.h.Attributes = append(rd.h.Attributes, id)
	}
	return nil
}

// Identifier makes a column name a variable name for attribute rules:
// lower case, with every character that is not a letter, a digit or an
// underscore an underscore.
func Identifier(h string) string {
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
		m, mapped := rd.o.Map[c]
		if mapped {
			col = strings.ToLower(m)
		} else if i, ok := rd.o.Preset.column(c, index); ok {
			cols[c] = i
			continue
		}
		if i, ok := index[col]; ok {
			cols[c] = i
			rd.mapped[c] = true
		}
	}
	return cols, nil
}

// shape is a layout of history file: which headers are its, and how its
// rows become leads. A new layout is a file declaring one, its test and an
// entry in shapes.
type shape interface {
	// detect says whether a header's columns are this shape (haveLeads:
	// a file read before defined leads), or an error where they would be
	// but lack a column.
	detect(rd *reader, name string, cols columns, haveLeads bool) (bool, error)
	// needs says which columns the shape needs, for an unknown header.
	needs() string
	// perLead says whether a row is a lead (its other columns are the
	// lead's attributes), not an event of one.
	perLead() bool
	// row reads one row into the leads, or counts it rejected.
	row(rd *reader, src *model.SourceFile, line int, cols columns, rec []string)
}

// shapes are the layouts the reader knows, tried in order.
var shapes = []shape{eventLog{}, dealExport{}, wideFile{}}

// shape finds the layout of a file from its header's columns.
func (rd *reader) shape(name string, cols columns) (shape, error) {
	_, id := cols["lead_id"]
	_, created := cols["created_at"]
	switch {
	case rd.rowIDs:
		return nil, fmt.Errorf("%s: the leads file before it has no lead_id column, so no later file can be joined to it (use %s lead_id=COLUMN)", name, rd.o.Names.of(SetMap))
	case !id && created && rd.files == 0:
		// One row per lead, with no id: its line is its id.
		rd.rowIDs = true
		rd.h.Report.warn("%s: no lead_id column: each row is a lead of its own, its line number its id (%s lead_id=COLUMN names an id column)", name, rd.o.Names.of(SetMap))
	case !id && rd.files > 0:
		return nil, fmt.Errorf("%s: header: no lead_id column to join it to the leads file on (use %s lead_id=COLUMN)", name, rd.o.Names.of(SetMap))
	case !id:
		return nil, fmt.Errorf("%s: header: no lead_id column, nor a created_at column that would make each row a lead (use %s lead_id=COLUMN or created_at=COLUMN)", name, rd.o.Names.of(SetMap))
	}
	var needs []string
	for _, s := range shapes {
		ok, err := s.detect(rd, name, cols, len(rd.h.Leads) > 0)
		if err != nil || ok {
			return s, err
		}
		needs = append(needs, s.needs())
	}
	return nil, fmt.Errorf("%s: header: unknown shape: %s", name, strings.Join(needs, "; "))
}

// rowErr is a row's first problem.
type rowErr struct{ field, reason, detail string }

func (rd *reader) date(cols columns, rec []string, field string) (time.Time, *rowErr) {
	s := cols.get(rec, field)
	if s == "" {
		return time.Time{}, nil
	}
	layout := rd.o.DateFormat
	if layout == "" {
		layout = rd.layout
	}
	t, err := ParseTime(s, layout)
	if err != nil {
		err.(*DateError).Names = rd.o.Names
		return time.Time{}, &rowErr{field, "unparsable date", err.Error()}
	}
	return t, nil
}

// allChannels is the channel of leads from a file without a channel column.
const allChannels = "all"

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
		rep.repair(l.File, l.Line, "created_at", "no creation event: created at the first event", "empty; the first event is "+stamp(first))
	}
	created := l.Reached[0]
	named := func(k int) string { return stages[k] + "_at" }
	// A date with no time of day (midnight) on the day of creation, which
	// has one, is that day: at creation, not before it.
	sameDay := func(t *time.Time, field string) {
		if !t.IsZero() && t.Before(created) && t.Equal(t.Truncate(24*time.Hour)) && t.Equal(created.Truncate(24*time.Hour)) {
			rep.repair(l.File, l.Line, field, "a date on the day of creation, with no time: at creation", fmt.Sprintf("%s, created %s", stamp(*t), stamp(created)))
			*t = created
		}
	}
	for k := 1; k < len(stages); k++ {
		sameDay(&l.Reached[k], named(k))
	}
	sameDay(&l.Won, "won_at")
	sameDay(&l.Lost, "lost_at")
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
		rep.repair(l.File, l.Line, "channel", "empty channel: set to unknown", "empty")
	}
	return nil
}

func stamp(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format("2006-01-02 15:04")
}
