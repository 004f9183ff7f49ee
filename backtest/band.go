package backtest

import (
	"math"
	"sync"

	"github.com/funnelsim/funnelsim/model/rng"
)

// calibratedTrials is the number of simulated backtests behind
// CalibratedInBand: its Monte Carlo error is below 0.003.
const calibratedTrials = 20000

var calibrated sync.Map // [3]int{n, every, horizon} → float64

// CalibratedInBand is the chance that a calibrated forecaster's 80%
// intervals cover a count of n outcomes inside CoverageBand(n, 0.8), when
// its origins are every weeks apart and each forecasts horizon weeks, so
// that origins closer than the horizon share weeks of their outcomes. The
// forecaster's error at each origin is the sum of independent weekly
// errors over its horizon, so that two origins' errors correlate by the
// share of weeks they have in common and no more; errors that persist
// longer (a level misread for a year) correlate more, and leave the count
// in band less often still. For
// origins a horizon or more apart it is the binomial's own chance, about
// 0.9. It is simulated with a fixed seed, so it is the same at every call.
func CalibratedInBand(n, every, horizon int) float64 {
	if n < 1 || every < 1 || horizon < 1 {
		return math.NaN()
	}
	key := [3]int{n, every, horizon}
	if p, ok := calibrated.Load(key); ok {
		return p.(float64)
	}
	lo, hi := CoverageBand(n, 0.8)
	z := 1.2815515655446004 // the standard normal's 90% point
	weeks := (n-1)*every + horizon
	sum := make([]float64, weeks+1)
	st := rng.NewStream()
	st.Reset(uint64(n), uint64(every), uint64(horizon))
	in := 0
	for range calibratedTrials {
		for w := range weeks {
			sum[w+1] = sum[w] + st.NormFloat64()
		}
		covered := 0
		for i := range n {
			if e := (sum[i*every+horizon] - sum[i*every]) / math.Sqrt(float64(horizon)); math.Abs(e) <= z {
				covered++
			}
		}
		if covered >= lo && covered <= hi {
			in++
		}
	}
	p := float64(in) / calibratedTrials
	calibrated.Store(key, p)
	return p
}
