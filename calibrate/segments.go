package calibrate

import (
	"maps"
	"slices"
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// maxSegmentValues is the most distinct values an attribute may take to be
// a segment, for forecasts by segment: a region or a product line, not an
// account or a score.
const maxSegmentValues = 20

// segmentAttrs are the indices, in h.Attributes, of the attributes that
// are segments: at least 2 and at most maxSegmentValues distinct values
// among the leads created before asOf, and named neither rep nor channel.
func segmentAttrs(h *History, asOf time.Time) []int {
	var out []int
	for a, name := range h.Attributes {
		if name == "rep" || name == "channel" {
			continue
		}
		values := map[string]bool{}
		for i := range h.Leads {
			if !h.Leads[i].Created().Before(asOf) {
				continue
			}
			if attrs := h.Leads[i].Attrs; a < len(attrs) && attrs[a] != "" {
				values[attrs[a]] = true
				if len(values) > maxSegmentValues {
					break
				}
			}
		}
		if len(values) >= 2 && len(values) <= maxSegmentValues {
			out = append(out, a)
		}
	}
	return out
}

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

// handoff counts a recent hand-off of lead l for the segments' shares.
func (e *estimator) handoff(l *Lead) {
	for k, a := range e.segs {
		if a < len(l.Attrs) && l.Attrs[a] != "" {
			e.segCounts[k][l.Attrs[a]]++
		}
	}
}

// segmentsInto sets the model's segments, each value's share of the
// recent hand-offs (values with none have no share: their open deals
// still count as theirs).
func (e *estimator) segmentsInto(m *model.Model) {
	for k, a := range e.segs {
		total := 0
		for _, n := range e.segCounts[k] {
			total += n
		}
		s := model.Segment{Name: e.h.Attributes[a], Shares: []model.ValueShare{}}
		for _, v := range slices.Sorted(maps.Keys(e.segCounts[k])) {
			s.Shares = append(s.Shares, model.ValueShare{Value: v, Share: float64(e.segCounts[k][v]) / float64(total)})
		}
		m.Segments = append(m.Segments, s)
	}
}
