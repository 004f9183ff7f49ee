package calibrate

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/funnelsim/funnelsim/model"
)

// maxExamples is how many examples of each problem a report keeps.
const maxExamples = 3

// Report accounts for every row read: used, repaired (used after a stated
// fix) or rejected, with counts by reason and the first examples of each.
type Report struct {
	Files    []model.SourceFile
	Rejected []Problem
	Repaired []Problem
	Warnings []string
}

// Problem is one reason for rejecting or repairing rows.
type Problem struct {
	Reason   string
	Count    int
	Examples []string // file:line: field: problem
}

func add(list *[]Problem, reason, example string) {
	for i := range *list {
		if (*list)[i].Reason == reason {
			p := &(*list)[i]
			p.Count++
			if len(p.Examples) < maxExamples {
				p.Examples = append(p.Examples, example)
			}
			return
		}
	}
	*list = append(*list, Problem{Reason: reason, Count: 1, Examples: []string{example}})
}

// reject counts a rejected row of file f.
func (r *Report) reject(f *model.SourceFile, line int, field, reason, detail string) {
	f.Rejected++
	add(&r.Rejected, reason, fmt.Sprintf("%s:%d: %s: %s", f.Path, line, field, detail))
}

// repair counts a row used after a fix.
func (r *Report) repair(path string, line int, field, reason, detail string) {
	add(&r.Repaired, reason, fmt.Sprintf("%s:%d: %s: %s", path, line, field, detail))
}

// Warn adds a warning to the report.
func (r *Report) Warn(format string, a ...any) { r.warn(format, a...) }

func (r *Report) warn(format string, a ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, a...))
}

// RejectedRows is the number of rows rejected over all files.
func (r *Report) RejectedRows() int {
	n := 0
	for _, f := range r.Files {
		n += f.Rejected
	}
	return n
}

// Provenance is the report in the model file's form.
func (r *Report) Provenance(source string) model.Provenance {
	p := model.Provenance{Source: source, Files: r.Files, Warnings: slices.Clone(r.Warnings)}
	for _, x := range r.Rejected {
		p.Rejected = append(p.Rejected, model.Reason{Reason: x.Reason, Count: x.Count})
	}
	for _, x := range r.Repaired {
		p.Warnings = append(p.Warnings, fmt.Sprintf("repaired %d rows: %s", x.Count, x.Reason))
	}
	return p
}

// Write prints the report: rows per file, then each reason with its count
// and first examples, then the warnings.
func (r *Report) Write(w io.Writer) error {
	var err error
	pr := func(format string, a ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, a...)
		}
	}
	for _, f := range r.Files {
		pr("%s: %d rows, %d used, %d rejected\n", f.Path, f.Rows, f.Used, f.Rejected)
	}
	for _, group := range []struct {
		name string
		list []Problem
	}{{"rejected", r.Rejected}, {"repaired", r.Repaired}} {
		list := append([]Problem(nil), group.list...)
		sort.SliceStable(list, func(i, j int) bool { return list[i].Count > list[j].Count })
		for _, p := range list {
			pr("%s %d: %s\n", group.name, p.Count, p.Reason)
			for _, e := range p.Examples {
				pr("  %s\n", e)
			}
		}
	}
	for _, w := range r.Warnings {
		pr("warning: %s\n", w)
	}
	return err
}

// CheckRejected refuses what was read when more than max (a share; none
// when max is not positive) of the rows were rejected: the files look read
// wrongly (a mapping or a date format that does not fit). The error counts
// each reason with its first example, and hint's word on a reason where it
// has one; setting names what sets the share.
func (r *Report) CheckRejected(max float64, setting string, hint func(reason string) string) error {
	rows, rejected := 0, r.RejectedRows()
	for _, f := range r.Files {
		rows += f.Rows
	}
	if max <= 0 || rows == 0 || float64(rejected) <= max*float64(rows) {
		return nil
	}
	allowed := strconv.FormatFloat(100*max, 'g', 3, 64)
	if max < 1e-9 {
		allowed = "0"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d rows rejected (%.1f%%), more than the %s%% allowed (%s sets the share): the files look read wrongly", rejected, rows, 100*float64(rejected)/float64(rows), allowed, setting)
	for _, p := range r.Rejected {
		fmt.Fprintf(&b, "\n  %d %s, as %s", p.Count, p.Reason, p.Examples[0])
		if hint != nil {
			if h := hint(p.Reason); h != "" {
				fmt.Fprintf(&b, "\n    (%s)", h)
			}
		}
	}
	return errors.New(b.String())
}
