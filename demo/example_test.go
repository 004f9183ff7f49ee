package demo_test

import (
	"context"
	"fmt"
	"os"

	"github.com/funnelsim/funnelsim/demo"
	"github.com/funnelsim/funnelsim/document"
)

// The demo from Go: calibrate the embedded sample, forecast next quarter
// and compare the sample scenarios, then print the forecast as `simulate
// demo` does. (Not run as a test: it calibrates and self-checks the
// history, which TestDemoRun does with fewer trials.)
func ExampleRun() {
	d, err := demo.Run(context.Background(), demo.Options{Target: 800e3, Trials: 10000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := document.NewForecast(d.Forecast, 800e3).WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}
	fmt.Println(len(d.Comparison.Scenarios), "scenarios compared")
}
