package model

import "strings"

// Side says which team reads a metric first.
type Side int

const (
	Marketing Side = iota
	Sales
)

func (s Side) String() string {
	if s == Marketing {
		return "marketing"
	}
	return "sales"
}

// Unit is what a metric counts.
type Unit int

const (
	Count Unit = iota // leads or deals
	Money             // an amount in the model's currency
	Ratio             // a share in [0, 1]
	Weeks
)

func (u Unit) String() string {
	switch u {
	case Count:
		return "count"
	case Money:
		return "money"
	case Ratio:
		return "ratio"
	case Weeks:
		return "weeks"
	}
	return "unknown"
}

// Direction says which way a metric improves.
type Direction int

const (
	Higher Direction = iota // more is better: leads, wins, revenue
	Lower                   // less is better: costs, cold leads, lost deals
)

// MetricInfo describes one per-trial metric of a Result.
type MetricInfo struct {
	Name   string // as in JSON and on the command line: "revenue"
	Label  string // as a person reads it: "revenue", "SQLs"
	Side   Side
	Unit   Unit
	Better Direction
	Doc    string
}

// metricIndex places the per-trial metrics in a Result.
type metricIndex struct {
	info  []MetricInfo
	entry []int // entries into stage s (arrivals for the first stage)

	handoffs, cold, wins, lostOpps, winRate, revenue, avgDeal, cycle int
	spend, costLead, costSQL, costWin, utilization                   int
}

func newMetricIndex(m *Model) metricIndex {
	x := metricIndex{}
	add := func(name string, side Side, unit Unit, doc string) int {
		x.info = append(x.info, MetricInfo{Name: name, Label: metricLabels[name], Side: side, Unit: unit, Better: Higher, Doc: doc})
		if x.info[len(x.info)-1].Label == "" {
			x.info[len(x.info)-1].Label = name
		}
		return len(x.info) - 1
	}
	lower := func(k int) { x.info[k].Better = Lower }
	sales := m.StageIndex(m.SalesStart)
	for s, st := range m.Stages {
		side, doc := Marketing, "entries into stage "+st.Name
		if s >= sales {
			side = Sales
		}
		if s == 0 {
			doc = "new leads"
		}
		x.entry = append(x.entry, add(st.MetricName(), side, Count, doc))
		x.info[len(x.info)-1].Label = stageLabel(m, s)
	}
	x.handoffs = add("handoffs", Marketing, Count, "leads handed to sales (entering the queue for "+m.SalesStart+")")
	x.spend = add("spend", Marketing, Money, "marketing spend over the horizon")
	x.costLead = add("cost_per_lead", Marketing, Money, "spend per new lead")
	x.costSQL = add("cost_per_sql", Marketing, Money, "spend per entry into "+m.SQLStage)
	x.costWin = add("cost_per_win", Marketing, Money, "spend per won deal")
	x.cold = add("cold", Sales, Count, "handed-off leads that went cold waiting for a rep")
	x.utilization = add("utilization", Sales, Ratio, "hand-offs accepted per unit of rep capacity")
	x.wins = add("wins", Sales, Count, "won deals")
	x.lostOpps = add("lost_opportunities", Sales, Count, "deals lost from "+m.OpportunityStage+" or later")
	x.winRate = add("win_rate", Sales, Ratio, "wins / (wins + lost opportunities) closed in the horizon")
	x.avgDeal = add("avg_deal", Sales, Money, "revenue per won deal")
	x.cycle = add("cycle_weeks", Sales, Weeks, "expected weeks from lead to won for a new lead, under the trial's parameters")
	x.revenue = add("revenue", Sales, Money, "bookings from deals won in the horizon")
	for _, k := range []int{x.spend, x.costLead, x.costSQL, x.costWin, x.cold, x.lostOpps, x.cycle} {
		lower(k)
	}
	return x
}

// Metrics describes the per-trial metrics a run of m reports, in the
// order of a Result's.
func Metrics(m *Model) []MetricInfo { return newMetricIndex(m).info }

// stageLabel is how the entries into stage s read: "new leads" for the
// first, "SQLs" for the SQL stage, an acronym of a name (mql, sal) in
// capitals and plural, and the others as their metric name, words apart.
func stageLabel(m *Model, s int) string {
	st := m.Stages[s]
	switch name := st.MetricName(); {
	case s == 0:
		return "new leads"
	case st.Name == m.SQLStage:
		return "SQLs"
	case len(name) <= 3 && name == st.Name:
		return strings.ToUpper(name) + "s"
	default:
		return strings.ReplaceAll(name, "_", " ")
	}
}

// metricLabels are the labels of the metrics whose name does not read
// well; the others are their name.
var metricLabels = map[string]string{
	"handoffs": "hand-offs", "cost_per_lead": "cost per lead", "cost_per_sql": "cost per SQL", "cost_per_win": "cost per win",
	"cold": "cold leads", "lost_opportunities": "lost deals", "win_rate": "win rate", "avg_deal": "average deal", "cycle_weeks": "weeks to win",
}
