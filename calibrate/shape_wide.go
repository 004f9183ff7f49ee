package calibrate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/funnelsim/funnelsim/model"
)

// wideFile is one row per lead: lead_id, created_at and a <stage>_at
// column per later stage, won_at, lost_at. A later wide file without
// created_at adds its columns to the leads already read.
type wideFile struct{}

func (wideFile) detect(_ *reader, _ string, cols columns, haveLeads bool) (bool, error) {
	_, created := cols["created_at"]
	return created || haveLeads, nil
}

func (wideFile) needs() string { return "a wide file needs lead_id and created_at" }
func (wideFile) perLead() bool { return true }

func (wideFile) row(rd *reader, src *model.SourceFile, line int, cols columns, rec []string) {
	rd.wide(src, line, cols, rec)
}

func (rd *reader) wide(src *model.SourceFile, line int, cols columns, rec []string) {
	rep := rd.h.Report
	id := cols.get(rec, "lead_id")
	if rd.rowIDs {
		id = strconv.Itoa(line)
	}
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
