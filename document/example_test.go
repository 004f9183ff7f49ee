package document_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// A forecast's document is what `simulate forecast --json` prints; a Go
// program gets it from the result.
func ExampleNewForecast() {
	r, err := model.Run(context.Background(), sample.Model(), model.Options{Trials: 500, Seed: 1})
	if err != nil {
		panic(err)
	}
	doc := document.NewForecast(r, 800000)
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		panic(err)
	}
	fmt.Println(doc.Trials, doc.Weeks, len(doc.Weekly) == doc.Weeks, doc.PTarget != nil)
	fmt.Println(back["metrics"].(map[string]any)["revenue"].(map[string]any)["p50"] != nil)
	fmt.Println(math.IsNaN(*doc.Target))
	// Output:
	// 500 13 true true
	// true
	// false
}
