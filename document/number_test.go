package document_test

import (
	"math"
	"testing"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
)

func TestNumbers(t *testing.T) {
	money := model.MetricInfo{Name: "revenue", Unit: model.Money}
	ratio := model.MetricInfo{Name: "win_rate", Unit: model.Ratio}
	count := model.MetricInfo{Name: "wins", Unit: model.Count}
	weeks := model.MetricInfo{Name: "cycle_weeks", Unit: model.Weeks}
	x := func(v float64) *float64 { return &v }
	cases := []struct{ got, want string }{
		{document.Thousands(1234567.4), "1,234,567"},
		{document.Thousands(-999.6), "-1,000"},
		{document.Thousands(-0.2), "0"},
		{document.Value(x(812345), money, false), "812,345"},
		{document.Value(x(0.31234), ratio, false), "31.2%"},
		{document.Value(x(25.44), count, true), "25.4"},
		{document.Value(x(25.44), count, false), "25"},
		{document.Value(x(9.25), weeks, false), "9.2"},
		{document.Value(nil, money, false), "-"},
		{document.Signed(x(1200), money), "+1,200"},
		{document.Signed(x(-1200), money), "-1,200"},
		{document.Signed(x(0.0123), ratio), "+0.012"},
		{document.Signed(x(-2.25), count), "-2.2"},
		{document.SE(x(0.01234)), "0.012"},
		{document.SE(x(1234.5)), "1,234"},
		{document.MetricSE(x(0.000123), ratio), "0.00012"},
		{document.Prob(x(0.5)), "0.500"},
		{document.Prob(nil), "-"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
	if document.Num(math.NaN()) != nil || document.Num(math.Inf(1)) != nil || *document.Num(2) != 2 {
		t.Error("Num keeps only finite numbers")
	}
}
