package model_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// TestSeasonFile: a season survives the model file, and a bad one is an
// error naming arrival_season.
func TestSeasonFile(t *testing.T) {
	m := sample.Model()
	m.ArrivalSeason = &model.Season{Cos: []float64{0.3}, Sin: []float64{-0.1}, Cov: [][]float64{{1e-3, 1e-4}, {1e-4, 2e-3}}}
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	back, err := model.Decode(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if s := back.ArrivalSeason; s == nil || s.Cos[0] != 0.3 || s.Sin[0] != -0.1 || s.Cov[1][0] != 1e-4 {
		t.Errorf("season read back as %+v", back.ArrivalSeason)
	}
	for _, c := range []struct {
		s    model.Season
		want string
	}{
		{model.Season{Cos: []float64{0.3}}, "as many cos as sin"},
		{model.Season{Cos: []float64{2.5}, Sin: []float64{1}}, "add to 3.5"},
		{model.Season{Cos: []float64{0.3}, Sin: []float64{0.1}, Cov: [][]float64{{1, 2}, {3, 1}}}, "symmetric"},
		{model.Season{Cos: []float64{0.3}, Sin: []float64{0.1}, Cov: [][]float64{{1}}}, "must be 2×2"},
	} {
		m := sample.Model()
		m.ArrivalSeason = &c.s
		if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "arrival_season") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming arrival_season with %q", c.s, err, c.want)
		}
	}
	m.ArrivalSeason = &model.Season{Cos: []float64{0.3}, Sin: []float64{0.1}, Cov: [][]float64{{1, 2}, {2, 1}}}
	if _, err := model.Expect(m, 13); err == nil || !strings.Contains(err.Error(), "positive definite") {
		t.Errorf("a covariance that is not positive definite: %v", err)
	}
}
