package examples_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"testing"

	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/generate"
	"github.com/funnelsim/funnelsim/sample"
)

// TestTruthIsTheSampleCompany keeps the truth file the sample company.
func TestTruthIsTheSampleCompany(t *testing.T) {
	var buf bytes.Buffer
	if err := sample.Company().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), examples.TruthYAML()) {
		t.Fatal("examples/sample-truth.yaml is not the sample company; rewrite it with the command in examples.go")
	}
	if _, err := sample.DecodeTruth(examples.TruthYAML()); err != nil {
		t.Fatal(err)
	}
}

// TestHistoryIsGenerated checks that the committed history is exactly what
// the generator writes from the truth file, so that it is evidence of
// nothing but the generator.
func TestHistoryIsGenerated(t *testing.T) {
	truth, err := sample.DecodeTruth(examples.TruthYAML())
	if err != nil {
		t.Fatal(err)
	}
	h, err := generate.Generate(context.Background(), truth, generate.Options{Seed: examples.HistorySeed, Weeks: examples.HistoryWeeks})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := h.WriteCSV(context.Background(), &want, truth.AsOf.Time); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(examples.HistoryGz()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("examples/sample-history.csv.gz is not what the generator writes; rewrite it with the command in examples.go")
	}
	var spend bytes.Buffer
	if err := h.WriteSpendCSV(&spend, truth.AsOf.Time); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(spend.Bytes(), examples.SpendCSV()) {
		t.Fatal("examples/sample-spend.csv is not what the generator writes; rewrite it with the command in examples.go")
	}
}
