package calibrate

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// growthQuarters bound the quarters of all channels' arrivals that test
// for a sustained growth: at least minGrowthQuarters, at most the last
// maxGrowthQuarters.
const (
	minGrowthQuarters = 6
	maxGrowthQuarters = 12
	// growthZ is the rank test's least |z| for a growth to be kept.
	growthZ = 2.5
)

// sustainedGrowth finds a growth (or decline) of all channels' arrivals
// that the history shows for years, not for a few weeks: the 13-week
// totals over up to maxGrowthQuarters quarters back from the leads'
// window's end, kept where the Mann–Kendall test of their logs finds a
// trend (|z| > growthZ) over at least minGrowthQuarters quarters. A rank test of
// whole quarters is not moved by a burst of a week or two, as the 26-week
// channel trend can be. The growth is the Theil–Sen slope of the log
// totals (the median of the slopes between pairs of quarters, which a
// quarter far off the rest does not move), per week, and its standard
// error the least-squares slope's. It returns ok false where there is no
// such growth.
func (e *estimator) sustainedGrowth() (g, se float64, ok bool) {
	const q = 13
	y := e.allWeeks // y[k] is k weeks back
	n := min(len(y)/q, maxGrowthQuarters)
	if n < minGrowthQuarters {
		return 0, 0, false
	}
	x, ly := make([]float64, n), make([]float64, n)
	for j := range n {
		var sum float64
		for _, v := range y[j*q : (j+1)*q] {
			sum += v
		}
		if sum <= 0 {
			return 0, 0, false
		}
		x[j], ly[j] = -float64(j), math.Log(sum)
	}
	if math.Abs(mannKendall(x, ly)) <= growthZ {
		return 0, 0, false
	}
	var slopes []float64
	for i := range n {
		for j := i + 1; j < n; j++ {
			slopes = append(slopes, (ly[j]-ly[i])/(x[j]-x[i]))
		}
	}
	slices.Sort(slopes)
	sen := stat.Quantile(0.5, stat.Empirical, slopes, nil)
	_, _, se = lineFit(x, ly)
	return sen / q, se / q, true
}

// levelWindows are the windows, in weeks, that levelWindow tries for the
// level of leads a week, and levelOrigins the origins, four weeks apart
// over the last year, at which it scores them.
var levelWindows = []int{26, 52, 104}

const levelOrigins = 13

// levelWindow chooses how many recent weeks give the level of leads a
// week: at each of levelOrigins origins, 13 to 61 weeks back, each window
// that fits in the history before every origin forecasts the next 13
// weeks' leads (all channels') as its weekly mean, carried along the
// sustained growth where there is one, and the window with the least mean
// squared log error is chosen. The arrival window (ArrivalWeeks) is the
// least; a longer one wins where the years before were steady around the
// same level, a short one where the level wanders.
func (e *estimator) levelWindow() int {
	y := e.allWeeks
	best, bestErr := e.window, math.Inf(1)
	for _, L := range levelWindows {
		if L < e.window || 13+4*(levelOrigins-1)+L > len(y) {
			continue
		}
		var sse float64
		for j := range levelOrigins {
			k := 13 + 4*j // the origin, weeks back; the quarter after it is y[k-13:k]
			var actual, base float64
			for _, v := range y[k-13 : k] {
				actual += v
			}
			for _, v := range y[k : k+L] {
				base += v
			}
			fc := base / float64(L) * 13 * math.Exp(e.growth*(float64(L-1)/2+7))
			d := math.Log((actual + 1) / (fc + 1))
			sse += d * d
		}
		if sse < bestErr {
			best, bestErr = L, sse
		}
	}
	return best
}
