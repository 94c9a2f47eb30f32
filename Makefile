# Commons Ledger. `make run` starts a devnet; `make test` runs the test suite.
GO        ?= go
BIN       := build/commonsd
DEVNET    ?= .devnet
GOBIN     := $(shell $(GO) env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2
# `make test` stays well under 20 minutes on 2 cores; TESTFLAGS adds flags (e.g. -run, -v).
TESTFLAGS ?=

.PHONY: all build build-bench run test test-big test-short lint proto fuzz crash bench bench-scale clean tools localnet localnet-stop soak adversarial sim

all: build

build:
	@mkdir -p build
	$(GO) build -o $(BIN) ./cmd/commonsd

# commonsd with the benchmark tools (`loadgen`) compiled in; the validator binary leaves them out.
BENCH_BIN := build/commonsd-bench
build-bench:
	@mkdir -p build
	$(GO) build -tags loadgen -o $(BENCH_BIN) ./cmd/commonsd

# Start (or resume) the single-validator devnet in $(DEVNET). RESET=1 starts afresh.
run: build
	$(BIN) devnet --home $(DEVNET) $(if $(RESET),--reset,)

# A 4-validator localnet of separate processes in .localnet/ (RESET=1 writes a new one).
localnet: build
	./scripts/localnet.sh start

localnet-stop:
	./scripts/localnet.sh stop

test: build
	$(GO) test -count=1 -timeout 25m $(TESTFLAGS) ./...

# The export/import round trip of a 100 MB state (`make test` runs it at 25 MB).
test-big:
	COMMONS_BIG=1 $(GO) test -count=1 -timeout 30m -run '^TestExportImportLargeState$$' -v ./app

test-short:
	$(GO) test -count=1 -short ./...

tools:
	@test -x $(GOBIN)/staticcheck || GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint: tools
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags loadgen ./cmd/commonsd
	$(GOBIN)/staticcheck ./...
	$(GOBIN)/staticcheck -tags loadgen ./cmd/commonsd

# Regenerate the committed gogoproto code (installs protoc and protoc-gen-gogofaster if missing).
proto:
	./scripts/protogen.sh

# Every fuzz target in the module, each for FUZZTIME (go test runs one -fuzz target at a time).
FUZZTIME ?= 30s
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' app x cmd config abci 2>/dev/null | sort); do \
		for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "== ./$$(dirname $$f) $$target ($(FUZZTIME))"; \
			$(GO) test ./$$(dirname $$f) -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME); \
		done; \
	done

# The crash matrix with CRASH_KILLS random SIGKILLs under load (`make test` runs it with 5).
CRASH_KILLS ?= 100
crash: build
	CRASH_KILLS=$(CRASH_KILLS) $(GO) test -count=1 -timeout 4h -run '^TestCrashMatrix$$' -v ./cmd/commonsd

# The adversarial run for ADVERSARIAL_DURATION on a 4-validator localnet: a colluding ring at the
# per-sender maximum of maximal txs, a stranger flooding unknown-key txs, an honest sender (see
# RELIABILITY.md; `make test` runs it for 20 s). ADVERSARIAL_HEAP_DIR=DIR saves node0's heap
# profile at each full minute.
ADVERSARIAL_DURATION ?= 5m
adversarial: build
	ADVERSARIAL_DURATION=$(ADVERSARIAL_DURATION) $(GO) test -count=1 -timeout 1h -run '^TestAdversarialLocalnet$$' -v ./cmd/commonsd

# Microbenchmarks, then 1- and 4-validator localnets vs CometBFT's kvstore under rising load, one
# table (~15 min; BENCH_QUICK=1 for ~3 min). See BENCHMARKS.md.
bench: build-bench
	BIN=$(BENCH_BIN) ./scripts/bench.sh

# The state at 10k, 100k and 1M members (10 claims each), built on disk: FinalizeBlock tx/s, Commit,
# API p50/p99, disk per member and claim, snapshot and state sync (BENCHMARKS.md, "Scale").
# SCALE=10000,100000 for a shorter run; the 1M state needs ~10 GB of disk and most of an hour to
# build. COMMONS_SCALE_SNAPSHOT=0 leaves the snapshot out; COMMONS_SCALE_PROFILE=DIR profiles the
# measured blocks.
SCALE ?= 10000,100000,1000000
bench-scale:
	COMMONS_SCALE=$(SCALE) go test -run '^$$' -bench BenchmarkScale -benchtime 1x -timeout 0 ./app/

# 10 minutes at ~70 % of the 1-validator saturation, sampling the node's memory, with heap profiles
# after warm-up and at the end (see BENCHMARKS.md). SOAK_DURATION=60m as recorded there.
soak: build-bench
	BIN=$(BENCH_BIN) ./scripts/soak.sh

# The fraud simulation table of docs/integrity.md (rings of 1–20 %, defences on and off; 1,000
# members over 90 days each). MEMBERS=200 DAYS=30 for a quick look.
sim: build
	BIN=build/commonsd ./scripts/sim-table.sh

clean:
	rm -rf build
