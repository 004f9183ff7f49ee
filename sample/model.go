package sample

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/funnelsim/funnelsim/model"
)

// historyWeeks is the length of history the sample model's counts stand
// for: two years.
const historyWeeks = 104

// Model returns the sample company as a model: every sufficient statistic
// is its expected value over two years of history from the truth (so the
// posterior means are the true hazards), and the open pipeline is the
// steady state of the truth's funnel at the as-of date, rounded to whole
// leads, with the deals from the opportunity stage on listed one by one
// with representative amounts. Its name says it is the true model, so
// that its numbers are not taken for those of a model calibrated from the
// sample history (simulate demo), which differ by what two years of
// history leave uncertain.
func Model() *model.Model {
	m, err := Company().Model(historyWeeks)
	if err != nil {
		panic(fmt.Sprintf("sample: the sample company is invalid: %v", err))
	}
	m.Name += " (true model)"
	return m
}

// Model converts the truth to a model with the expected counts of weeks of
// history.
func (t *Truth) Model(weeks float64) (*model.Model, error) {
	m := &model.Model{Format: model.FormatVersion, Name: t.Name, Currency: t.Currency, AsOf: t.AsOf,
		HorizonWeeks: t.HorizonWeeks, Bands: t.Bands, SalesStart: t.SalesStart, SQLStage: t.SQLStage,
		OpportunityStage: t.OpportunityStage, ArrivalShockCV: t.ArrivalShockCV, ArrivalSeason: t.ArrivalSeason, Reps: t.Reps}
	m.Provenance.Source = fmt.Sprintf("sample company truth: expected counts over %.0f weeks of history", weeks)
	entries := make([]float64, len(t.Channels)) // weekly entries into the current stage
	wins := make([]float64, len(t.Channels))
	for c, ch := range t.Channels {
		entries[c] = ch.WeeklyLeads
		m.Channels = append(m.Channels, model.Channel{Name: ch.Name, WeeklyLeads: ch.WeeklyLeads, Dispersion: ch.Dispersion,
			HistoryWeeks: weeks, TrendSE: 0.002, WeeklySpend: ch.WeeklySpend, Response: ch.Response()})
	}
	oppStage := -1
	for s, st := range t.Stages {
		if st.Name == t.OpportunityStage {
			oppStage = s
		}
		ms := model.Stage{Name: st.Name, Metric: st.Metric, PoolWeeks: 10}
		for c, ch := range t.Channels {
			hz, err := t.Hazards(s, c)
			if err != nil {
				return nil, fmt.Errorf("stage %s, channel %s: %w", st.Name, ch.Name, err)
			}
			ms.Exits = append(ms.Exits, model.ChannelExits{Channel: ch.Name, Bands: expectedBands(t.Bands, hz, entries[c]*weeks)})
			t.addPipeline(m, s, c, hz, entries[c], oppStage >= 0 && s >= oppStage)
			entries[c] *= st.Conversion[c]
		}
		m.Stages = append(m.Stages, ms)
	}
	copy(wins, entries)
	t.dealSizes(m, wins, weeks)
	return m, m.Validate()
}

// expectedBands returns the expected exposure and exits per band of n
// entrants under hazards hz, in continuous time.
func expectedBands(bands []int, hz Hazards, n float64) []model.Band {
	out := make([]model.Band, len(bands))
	surv := 1.0
	for b := range bands {
		leave := hz.Advance[b] + hz.Lost[b]
		width := math.Inf(1)
		if b+1 < len(bands) {
			width = float64(bands[b+1] - bands[b])
		}
		p := -math.Expm1(-leave * width) // P(leave in band | reached it)
		time := p / leave                // E[time in band | reached it]
		// Counts are kept to two decimals, as a planner would read them.
		out[b] = model.Band{Weeks: bands[b], Exposure: round2(n * surv * time),
			Advance: round2(n * surv * p * hz.Advance[b] / leave), Lost: round2(n * surv * p * hz.Lost[b] / leave)}
		surv *= 1 - p
	}
	return out
}

// addPipeline adds the steady-state open leads of stage s and channel c at
// the as-of date, as the weekly engine sees them: weekly entries times the
// chance of still being in stage after each whole week, rounded to whole
// leads by largest remainders so the total is kept.
func (t *Truth) addPipeline(m *model.Model, s, c int, hz Hazards, weekly float64, asDeals bool) {
	last := t.Bands[len(t.Bands)-1]
	expected := make([]float64, last+1)
	// In continuous time, with entries spread evenly at weekly a week,
	// those aged a to a+1 weeks number weekly·∫S(u)du over [a, a+1), and
	// the survival S falls at the band's constant hazard λ inside it.
	surv := 1.0
	for a := 0; a <= last; a++ {
		b := sort.SearchInts(t.Bands, a+1) - 1
		lambda := hz.Advance[b] + hz.Lost[b]
		if a == last { // everyone at least this old
			expected[a] = weekly * surv / lambda
			break
		}
		expected[a] = weekly * surv * -math.Expm1(-lambda) / lambda
		surv *= math.Exp(-lambda)
	}
	st, ch := t.Stages[s].Name, t.Channels[c]
	for a, n := range roundKeepingTotal(expected) {
		if n == 0 {
			continue
		}
		if !asDeals {
			m.Pipeline.Open = append(m.Pipeline.Open, model.Cohort{Stage: st, Channel: ch.Name, Weeks: a, Count: n})
			continue
		}
		for range n {
			k := len(m.Pipeline.Deals)
			// A low-discrepancy sequence of quantiles gives representative amounts.
			u := math.Mod(0.5+float64(k)*0.6180339887498949, 1)
			amount := distuv.LogNormal{Mu: math.Log(ch.DealMedian), Sigma: t.DealLogSD}.Quantile(u)
			m.Pipeline.Deals = append(m.Pipeline.Deals, model.OpenDeal{ID: fmt.Sprintf("D-%04d", 1001+k), Stage: st,
				Channel: ch.Name, Weeks: a, Amount: math.Round(amount/100) * 100})
		}
	}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func roundKeepingTotal(x []float64) []int {
	total := 0.0
	out := make([]int, len(x))
	type rem struct {
		i int
		r float64
	}
	var rems []rem
	for i, v := range x {
		total += v
		out[i] = int(math.Floor(v))
		rems = append(rems, rem{i, v - math.Floor(v)})
	}
	short := int(math.Round(total))
	for _, n := range out {
		short -= n
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; k < short && k < len(rems); k++ {
		out[rems[k].i]++
	}
	return out
}

// dealSizes sets the deal-size statistics of weeks of wins: per channel its
// lognormal, and overall the mixture's log mean and spread.
func (t *Truth) dealSizes(m *model.Model, wins []float64, weeks float64) {
	var n, mean, m2 float64
	for c, ch := range t.Channels {
		mu := math.Log(ch.DealMedian)
		n += wins[c]
		mean += wins[c] * mu
		m2 += wins[c] * mu * mu
		m.DealSize.Channels = append(m.DealSize.Channels, model.ChannelDealSize{Channel: ch.Name,
			LogNormal: model.LogNormal{Deals: round2(wins[c] * weeks), LogMean: round2(mu*1000) / 1000, LogSD: t.DealLogSD}})
	}
	mean /= n
	between := m2/n - mean*mean
	m.DealSize.LogNormal = model.LogNormal{Deals: round2(n * weeks), LogMean: round2(mean*1000) / 1000,
		LogSD: round2(math.Sqrt(t.DealLogSD*t.DealLogSD+between)*1000) / 1000}
}
