package model

import (
	"errors"
	"fmt"
	"slices"
)

// Join puts the results of runs over consecutive trial ranges
// (Options.FirstTrial) back together into the result one run over all
// their trials returns: the same values, summaries and warnings. The parts
// must come from one model, seed, horizon and parameter setting, and their
// ranges must tile 0..N, in any order, with no gap or overlap. rc, if
// set, recalibrates the joined totals as Options.Recalibration does.
func Join(parts []*Result, rc *Recalibration) (*Result, error) {
	if len(parts) == 0 {
		return nil, errors.New("model: no results to join")
	}
	parts = slices.Clone(parts)
	slices.SortStableFunc(parts, func(a, b *Result) int { return a.FirstTrial - b.FirstTrial })
	first := parts[0]
	if first.Deals != nil || first.Groups != nil {
		return nil, errors.New("model: a run's deals and groups (Options.Deals, By) are kept by whole runs only, not joined")
	}
	total := 0
	for _, p := range parts {
		if err := sameRun(first, p); err != nil {
			return nil, err
		}
		switch {
		case p.FirstTrial > total:
			return nil, fmt.Errorf("model: trials %d to %d are missing", total, p.FirstTrial-1)
		case p.FirstTrial < total:
			return nil, fmt.Errorf("model: trials %d to %d are in two parts", p.FirstTrial, min(total, p.FirstTrial+p.Trials)-1)
		}
		total += p.Trials
	}
	if first.FirstTrial != 0 {
		return nil, fmt.Errorf("model: trials 0 to %d are missing", first.FirstTrial-1)
	}
	if total > MaxTrials {
		return nil, fmt.Errorf("model: %d trials in all, more than %d", total, MaxTrials)
	}
	if rc != nil && rc.HorizonWeeks != first.Weeks {
		return nil, fmt.Errorf("the recalibration was learned on %d-week forecasts; this one is %d weeks", rc.HorizonWeeks, first.Weeks)
	}
	r := &Result{Model: first.Model, Currency: first.Currency, Start: first.Start, Trials: total, Weeks: first.Weeks,
		Seed: first.Seed, FixedParams: first.FixedParams, Metrics: first.Metrics, TrackRecord: first.TrackRecord}
	r.Values = make([][]float64, len(r.Metrics))
	for k := range r.Values {
		r.Values[k] = make([]float64, 0, total)
		for _, p := range parts {
			r.Values[k] = append(r.Values[k], p.Values[k]...)
		}
	}
	r.CumRevenue = make([]float64, 0, total*r.Weeks)
	r.CumWins = make([]float64, 0, total*r.Weeks)
	for _, p := range parts {
		r.CumRevenue = append(r.CumRevenue, p.CumRevenue...)
		r.CumWins = append(r.CumWins, p.CumWins...)
	}
	if first.Channels != nil {
		r.Channels = make([]ChannelTrials, len(first.Channels))
		for c := range r.Channels {
			ch := &r.Channels[c]
			ch.Name = first.Channels[c].Name
			for _, p := range parts {
				if len(p.Channels) != len(first.Channels) {
					return nil, errors.New("model: the parts are of different runs: some keep totals by channel and some do not")
				}
				ch.Leads = append(ch.Leads, p.Channels[c].Leads...)
				ch.Wins = append(ch.Wins, p.Channels[c].Wins...)
				ch.Revenue = append(ch.Revenue, p.Channels[c].Revenue...)
			}
		}
	}
	if rc != nil {
		if err := rc.apply(r); err != nil {
			return nil, err
		}
	}
	r.addWarnings()
	return r, nil
}

// sameRun returns an error unless b is a part of the run a is part of.
func sameRun(a, b *Result) error {
	bad := func(what string, x, y any) error {
		return fmt.Errorf("model: the parts are of different runs: %s %v and %v", what, x, y)
	}
	switch {
	case a.Model != b.Model:
		return bad("model", a.Model, b.Model)
	case a.Seed != b.Seed:
		return bad("seed", a.Seed, b.Seed)
	case a.Weeks != b.Weeks:
		return bad("weeks", a.Weeks, b.Weeks)
	case a.FixedParams != b.FixedParams:
		return bad("fixed parameters", a.FixedParams, b.FixedParams)
	case !a.Start.Equal(b.Start.Time):
		return bad("start", a.Start, b.Start)
	case a.Currency != b.Currency:
		return bad("currency", a.Currency, b.Currency)
	case !slices.Equal(a.Metrics, b.Metrics):
		return errors.New("model: the parts are of different runs: their metrics differ")
	case b.Recalibrated != "":
		return errors.New("model: a part was recalibrated on its own trials; recalibrate when joining")
	case b.Raw != nil:
		return errors.New("model: a part was combined on its own trials; combine when joining")
	}
	if len(b.Values) != len(b.Metrics) || len(b.CumRevenue) != b.Trials*b.Weeks || len(b.CumWins) != b.Trials*b.Weeks {
		return fmt.Errorf("model: the part from trial %d is not whole", b.FirstTrial)
	}
	for _, v := range b.Values {
		if len(v) != b.Trials {
			return fmt.Errorf("model: the part from trial %d is not whole", b.FirstTrial)
		}
	}
	return nil
}
