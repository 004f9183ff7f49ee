package calibrate

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// eventLog is one row per stage change: lead_id, stage (a stage name,
// created, won or lost) and at.
type eventLog struct{}

func (eventLog) detect(_ *reader, _ string, cols columns, _ bool) (bool, error) {
	_, stage := cols["stage"]
	_, at := cols["at"]
	return stage && at, nil
}

func (eventLog) needs() string { return "an event log needs lead_id, stage and at" }
func (eventLog) perLead() bool { return false }

func (eventLog) row(rd *reader, src *model.SourceFile, line int, cols columns, rec []string) {
	rd.event(src, line, cols, rec)
}

func (rd *reader) event(src *model.SourceFile, line int, cols columns, rec []string) {
	rep := rd.h.Report
	id := cols.get(rec, "lead_id")
	if id == "" {
		rep.reject(src, line, "lead_id", "missing lead_id", "empty")
		return
	}
	name := cols.get(rec, "stage")
	rd.stageValue(name)
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
