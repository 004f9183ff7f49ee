GO ?= go

.PHONY: build test demo bench check validate e2e charts accuracy fuzz slurm-e2e

build:
	$(GO) build -o bin/simulate ./cmd/simulate

# vet, then every test under the race detector but the slowest statistical
# ones (-short), which run next without it: they replicate calibrations
# and forecasts whose concurrency the other tests already race-check.
test:
	$(GO) vet ./...
	$(GO) test -race -short ./...
	$(GO) test -run 'TestForecastPIT|TestBacktestGenerated|TestBacktestRealData|TestDeterminism|TestInterrupt|TestExpectOracle|TestRevenueVarianceOracle|TestMoreCapacityNeverLowersWins|TestSQLRuleRecoversTruth|TestMoreReps|TestSeasonRecovery|TestCSVOutputs|TestOutputDocumented|TestRecoversTruth|TestSeekLeadsMatchesSweep|TestCompareFindsHistory|TestInitPlan|TestMergeMatchesOneMachine|TestMergeRefusesOtherInputs|TestMergeEqualsOneRun|TestJoinEqualsOneRun|TestPortfolioSums|TestSeekFromValues|TestGridRowsAreSweeps|TestManifestsRun|TestBadInputCatalogue|TestCloseCapacityRampUp|TestOptimizeTruths|TestOptimizeDeterministic|TestOptimizeRobust|TestQuarterCycleRecovery|TestMavenQuarter|TestQuarterCommands|TestRecovery$$|TestConversionDrift|TestDemo$$|TestReport$$|TestBacktestCommand$$|TestSelfCheck$$|TestCombine|TestDemoRun|TestShockRecovery' ./calibrate ./backtest ./cmd/simulate ./model ./scenarios ./qualify ./trials ./deploy/k8s ./quarter ./demo

# The main job on the embedded sample: calibrate its two-year CRM history,
# then forecast next quarter against a 800k revenue target.
demo:
	$(GO) run ./cmd/simulate demo --out out/demo

# Whole-process times and memory, the engine beside the NumPy peer, the
# Go benchmarks and the guard against slow creep, as medians; writes
# docs/BENCHMARKS.md and fails when the guard falls 15% below the ratio
# recorded there (RECORD=1 records this run's).
bench:
	RECORD=$(RECORD) ./scripts/bench.sh

# Parameter recovery over 50 generated histories and forecast calibration
# (PIT) over 100 generated futures (docs/VALIDATION.md); forecasts and
# comparisons in 1, 2, 3 and 7 shards, merged, against one machine's; the
# short corpus of worlds against the skill and coverage docs/ACCURACY.md
# records; the budget optimizer against brute force on three truths.
validate:
	$(GO) test -run 'TestRecovery|TestNaiveIsBiased|TestForecastPIT|TestSeasonRecovery' -v -count 1 -timeout 60m ./calibrate/ -replicates 50 -pit-replicates 100 -season-replicates 40
	$(GO) test -run 'TestMergeMatchesOneMachine' -count 1 ./cmd/simulate/ -merge-all
	$(GO) test -run 'TestShortCorpus' -count 1 -v ./backtest/corpus/
	$(GO) test -run 'TestOptimizeTruths' -count 1 -v -timeout 30m ./scenarios/ -optimize-all

# gofmt, vet and staticcheck (fetched at its pinned version by go run).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# The demo's meeting report rendered in headless Chromium (installed from
# Debian's packages when missing): no console errors, every chart, not
# blank, one printed page; and every command of the README, in order.
e2e:
	./scripts/e2e.sh

# Sharded forecast and comparison on a one-node Slurm cluster started here
# (Debian's slurm-wlm and munge, installed when missing), merged and
# checked byte for byte against one machine's run.
slurm-e2e:
	./scripts/slurm-e2e.sh

# The README's charts, from the demo, the optimizer and Maven's quarter.
charts:
	$(GO) run ./cmd/simulate demo --out out/demo >/dev/null
	mkdir -p docs/img
	cp out/demo/charts/fan.png out/demo/charts/scenarios.png out/demo/charts/funnel-scenario.png docs/img/
	$(GO) run ./cmd/simulate optimize --weeks 26 --target 1.6M --plots out/optimize >/dev/null
	cp out/optimize/frontier.png docs/img/
	# Maven's quarter, where ../shared/data holds its export.
	if [ -f ../shared/data/maven-crm-sales-opportunities/sales_pipeline.csv ]; then \
	  $(GO) run ./cmd/simulate calibrate --history ../shared/data/maven-crm-sales-opportunities/sales_pipeline.csv --stages engaging --max-rejected 0.1 --as-of 2017-11-15 --map lead_id=opportunity_id,created_at=engage_date,outcome=deal_stage,closed_at=close_date,amount=close_value,rep=sales_agent -o out/maven.yaml >/dev/null && \
	  $(GO) run ./cmd/simulate forecast --model out/maven.yaml --quarter 2017Q4 --target 2.8M --plots out/maven >/dev/null && \
	  cp out/maven/fan.png docs/img/quarter-fan.png; fi

# docs/ACCURACY.md: the rolling-origin backtest, with the command line's
# defaults, of the corpus of worlds: 41 generated histories and, where
# ../shared/data holds them, Maven, Olist and the six-year log.
accuracy:
	./scripts/accuracy.sh

# Each fuzz target for a short time (FUZZTIME, default 10s).
fuzz:
	./scripts/fuzz.sh
