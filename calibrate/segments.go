package calibrate

import (
	"slices"
	"strings"

	"github.com/funnelsim/funnelsim/model"
)

// maxSegmentValues is the most distinct values an attribute may take to be
// a segment, for forecasts by segment: a region or a product line, not an
// account or a score.
const maxSegmentValues = 20

// segmentsOf are lead l's values of the segments, nil for none.
func (h *History) segmentsOf(l *Lead, segs []int) map[string]string {
	var out map[string]string
	for _, a := range segs {
		if a < len(l.Attrs) && l.Attrs[a] != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[h.Attributes[a]] = l.Attrs[a]
		}
	}
	return out
}

// segmentsInto finds the segments: the attributes, named neither rep
// nor channel, that take 2 to maxSegmentValues distinct values among the
// leads created before the as-of date. It sets the model's, each value
// with its share of the hand-offs of the recent weeks that set the reps'
// (values with none have no share: their open deals still count as
// theirs), and gives the open deals their values.
func (e *estimator) segmentsInto(m *model.Model) {
	type attr struct {
		values []string
		counts []int
		over   bool // more than maxSegmentValues values
	}
	attrs := make([]attr, len(e.h.Attributes))
	for a, name := range e.h.Attributes {
		attrs[a].over = name == "rep" || name == "channel"
	}
	for i := range e.h.Leads {
		l := &e.h.Leads[i]
		if !l.Created().Before(e.o.AsOf) {
			continue
		}
		at := l.Reached[e.sales]
		recent := !at.IsZero() && at.Before(e.o.AsOf) && int(e.o.AsOf.Sub(at)/week) < len(e.handoffs)
		for a, v := range l.Attrs {
			x := &attrs[a]
			if v == "" || x.over {
				continue
			}
			k := slices.Index(x.values, v)
			if k < 0 {
				if len(x.values) == maxSegmentValues {
					x.over = true
					continue
				}
				k = len(x.values)
				x.values, x.counts = append(x.values, v), append(x.counts, 0)
			}
			if recent {
				x.counts[k]++
			}
		}
	}
	e.segs = nil
	for a, x := range attrs {
		if x.over || len(x.values) < 2 {
			continue
		}
		e.segs = append(e.segs, a)
		total := 0
		for _, n := range x.counts {
			total += n
		}
		s := model.Segment{Name: e.h.Attributes[a], Shares: []model.ValueShare{}}
		order := make([]int, len(x.values))
		for k := range order {
			order[k] = k
		}
		slices.SortFunc(order, func(i, j int) int { return strings.Compare(x.values[i], x.values[j]) })
		for _, k := range order {
			if x.counts[k] > 0 {
				s.Shares = append(s.Shares, model.ValueShare{Value: x.values[k], Share: float64(x.counts[k]) / float64(total)})
			}
		}
		m.Segments = append(m.Segments, s)
	}
	for i := range e.deals {
		e.deals[i].Segments = e.h.segmentsOf(e.dealLeads[i], e.segs)
	}
}
