package trials_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/trials"
)

// Write stores a shard's trials in Parquet with the run's metadata; Read
// and Merge join the shards into the results one run over every trial
// gives, here two shards of 500 trials of a forecast of 1,000.
func ExampleMerge() {
	m := sample.Model()
	ctx := context.Background()
	var shards []*trials.File
	for i := range 2 {
		o := model.Options{Trials: 500, FirstTrial: 500 * i, Weeks: 13, Seed: 1}
		r, err := model.Run(ctx, m, o)
		if err != nil {
			fmt.Println(err)
			return
		}
		run, err := trials.NewRun("forecast", "example", []byte("the model file\n"), nil, []*model.Result{r}, 1000)
		if err != nil {
			fmt.Println(err)
			return
		}
		var buf bytes.Buffer
		if err := trials.Write(&buf, run, []*model.Result{r}); err != nil {
			fmt.Println(err)
			return
		}
		f, err := trials.Read(fmt.Sprintf("shard-%d.parquet", i), bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			fmt.Println(err)
			return
		}
		shards = append(shards, f)
	}
	merged, err := trials.Merge(ctx, shards, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer merged.Close()
	whole, err := model.Run(ctx, m, model.Options{Trials: 1000, Weeks: 13, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := merged.Results[0].Metric("revenue")
	b, _ := whole.Metric("revenue")
	same := len(a) == len(b)
	for i := range a {
		same = same && a[i] == b[i]
	}
	fmt.Printf("%d trials merged; the same as one run of them all: %v\n", len(a), same)
	// Output:
	// 1000 trials merged; the same as one run of them all: true
}
