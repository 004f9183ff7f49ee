package calibrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/funnelsim/funnelsim/model"
)

// dealExport is one row per deal: lead_id, created_at, its current stage
// or outcome and its close date, as CRMs export opportunities.
type dealExport struct{}

func (dealExport) detect(rd *reader, name string, cols columns, haveLeads bool) (bool, error) {
	_, outcome := cols["outcome"]
	_, closed := cols["closed_at"]
	_, created := cols["created_at"]
	switch {
	case outcome && !closed && created && rd.files == 0 && !stageDates(cols):
		// One date per deal (a bids or orders export): the deal is
		// created and closed on it, in a funnel of one stage.
		cols["closed_at"] = cols["created_at"]
		if !rd.stagesGiven && len(rd.o.Stages) > 1 {
			rd.o.Stages = []string{oneStage}
			rd.h.Stages = rd.o.Stages
		}
		rd.h.Report.warn("%s: one date per deal: each deal is taken as created and closed on it, in a funnel of one stage (%s), so the forecast is of deals and their wins, not of a pipeline (--map closed_at=COLUMN names a close date; --stages sets the funnel)", name, strings.Join(rd.o.Stages, ", "))
		return true, nil
	case outcome && !closed:
		return false, fmt.Errorf("%s: header: an outcome column needs a closed_at column, or a created_at column alone for a deal export of one date (use %s closed_at=COLUMN)", name, rd.o.Names.of(SetMap))
	case outcome && (created || haveLeads):
		return true, nil
	}
	return false, nil
}

// oneStage is the funnel of a deal export of one date.
const oneStage = "opportunity"

// stageDates says whether cols has a date column other than created_at
// and closed_at: a stage's, or a win's or loss's.
func stageDates(cols columns) bool {
	for c := range cols {
		if strings.HasSuffix(c, "_at") && c != "created_at" && c != "closed_at" {
			return true
		}
	}
	return false
}

func (dealExport) needs() string {
	return "a deal export needs lead_id, created_at, outcome and closed_at"
}
func (dealExport) perLead() bool { return true }

// row reads a deal as a wide row does; its outcome is read there.
func (dealExport) row(rd *reader, src *model.SourceFile, line int, cols columns, rec []string) {
	rd.wide(src, line, cols, rec)
}

// outcome reads a deal export's current stage or outcome: won or lost on
// its close date, or open in a stage (whose close date, an expected one
// in many CRMs, is ignored).
func (rd *reader) outcome(cols columns, rec []string, l *Lead) *rowErr {
	v := cols.get(rec, "outcome")
	rd.stageValue(v)
	if m, ok := rd.o.StageMap[v]; ok {
		v = m
	} else if m, ok := rd.o.Preset.outcome(v, rd.o.Stages); ok {
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
