GO ?= go

.PHONY: build test demo bench check validate

build:
	$(GO) build -o bin/simulate ./cmd/simulate

# vet, then every test under the race detector.
test:
	$(GO) vet ./...
	$(GO) test -race ./...

# The main job on the embedded sample company: next quarter's forecast
# against a 800k revenue target.
demo:
	$(GO) run ./cmd/simulate forecast --target 800000

# Engine, sampler and memory benchmarks, reported as medians.
bench:
	./scripts/bench.sh

# Parameter recovery over 50 generated histories (docs/VALIDATION.md).
validate:
	$(GO) test -run 'TestRecovery|TestNaiveIsBiased' -v -count 1 ./calibrate/ -replicates 50

check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
