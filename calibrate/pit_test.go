package calibrate_test

import (
	"context"
	"flag"
	"math"
	"testing"
	"time"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
	"github.com/funnelsim/funnelsim/sample"
)

var pitReplicates = flag.Int("pit-replicates", 16, "generated futures in TestForecastPIT (make validate runs 100)")

// realised returns the leads the generator creates and the wins and
// revenue its leads book in the horizon weeks from the as-of date.
func realised(g *generate.History, asOf time.Time, weeks int) (leads, wins, revenue float64) {
	end := asOf.Add(time.Duration(weeks) * 7 * 24 * time.Hour)
	for _, l := range g.Leads {
		if c := l.Reached[0]; !c.Before(asOf) && c.Before(end) {
			leads++
		}
		if !l.Won.IsZero() && !l.Won.Before(asOf) && l.Won.Before(end) {
			wins++
			revenue += l.Amount
		}
	}
	return leads, wins, revenue
}

// TestForecastPIT is the end-to-end check: histories generated past their
// as-of date are calibrated on what was known then, and the next quarter's
// forecast of wins and revenue is set against what the generator then
// books. If the forecast's distributions are honest, the PIT values are
// uniform: the test asserts that their Kolmogorov–Smirnov distance is
// below the 1% critical value (1.63/√n) and that the 80% intervals
// (P10–P90) cover within the 99% binomial range. It runs with clean loss
// records, with 30% of losses never recorded and leads idle 26 weeks
// taken as lost, and with arrivals half as many again from the middle of
// the history on (a change of regime); the next quarter's leads are
// checked as well.
func TestForecastPIT(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates and forecasts many histories")
	}
	const weeks, trials = 13, 1000
	for _, c := range []struct {
		name       string
		unrecorded float64
		stale      time.Duration
		shift      float64
	}{{"clean", -1, 0, 0}, {"unrecorded losses, stale rule", 0.3, staleWeeks, 0}, {"level shift halfway", -1, 0, 1.5}} {
		t.Run(c.name, func(t *testing.T) {
			truth := sample.Company()
			n := *pitReplicates
			u := rng.NewStream()
			var pl, pw, pr []float64
			var sumWins, sumMean float64
			for i := range n {
				seed := uint64(1000 + i)
				g, hist := fixture.Generated(t, truth, generate.Options{Seed: seed, After: weeks, UnrecordedLoss: c.unrecorded, LevelShift: c.shift})
				m, err := calibrate.Estimate(context.Background(), hist, calibrate.Options{AsOf: truth.AsOf.Time, StaleAfter: c.stale})
				if err != nil {
					t.Fatal(err)
				}
				r, err := model.Run(context.Background(), m, model.Options{Trials: trials, Weeks: weeks, Seed: seed})
				if err != nil {
					t.Fatal(err)
				}
				leads, wins, revenue := realised(g, truth.AsOf.Time, weeks)
				w, _ := r.Metric("wins")
				rev, _ := r.Metric("revenue")
				ls, _ := r.Metric("leads")
				u.Reset(seed, 7)
				pl = append(pl, backtest.PIT(ls, leads, u.Uniform()))
				pw = append(pw, backtest.PIT(w, wins, u.Uniform()))
				pr = append(pr, backtest.PIT(rev, revenue, u.Uniform()))
				sumWins += wins
				sumMean += model.Summarize("wins", w).Mean
			}
			crit := 1.63 / math.Sqrt(float64(n))
			// 80% coverage: the 99% range of Binomial(n, 0.8).
			sd := math.Sqrt(float64(n) * 0.8 * 0.2)
			lo, hi := 0.8*float64(n)-2.58*sd, 0.8*float64(n)+2.58*sd
			t.Logf("%d futures: realised wins %.2f a quarter, forecast mean %.2f", n, sumWins/float64(n), sumMean/float64(n))
			for _, x := range []struct {
				name string
				p    []float64
			}{{"leads", pl}, {"wins", pw}, {"revenue", pr}} {
				d := backtest.KSUniform(x.p)
				in := 0.0
				for _, v := range x.p {
					if v >= 0.1 && v <= 0.9 {
						in++
					}
				}
				t.Logf("%s: PIT mean %.3f, KS distance %.3f (1%% critical %.3f), 80%% interval covers %.0f of %d", x.name, mean(x.p), d, crit, in, n)
				if d > crit {
					t.Errorf("%s: PIT values are not uniform: KS distance %.3f > %.3f", x.name, d, crit)
				}
				if in < lo || in > hi {
					t.Errorf("%s: the 80%% interval covers %.0f of %d, outside %.1f–%.1f", x.name, in, n, lo, hi)
				}
			}
		})
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
