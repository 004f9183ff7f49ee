package quarter

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/funnelsim/funnelsim/internal/amount"
	"github.com/funnelsim/funnelsim/model"
)

// Group is one rep's, channel's or segment value's quarter: what it
// booked to date, and its wins and revenue in the quarter per trial
// (booked plus simulated). The groups' wins and revenue sum to the
// quarter's in every trial.
type Group struct {
	Name          string
	BookedWins    int
	BookedRevenue float64
	Wins, Revenue []float64
}

// By splits the quarter of r (a run with w's Options, and ByChannel for
// "channel" or By for "rep" or a segment) by channel, rep or segment.
func By(w *Window, r *model.Result, by string) ([]Group, error) {
	var out []Group
	if by == "channel" {
		if r.Channels == nil {
			return nil, errors.New("the run did not keep the channels' wins (model.Options.ByChannel)")
		}
		for _, c := range r.Channels {
			out = append(out, Group{Name: c.Name, Wins: slices.Clone(c.Wins), Revenue: slices.Clone(c.Revenue)})
		}
	} else {
		if r.Groups == nil {
			return nil, fmt.Errorf("the run did not keep the wins by %s (model.Options.By)", by)
		}
		for _, g := range r.Groups {
			out = append(out, Group{Name: g.Name, Wins: slices.Clone(g.Wins), Revenue: slices.Clone(g.Revenue)})
		}
	}
	if w.Booked != nil {
		for _, won := range w.Booked.Won {
			var name string
			switch by {
			case "channel":
				name = won.Channel
			case "rep":
				name = won.Rep
			default:
				name = won.Segments[by]
			}
			k := slices.IndexFunc(out, func(g Group) bool { return g.Name == name })
			if k < 0 && by != "channel" {
				k = slices.IndexFunc(out, func(g Group) bool { return g.Name == model.Unassigned })
				if name != "" {
					// A rep (or value) that won deals this quarter but holds no
					// share of the recent hand-offs nor an open deal: a group of
					// its own.
					out = slices.Insert(out, k, Group{Name: name, Wins: make([]float64, r.Trials), Revenue: make([]float64, r.Trials)})
				}
			}
			if k < 0 {
				return nil, fmt.Errorf("a booked win of %q, which the run does not have", name)
			}
			out[k].BookedWins++
			out[k].BookedRevenue += won.Amount
		}
		for k := range out {
			for i := range out[k].Wins {
				out[k].Wins[i] += float64(out[k].BookedWins)
				out[k].Revenue[i] += out[k].BookedRevenue
			}
		}
	}
	// The unassigned group is listed only where it took something.
	out = slices.DeleteFunc(out, func(g Group) bool {
		return g.Name == model.Unassigned && g.BookedWins == 0 && !slices.ContainsFunc(g.Wins, func(x float64) bool { return x != 0 })
	})
	return out, nil
}

// Quota maps a group to its quota of revenue for the quarter.
type Quota map[string]float64

// ReadQuota reads a CSV of group and quota: a header row naming them (the
// group column group, rep, channel or name, or, beside quota, anything),
// then a row per group; a quota may be written 120k or 1.2M.
func ReadQuota(path string) (Quota, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadQuotaFrom(path, f)
}

// ReadQuotaFrom reads quotas as ReadQuota does, from r, naming path in its errors.
func ReadQuotaFrom(path string, r io.Reader) (Quota, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	gc, qc := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "group", "rep", "channel", "name":
			gc = i
		case "quota":
			qc = i
		}
	}
	if gc < 0 && qc >= 0 && len(header) == 2 {
		gc = 1 - qc // the group column named for what it groups (region, product)
	}
	if gc < 0 || qc < 0 {
		return nil, fmt.Errorf("%s:1: the header must name a group column (group, rep or channel) and quota; it has %q", path, header)
	}
	q := Quota{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if len(rec) <= max(gc, qc) {
			return nil, fmt.Errorf("%s:%d: %d fields, want the group and quota columns", path, line, len(rec))
		}
		name := strings.TrimSpace(rec[gc])
		x, err := amount.Parse(rec[qc])
		switch {
		case name == "":
			return nil, fmt.Errorf("%s:%d: group: empty", path, line)
		case err != nil || !(x > 0) || math.IsInf(x, 0):
			return nil, fmt.Errorf("%s:%d: quota: %q is not an amount > 0", path, line, rec[qc])
		}
		if _, dup := q[name]; dup {
			return nil, fmt.Errorf("%s:%d: group: %q is listed twice", path, line, name)
		}
		q[name] = x
	}
	if len(q) == 0 {
		return nil, fmt.Errorf("%s: no quotas", path)
	}
	return q, nil
}
