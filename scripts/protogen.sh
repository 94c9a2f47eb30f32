#!/usr/bin/env bash
# Regenerates the committed gogoproto code from proto/. Installs its own generator tools when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
GOGO_VERSION=v1.7.2
if ! command -v protoc >/dev/null 2>&1; then
  echo "installing protoc (protobuf-compiler)…"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq protobuf-compiler >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq protobuf-compiler >/dev/null; fi
fi
GOBIN=$(go env GOPATH)/bin
if [ ! -x "$GOBIN/protoc-gen-gogofaster" ]; then
  echo "installing protoc-gen-gogofaster@$GOGO_VERSION…"
  GOFLAGS= go install github.com/cosmos/gogoproto/protoc-gen-gogofaster@$GOGO_VERSION
fi
export PATH="$GOBIN:$PATH"
# gogo generates one Go package per invocation, so each proto package is compiled on its own.
# gogo ignores the module= option, so it writes under the full import path and we copy out of it.
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
n=0
for dir in $(find proto -name '*.proto' -exec dirname {} \; | sort -u); do
  protoc -I proto --gogofaster_out="$out" "$dir"/*.proto
  n=$((n+1))
done
cp -r "$out"/github.com/commonsledger/commons/. .
echo "generated $n proto packages"
