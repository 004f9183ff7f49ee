package model

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/funnelsim/funnelsim/model/rng"
)

// Season is a yearly cycle of lead arrivals, shared by the channels: the
// mean of every channel in a week is multiplied by
//
//	exp(Σ_k Cos[k]·cos(2π(k+1)y) + Sin[k]·sin(2π(k+1)y))
//
// y being the fraction of the calendar year at the middle of the week
// (SeasonPhase). The channels' WeeklyLeads are then the mean of a week at
// the cycle's zero: the seasonally adjusted level.
type Season struct {
	Cos []float64 `yaml:"cos,flow"`
	Sin []float64 `yaml:"sin,flow"`
	// Cov is the covariance of (Cos[0], Sin[0], Cos[1], Sin[1], …), the
	// uncertainty of the estimate that each trial draws from; empty for
	// none.
	Cov [][]float64 `yaml:"cov,flow,omitempty"`
}

// SeasonPhase is the fraction of the calendar year at t, in [0, 1).
func SeasonPhase(t time.Time) float64 {
	y := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	next := time.Date(t.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
	return float64(t.Sub(y)) / float64(next.Sub(y))
}

// SeasonBasis is the cosines and sines at phase y of the first k
// harmonics: cos 2πy, sin 2πy, cos 4πy, sin 4πy, …
func SeasonBasis(y float64, k int) []float64 {
	b := make([]float64, 2*k)
	for i := range k {
		b[2*i], b[2*i+1] = math.Cos(2*math.Pi*float64(i+1)*y), math.Sin(2*math.Pi*float64(i+1)*y)
	}
	return b
}

// Log is the cycle's log multiplier at t, with the estimate's means.
func (s *Season) Log(t time.Time) float64 {
	return seasonLog(s.coef(), SeasonPhase(t))
}

// coef is (Cos[0], Sin[0], Cos[1], Sin[1], …).
func (s *Season) coef() []float64 {
	c := make([]float64, 0, 2*len(s.Cos))
	for k := range s.Cos {
		c = append(c, s.Cos[k], s.Sin[k])
	}
	return c
}

func seasonLog(coef []float64, y float64) float64 {
	x := 0.0
	for i := 0; i < len(coef); i += 2 {
		a := 2 * math.Pi * float64(i/2+1) * y
		x += coef[i]*math.Cos(a) + coef[i+1]*math.Sin(a)
	}
	return x
}

// Amplitude is the ratio of the cycle's highest weekly multiplier to its
// lowest, with the estimate's means, and the phase of its peak.
func (s *Season) Amplitude() (ratio, peak float64) {
	c := s.coef()
	hi, lo := math.Inf(-1), math.Inf(1)
	for d := range 365 {
		y := (float64(d) + 0.5) / 365
		x := seasonLog(c, y)
		if x > hi {
			hi, peak = x, y
		}
		lo = min(lo, x)
	}
	return math.Exp(hi - lo), peak
}

// maxSeasonLog bounds the coefficients: a multiplier of e^3 (20 times)
// either way is no season but an error.
const maxSeasonLog = 3

// validate checks the season's shape and values.
func (s *Season) validate(v *validator) {
	const p = "arrival_season"
	if !v.check(len(s.Cos) == len(s.Sin) && len(s.Cos) >= 1 && len(s.Cos) <= 6, p, "needs 1 to 6 harmonics, as many cos as sin (got %d and %d)", len(s.Cos), len(s.Sin)) {
		return
	}
	sum := 0.0
	for _, x := range s.coef() {
		v.check(!math.IsNaN(x) && !math.IsInf(x, 0), p, "coefficients must be finite (got %v)", x)
		sum += math.Abs(x)
	}
	v.check(sum <= maxSeasonLog, p, "the coefficients' absolute values add to %.3g; at most %d", sum, maxSeasonLog)
	if len(s.Cov) == 0 {
		return
	}
	n := 2 * len(s.Cos)
	if !v.check(len(s.Cov) == n, p+".cov", "must be %d×%d (got %d rows)", n, n, len(s.Cov)) {
		return
	}
	for i, row := range s.Cov {
		if !v.check(len(row) == n, p+".cov", "row %d has %d values, want %d", i, len(row), n) {
			return
		}
		for j, x := range row {
			v.check(!math.IsNaN(x) && !math.IsInf(x, 0) && x == s.Cov[j][i] && (i != j || x >= 0), p+".cov", "must be a finite symmetric covariance (row %d, column %d: %v)", i, j, x)
		}
	}
}

// seasonPlan is a compiled Season: its means and the Cholesky factor of
// its covariance.
type seasonPlan struct {
	mean []float64
	chol *mat.TriDense // nil for fixed
}

func newSeasonPlan(s *Season) (*seasonPlan, error) {
	if s == nil {
		return nil, nil
	}
	sp := &seasonPlan{mean: s.coef()}
	if len(s.Cov) == 0 {
		return sp, nil
	}
	n := len(sp.mean)
	cov := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			cov.SetSym(i, j, s.Cov[i][j])
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return nil, fmt.Errorf("arrival_season.cov: not positive definite")
	}
	sp.chol = mat.NewTriDense(n, mat.Lower, nil)
	ch.LTo(sp.chol)
	return sp, nil
}

// draw sets coef to a trial's coefficients: the means, plus the Cholesky
// factor times standard normals (z, a scratch buffer) unless fixed.
func (sp *seasonPlan) draw(st *rng.Stream, fixed bool, coef, z []float64) ([]float64, []float64) {
	coef = append(coef[:0], sp.mean...)
	if fixed || sp.chol == nil {
		return coef, z
	}
	n := len(coef)
	z = z[:0]
	for range n {
		z = append(z, st.NormFloat64())
	}
	for i := range n {
		for j := 0; j <= i; j++ {
			coef[i] += sp.chol.At(i, j) * z[j]
		}
	}
	return coef, z
}
