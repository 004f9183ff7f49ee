package calibrate

import (
	"math"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/funnelsim/funnelsim/model"
)

// A yearly season of lead arrivals is estimated from seasonWeeks weeks of
// leads or more, as seasonHarmonics Fourier harmonics, and kept where a
// test of the harmonics rejects "no season" at level seasonAlpha: a missed
// season costs a forecast far more than a spurious one, whose uncertainty
// the trials carry. The test and the harmonics' covariance come from a
// grouped jackknife over quarters of seasonBlock weeks.
const (
	seasonWeeks     = 104
	seasonHarmonics = 2
	seasonAlpha     = 0.05
	seasonBlock     = 13
)

// seasonInto estimates the yearly season of all channels' leads and, where
// the history shows one, sets it on m and takes it out of the weekly
// counts the arrivals, trend and shock are estimated from. It regresses
// log(weekly leads + ½) on a line and the harmonics at the middle of each
// week, by least squares over every week of the leads' window. The weeks'
// errors are not independent (a level that drifts moves whole quarters),
// so the covariance of the harmonics is the grouped jackknife's over
// quarters, each left out in turn, and the test is Hotelling's T² on the
// quarters' degrees of freedom. The trials draw the harmonics from a
// normal with that covariance, widened to the variance of the t.
func (e *estimator) seasonInto(m *model.Model) {
	n := len(e.allWeeks)
	if e.o.Without.Season || n < seasonWeeks {
		return
	}
	const p = 2 + 2*seasonHarmonics
	x := mat.NewDense(n, p, nil)
	y := mat.NewVecDense(n, nil)
	for k := range n {
		x.Set(k, 0, 1)
		x.Set(k, 1, -float64(k)/52)
		for j, b := range model.SeasonBasis(model.SeasonPhase(e.weekMiddle(k)), seasonHarmonics) {
			x.Set(k, 2+j, b)
		}
		y.SetVec(k, math.Log(e.allWeeks[k]+0.5))
	}
	full, _, ok := leastSquares(x, y)
	if !ok {
		return
	}
	// The grouped jackknife over quarters (blocks of seasonBlock weeks;
	// the weeks left over join the last): the weeks' errors share
	// quarters of drifting level, so the quarters, not the weeks, are the
	// independent draws.
	const h = 2 * seasonHarmonics
	blocks := n / seasonBlock
	b := mat.NewVecDense(h, nil)
	for i := range h {
		b.SetVec(i, full.AtVec(2+i))
	}
	// Each quarter left out in turn, from the normal equations of every
	// week less that quarter's: one pass over the weeks in all, however
	// long the history.
	var xtx mat.SymDense
	xtx.SymOuterK(1, x.T())
	var xty mat.VecDense
	xty.MulVec(x.T(), y)
	var loo []*mat.VecDense
	for j := range blocks {
		lo, hi := j*seasonBlock, (j+1)*seasonBlock
		if j == blocks-1 {
			hi = n
		}
		aj := mat.NewSymDense(p, nil)
		aj.CopySym(&xtx)
		cj := mat.VecDenseCopyOf(&xty)
		for k := lo; k < hi; k++ {
			row := mat.NewVecDense(p, x.RawRowView(k))
			aj.SymRankOne(aj, -1, row)
			cj.AddScaledVec(cj, -y.AtVec(k), row)
		}
		var ch mat.Cholesky
		if !ch.Factorize(aj) {
			return
		}
		var bj mat.VecDense
		if err := ch.SolveVecTo(&bj, cj); err != nil {
			return
		}
		loo = append(loo, mat.NewVecDense(h, bj.RawVector().Data[2:]))
	}
	mean := mat.NewVecDense(h, nil)
	for _, v := range loo {
		mean.AddVec(mean, v)
	}
	mean.ScaleVec(1/float64(blocks), mean)
	cov := mat.NewSymDense(h, nil)
	for _, v := range loo {
		var d mat.VecDense
		d.SubVec(v, mean)
		cov.SymRankOne(cov, float64(blocks-1)/float64(blocks), &d)
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return
	}
	var z mat.VecDense
	if err := ch.SolveVecTo(&z, b); err != nil {
		return
	}
	// Hotelling's T² on blocks−1 degrees of freedom, as an F.
	t2 := mat.Dot(b, &z)
	df := float64(blocks - 1)
	pValue := 1 - distuv.F{D1: h, D2: df - h + 1}.CDF((df-h+1)/(h*df)*t2)
	if !(pValue < seasonAlpha) {
		e.h.Report.warn("no yearly season in the %d weeks of leads (test of the harmonics over %d quarters: p = %.2g)", n, blocks, pValue)
		return
	}
	// The trials draw the coefficients from a normal with the variance of
	// the t on df degrees of freedom.
	cov.ScaleSym(df/(df-2), cov)
	s := &model.Season{}
	for k := range seasonHarmonics {
		s.Cos = append(s.Cos, b.AtVec(2*k))
		s.Sin = append(s.Sin, b.AtVec(2*k+1))
	}
	for i := range h {
		row := make([]float64, h)
		for j := range row {
			row[j] = cov.At(i, j)
		}
		s.Cov = append(s.Cov, row)
	}
	m.ArrivalSeason = s
	ratio, peak := s.Amplitude()
	e.h.Report.warn("yearly season in the %d weeks of leads (test of the harmonics over %d quarters: p = %.2g): leads run ×%.2f from the slowest week to the busiest, around %s; the arrivals are estimated with it taken out",
		n, blocks, pValue, ratio, time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(peak*365*24*float64(time.Hour))).Format("January 2"))
	for k := range n {
		f := math.Exp(s.Log(e.weekMiddle(k)))
		e.allWeeks[k] /= f
		for c := range e.long { // arrivals included
			if k < len(e.long[c]) {
				e.long[c][k] /= f
			}
		}
	}
}

// weekMiddle is the middle of the week k weeks back from the end of the
// leads' window.
func (e *estimator) weekMiddle(k int) time.Time {
	return e.arrEnd.Add(-time.Duration(k)*week - week/2)
}

// leastSquares fits y on the columns of x: the coefficients and the
// residuals, or false where x is rank deficient.
func leastSquares(x *mat.Dense, y *mat.VecDense) (beta, resid *mat.VecDense, ok bool) {
	var qr mat.QR
	qr.Factorize(x)
	_, p := x.Dims()
	beta = mat.NewVecDense(p, nil)
	if err := qr.SolveVecTo(beta, false, y); err != nil {
		return nil, nil, false
	}
	resid = mat.NewVecDense(y.Len(), nil)
	resid.MulVec(x, beta)
	resid.SubVec(y, resid)
	return beta, resid, true
}
