package plots_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/sample"
)

// Fan draws revenue booked week by week with its bands and the target;
// Save writes it as PNG, SVG or PDF by the file's extension.
func ExampleFan() {
	r, err := model.Run(context.Background(), sample.Model(), model.Options{Trials: 2000, Weeks: 13, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plots.Fan(r, 800000)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "fan")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := plots.Save(p, filepath.Join(dir, "fan.svg")); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	// Output:
	// Revenue booked week by week: 37% chance of 800k USD by 18 February 2027
}
