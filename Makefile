# Commons Ledger. `make run` starts a devnet; `make test` runs the test suite.
GO        ?= go
BIN       := build/commonsd
DEVNET    ?= .devnet
GOBIN     := $(shell $(GO) env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2
# `make test` stays well under 20 minutes on 2 cores; TESTFLAGS adds flags (e.g. -run, -v).
TESTFLAGS ?=

.PHONY: all build run test test-short lint proto fuzz bench clean tools localnet localnet-stop

all: build

build:
	@mkdir -p build
	$(GO) build -o $(BIN) ./cmd/commonsd

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

test-short:
	$(GO) test -count=1 -short ./...

tools:
	@test -x $(GOBIN)/staticcheck || GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint: tools
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GOBIN)/staticcheck ./...

# Regenerate the committed gogoproto code (installs protoc and protoc-gen-gogofaster if missing).
proto:
	./scripts/protogen.sh

FUZZTIME ?= 30s
fuzz:
	$(GO) test ./x/auth -run '^$$' -fuzz FuzzDecode -fuzztime $(FUZZTIME)
	$(GO) test ./app -run '^$$' -fuzz FuzzCheckTx -fuzztime $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./app/... 

clean:
	rm -rf build
