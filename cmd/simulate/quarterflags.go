package main

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/fiscal"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/quarter"
)

// quarterFlags are forecast's view of a fiscal quarter: its booked to
// date and rest, the open deals behind it and its breakdowns.
type quarterFlags struct {
	quarter     string
	fiscalStart string
	deals       string
	categories  string
	by          string
	quotaFile   string

	cats  []quarter.Category
	quota quarter.Quota
}

// quarterNames are the flags of the quarter's view, which neither a shard
// nor a run whose trials are written (--trials-out) takes.
var quarterNames = []string{"quarter", "fiscal-year-start", "deals", "categories", "by", "quota"}

func (q *quarterFlags) declare(fs *pflag.FlagSet) {
	fs.StringVar(&q.quarter, "quarter", "", "forecast a fiscal quarter: 2027Q1, current or next (booked to date plus the rest, to the quarter's end)")
	fs.StringVar(&q.fiscalStart, "fiscal-year-start", "", "the month the fiscal year starts in, as a number or a name (default: the model's fiscal_year_start, else January)")
	fs.StringVar(&q.deals, "deals", "", "with --quarter, write every open deal with its chance of a win in the quarter to FILE.csv")
	fs.StringVar(&q.categories, "categories", "commit=0.7,best_case=0.3", "with --quarter, the forecast categories' least chances of a win; the rest are pipeline")
	fs.StringVar(&q.by, "by", "", "with --quarter, the quarter's wins and revenue by rep, channel or one of the model's segments")
	fs.StringVar(&q.quotaFile, "quota", "", "with --by, a CSV of group and quota (revenue): each group's P(quota) and expected attainment")
}

// check checks the flags as parsed by fs.
func (q *quarterFlags) check(fs *pflag.FlagSet) error {
	if q.quarter == "" {
		for _, name := range quarterNames[1:] {
			if fs.Changed(name) {
				return usagef("--%s needs --quarter", name)
			}
		}
		return nil
	}
	if fs.Changed("weeks") {
		return usagef("--quarter sets the weeks (to the quarter's end); give one of --quarter and --weeks")
	}
	if q.quotaFile != "" && q.by == "" {
		return usagef("--quota needs --by: the quotas are per group")
	}
	cats, err := quarter.ParseCategories(q.categories)
	if err != nil {
		return usagef("--%v", err)
	}
	q.cats = cats
	if _, err := q.calendar(0); err != nil {
		return usagef("--fiscal-year-start: %v", err)
	}
	return nil
}

// calendar is the fiscal calendar of --fiscal-year-start, else of the
// model's month (modelStart, 0 for January).
func (q *quarterFlags) calendar(modelStart int) (fiscal.Calendar, error) {
	if q.fiscalStart == "" {
		return fiscal.Calendar{StartMonth: time.Month(modelStart)}, nil
	}
	m, err := fiscal.ParseMonth(q.fiscalStart)
	return fiscal.Calendar{StartMonth: m}, err
}

// window is the quarter's window against m, nil without --quarter; it
// sets o's weeks and what the run keeps.
func (q *quarterFlags) window(m *model.Model, o *model.Options) (*quarter.Window, error) {
	if q.quarter == "" {
		return nil, nil
	}
	cal, err := q.calendar(m.FiscalYearStart)
	if err != nil {
		return nil, err
	}
	fq, err := cal.Parse(q.quarter, m.AsOf.Time)
	if err != nil {
		return nil, usagef("--quarter: %v", err)
	}
	w, err := quarter.NewWindow(m, fq)
	if err != nil {
		return nil, err
	}
	if q.quotaFile != "" {
		if q.quota, err = quarter.ReadQuota(q.quotaFile); err != nil {
			return nil, err
		}
	}
	w.Options(o)
	o.Deals = q.deals != ""
	o.ByChannel = q.by == "channel"
	if q.by != "" && q.by != "channel" {
		o.By = q.by
	}
	return w, nil
}

// quarterView is a forecast's view of a quarter: the flags that ask for
// it and the quarter's window.
type quarterView struct {
	flags *quarterFlags
	w     *quarter.Window
}

// add adds the quarter's view of r to f: the deals' categories where the
// run kept the deals (written to --deals too, where given), and the
// groups of --by. It returns the deals, nil where the run kept none.
func (q *quarterFlags) add(e *env, f *document.Forecast, m *model.Model, w *quarter.Window, r *model.Result, target float64) ([]quarter.Deal, error) {
	doc := document.NewQuarter(m, w, r, target)
	var deals []quarter.Deal
	if r.Deals != nil {
		var err error
		if deals, err = quarter.Deals(m, r, q.cats); err != nil {
			return nil, err
		}
		doc.AddCategories(quarter.ByCategory(deals, q.cats))
	}
	if q.deals != "" {
		var buf bytes.Buffer
		if err := document.WriteDealsCSV(&buf, deals); err != nil {
			return nil, err
		}
		if err := e.writeOut(q.deals, buf.Bytes()); err != nil {
			return nil, err
		}
		e.wrote(q.deals)
	}
	if q.by != "" {
		groups, err := quarter.By(w, r, q.by)
		if err != nil {
			return nil, err
		}
		for name := range q.quota {
			if !slices.ContainsFunc(groups, func(g quarter.Group) bool { return g.Name == name }) {
				return nil, fmt.Errorf("%s: %s %q has a quota but no wins or deals in the model", q.quotaFile, q.by, name)
			}
		}
		doc.AddGroups(q.by, groups, q.quota)
	}
	f.Quarter = doc
	return deals, nil
}
