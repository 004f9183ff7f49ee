package document

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/funnelsim/funnelsim/model"
)

// Summary is a metric's summary over the trials: n, mean, mean_mcse, sd
// and p5 to p95 with their MCSEs (p50_mcse, say); nil where undefined.
type Summary map[string]*float64

// Num is x, or nil where x is not a finite number.
func Num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func quantileKey(p float64) string { return fmt.Sprintf("p%d", int(math.Round(100*p))) }

// SummaryOf is s as a Summary.
func SummaryOf(s model.Summary) Summary {
	out := Summary{"n": Num(float64(s.N)), "mean": Num(s.Mean), "mean_mcse": Num(s.MeanMCSE), "sd": Num(s.SD)}
	for _, q := range s.Quantiles {
		k := quantileKey(q.P)
		out[k], out[k+"_mcse"] = Num(q.Value), Num(q.MCSE)
	}
	return out
}

// Signed prints a difference in a metric with its sign: shares with three
// decimals, money whole with thousands separators, the others with one
// decimal.
func Signed(x *float64, m model.MetricInfo) string {
	switch {
	case x == nil:
		return "-"
	case m.Unit == model.Ratio:
		return fmt.Sprintf("%+.3f", *x)
	case m.Unit == model.Money && *x >= 0:
		return "+" + Thousands(*x)
	case m.Unit == model.Money:
		return Thousands(*x)
	}
	return fmt.Sprintf("%+.1f", *x)
}

// SE prints a standard error to two significant digits (whole, with
// thousands separators, from 100 up).
func SE(x *float64) string {
	if x == nil {
		return "-"
	}
	if math.Abs(*x) >= 100 {
		return Thousands(*x)
	}
	return strconv.FormatFloat(*x, 'g', 2, 64)
}

// MetricSE prints the standard error of a difference in metric m: as SE,
// and to two significant digits however small for a share.
func MetricSE(x *float64, m model.MetricInfo) string {
	if x != nil && m.Unit == model.Ratio && *x < 0.001 {
		return strconv.FormatFloat(*x, 'g', 2, 64)
	}
	return SE(x)
}

// Prob prints a probability to three decimals.
func Prob(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *x)
}

// Thousands prints x whole, with a comma every three digits.
func Thousands(x float64) string {
	s := fmt.Sprintf("%.0f", math.Abs(x))
	var b strings.Builder
	if x < 0 && s != "0" {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
