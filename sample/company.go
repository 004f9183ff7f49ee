package sample

import (
	"time"

	"github.com/funnelsim/funnelsim/model"
)

// Company returns the sample company's truth: a B2B SaaS firm with about
// 140 leads a week over five channels, a lead-to-won rate near 2%, about 30
// wins and 0.8M in bookings a quarter (median deal near 18k, lognormal with
// σ = 0.9, so a heavy right tail), and 6 reps running close to capacity.
// Paid social brings many cheap, low-quality leads (ebook downloads) and is
// near saturation; paid search has room to grow; referrals are few, convert
// well and buy bigger.
func Company() *Truth {
	// Leaving slows with age; old leads that do leave are mostly lost.
	leave := []float64{1, 1, 0.9, 0.7, 0.5, 0.35, 0.25, 0.2}
	advance := []float64{1, 1, 0.95, 0.85, 0.65, 0.45, 0.25, 0.1}
	stage := func(name, metric string, median float64, conv ...float64) StageTruth {
		return StageTruth{Name: name, Metric: metric, Conversion: conv, MedianWeeks: median, LeaveProfile: leave, AdvanceProfile: advance}
	}
	return &Truth{
		Name:             "Sample B2B SaaS",
		Currency:         "USD",
		AsOf:             model.Date{Time: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		HorizonWeeks:     13,
		Bands:            []int{0, 1, 2, 4, 8, 13, 26, 52},
		SalesStart:       "sal",
		SQLStage:         "sql",
		OpportunityStage: "opportunity",
		// Conversion by channel: paid_search, paid_social, webinar, organic, referral.
		Stages: []StageTruth{
			stage("lead", "leads", 0.6, 0.45, 0.25, 0.55, 0.40, 0.70),
			stage("mql", "mql", 0.5, 0.65, 0.50, 0.60, 0.65, 0.75),
			stage("sal", "sal", 1.5, 0.50, 0.35, 0.45, 0.50, 0.60),
			stage("sql", "sql", 2, 0.60, 0.45, 0.55, 0.60, 0.70),
			stage("opportunity", "opportunities", 3, 0.55, 0.50, 0.55, 0.55, 0.60),
			stage("proposal", "proposals", 3.5, 0.35, 0.32, 0.35, 0.35, 0.40),
		},
		Channels: []ChannelTruth{
			{Name: "paid_search", WeeklyLeads: 35, Dispersion: 15, WeeklySpend: 14000, SpendShare: 0.9, HalfSpend: 20000, DealMedian: 16000},
			{Name: "paid_social", WeeklyLeads: 45, Dispersion: 6, WeeklySpend: 9000, SpendShare: 0.9, HalfSpend: 6000, DealMedian: 11000},
			{Name: "webinar", WeeklyLeads: 20, Dispersion: 3, WeeklySpend: 5000, SpendShare: 0.8, HalfSpend: 6000, DealMedian: 16000},
			{Name: "organic", WeeklyLeads: 28, Dispersion: 20, WeeklySpend: 3000, SpendShare: 0.3, HalfSpend: 4000, DealMedian: 16000},
			{Name: "referral", WeeklyLeads: 12, Dispersion: 10, WeeklySpend: 1500, SpendShare: 0.2, HalfSpend: 2000, DealMedian: 22000},
		},
		// Senior buyers at bigger firms convert better at every stage; the
		// lead score is a noisy read of that.
		Attributes: []Attribute{
			{Name: "job_level", Levels: []string{"individual", "manager", "director", "executive"},
				Shares: []float64{0.45, 0.30, 0.17, 0.08}, Effects: []float64{-0.3, 0, 0.3, 0.5}},
			{Name: "company_size", Levels: []string{"1-50", "51-200", "201-1000", "1000+"},
				Shares: []float64{0.35, 0.30, 0.22, 0.13}, Effects: []float64{-0.4, 0, 0.25, 0.4}},
		},
		ScoreNoise:     0.5,
		ArrivalShockCV: 0.08,
		DealLogSD:      0.9,
		Reps:           model.Reps{Count: 6, WeeklyCapacity: 6.5, RampWeeks: 8, ColdRate: 0.3},
	}
}
