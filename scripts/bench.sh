#!/usr/bin/env bash
# make bench: Go microbenchmarks, then Commons Ledger localnets (1 and 4 validators, separate
# processes on 127.0.0.1) and CometBFT v0.40's kvstore app (1 and 4 nodes) under the same rising
# offered load (same tx size, same timeout_commit), driven by `commonsd loadgen`. Prints one table.
# Transfers are presigned before each step, and neither side's block_results are fetched
# (--results=false), so the load generator costs both sides the same: HTTP broadcasts and blocks.
#   BENCH_QUICK=1   ~3 minute version (fewer, shorter steps; fewer benchmark iterations)
#   BENCH_MICRO=0   leave out the Go microbenchmarks (only the localnets)
#   BENCH_RUNS="ours1 kv1 ours4 kv4" (the default) or a subset, in that order
#   BIN=PATH        a commonsd built with -tags loadgen to measure (an older commit, for an A/B);
#                   without it the script builds build/commonsd-bench from this tree
#   BENCH_OUT=DIR   where results go (default build/bench); ports 36000-36499 on 127.0.0.1
#   BENCH_REPEAT=N  the whole comparison N times in a row, into DIR/rep1 … repN, then the median of
#                   the N ratios: the machine's speed drifts by ±15 % between quarter hours, which
#                   one run cannot tell from a difference between the apps
set -euo pipefail
self=$(realpath "$0")
cd "$(dirname "$0")/.."
bin=${BIN:-build/commonsd-bench}
out=${BENCH_OUT:-build/bench}
block_time=1s
if [ -n "${BENCH_QUICK:-}" ]; then
  rates=500,2000,4000,6000; step=6s; drain=6s; accounts=400
  micro_txs=3000x; micro_blocks=5x; micro_time=0.3s
else
  rates=250,500,1000,1500,2000,2500,3000,4000,5000,6000,7000,8000,10000,12000; step=20s; drain=10s; accounts=1000
  micro_txs=20000x; micro_blocks=30x; micro_time=1s
fi
rm -rf "$out"; mkdir -p "$out"
[ -n "${BIN:-}" ] || go build -tags loadgen -o "$bin" ./cmd/commonsd
if [ "${BENCH_REPEAT:-1}" -gt 1 ]; then
  micro=${BENCH_MICRO:-1}
  for i in $(seq 1 "$BENCH_REPEAT"); do
    echo "== repetition $i of $BENCH_REPEAT"
    BENCH_REPEAT=1 BENCH_MICRO=$micro BIN="$bin" BENCH_OUT="$out/rep$i" "$self"
    micro=0
  done
  # median of the numbers on stdin, one per line ("-" when there are none)
  median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
  echo
  echo "Ours ÷ kvstore over $BENCH_REPEAT repetitions (max committed tx/s; p99 at the highest step neither saturated):"
  for n in 1 4; do
    ratios=$(awk -v n="$n" '$1 == n {print $4}' "$out"/rep*/table.txt 2>/dev/null)
    p99=$(awk -v n="$n" '$1 == n {split($7, o, "/"); split($8, k, "/"); if (k[2] > 0) printf "%.2f\n", o[2] / k[2]}' "$out"/rep*/table.txt 2>/dev/null)
    printf '%s validator(s): ratios %s, median %s; p99 ratios %s, median %s\n' "$n" \
      "$(echo $ratios)" "$(echo "$ratios" | grep . | median)" "$(echo $p99)" "$(echo "$p99" | grep . | median)"
  done | tee "$out/summary.txt"
  exit 0
fi
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=(); }
trap cleanup EXIT

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
if [ "${BENCH_MICRO:-1}" != 0 ]; then
  echo "== Go microbenchmarks"
  go test -run '^$' -bench '^Benchmark(FinalizeBlock|CheckTx|CheckTxPool|ProcessProposal)$' -benchtime "$micro_txs" -benchmem ./app/ | tee "$out/micro-app.txt"
  go test -run '^$' -bench '^BenchmarkCommit$' -benchtime "$micro_blocks" -benchmem ./app/ | tee -a "$out/micro-app.txt"
  go test -run '^$' -bench . -benchtime "$micro_time" -benchmem ./app/store/ | tee "$out/micro-store.txt"
fi

cometbft=${COMETBFT:-$(go env GOPATH)/bin/cometbft}
if [ ! -x "$cometbft" ]; then
  echo "== installing cometbft v0.40.0 (kvstore)"
  GOFLAGS= go install github.com/cometbft/cometbft/cmd/cometbft@v0.40.0
fi

wait_rpc() { # port
  for _ in $(seq 1 120); do
    h=$(curl -s "http://127.0.0.1:$1/status" | jq -r '.result.sync_info.latest_block_height' 2>/dev/null || echo 0)
    [ "${h:-0}" != null ] && [ "${h:-0}" -ge 2 ] 2>/dev/null && return 0
    sleep 0.5
  done
  echo "node on port $1 did not produce blocks" >&2; return 1
}

# ours N: an N-validator Commons Ledger localnet; node i RPC on 36001+10i.
run_ours() {
  local n=$1 dir="$out/ours$1" nodes=""
  "$bin" localnet --validators "$n" --output "$dir" --base-port 36000 --api-base-port 36400 --block-time "$block_time" >/dev/null
  for i in $(seq 0 $((n-1))); do
    "$bin" start --home "$dir/node$i" >"$dir/node$i.log" 2>&1 &
    pids+=($!)
    nodes="$nodes${nodes:+,}tcp://127.0.0.1:$((36001+10*i))"
  done
  wait_rpc 36001
  echo "== Commons Ledger, $n validator(s): rates $rates"
  "$bin" loadgen --home "$dir" --keyring-backend test --from alice --nodes "$nodes" --accounts "$accounts" \
    --rate "$rates" --duration "$step" --drain "$drain" --results=false --stop-at-saturation -o json >"$out/ours$n.json"
  cleanup
  drop_data "$dir"
}

# drop_data DIR: the nodes' data once a run is over (about 1 GB a run, 12 GB over three
# repetitions); their logs and configs stay.
drop_data() { rm -rf "$1"/node*/data; }

# kv N: CometBFT's kvstore, N validators, same timeout_commit and mempool size as our localnet.
run_kv() {
  local n=$1 dir="$out/kv$1" nodes="" peers=""
  "$cometbft" testnet --v "$n" --o "$dir" --starting-ip-address 127.0.0.1 >/dev/null
  for i in $(seq 0 $((n-1))); do
    peers="$peers${peers:+,}$("$cometbft" show-node-id --home "$dir/node$i")@127.0.0.1:$((36200+10*i))"
  done
  for i in $(seq 0 $((n-1))); do
    local others
    others=$(echo "$peers" | tr ',' '\n' | grep -v ":$((36200+10*i))\$" | paste -sd, - || true)
    sed -i -e "s#^proxy_app = .*#proxy_app = \"kvstore\"#" \
      -e "0,/^laddr = .*/s##laddr = \"tcp://127.0.0.1:$((36201+10*i))\"#" \
      -e "/^\[p2p\]/,/^\[/s#^laddr = .*#laddr = \"tcp://127.0.0.1:$((36200+10*i))\"#" \
      -e "s#^persistent_peers = .*#persistent_peers = \"$others\"#" \
      -e "s#^addr_book_strict = .*#addr_book_strict = false#" \
      -e "s#^allow_duplicate_ip = .*#allow_duplicate_ip = true#" \
      -e "s#^timeout_commit = .*#timeout_commit = \"$block_time\"#" \
      -e "/^\[mempool\]/,/^\[/s#^size = .*#size = 10000#" \
      -e "s#^pprof_laddr = .*#pprof_laddr = \"\"#" \
      -e "s#^prometheus_listen_addr = .*#prometheus_listen_addr = \"127.0.0.1:$((36204+10*i))\"#" \
      "$dir/node$i/config/config.toml"
    "$cometbft" start --home "$dir/node$i" >"$dir/node$i.log" 2>&1 &
    pids+=($!)
    nodes="$nodes${nodes:+,}tcp://127.0.0.1:$((36201+10*i))"
  done
  wait_rpc 36201
  echo "== CometBFT kvstore, $n node(s): rates $rates"
  "$bin" loadgen --mix kvstore --nodes "$nodes" --tx-size "$txsize" \
    --rate "$rates" --duration "$step" --drain "$drain" --results=false --stop-at-saturation -o json >"$out/kv$n.json"
  cleanup
  drop_data "$dir"
}

runs=${BENCH_RUNS:-ours1 kv1 ours4 kv4}
txsize=177 # a signed transfer's size; read from our run when there is one
for r in $runs; do
  case $r in
    ours1|ours4) run_ours "${r#ours}"; txsize=$(jq .tx_bytes "$out/$r.json") ;;
    kv1|kv4) run_kv "${r#kv}" ;;
    *) echo "BENCH_RUNS: unknown run $r (ours1 kv1 ours4 kv4)" >&2; exit 2 ;;
  esac
done
[ "$runs" = "ours1 kv1 ours4 kv4" ] || { echo "(partial run: $runs; results in $out)"; exit 0; }

# One table: committed tx/s at saturation (ours ÷ kvstore), what the load generator managed to send
# each at that step (sent ≈ committed: send-bound, the machine's CPU shared with the load generator;
# sent > committed: the node is the bound), and latency at the highest offered load that neither
# saturated.
# sent_at FILE: the tx/s sent at the step that committed the most.
sent_at() { jq -r '.max_committed_tps as $m | [.steps[] | select(.committed_tps == $m) | .sent_tps | round] | .[0] // "-"' "$1"; }
table() {
  echo
  echo "Commons Ledger vs CometBFT kvstore: $txsize-byte txs, timeout_commit $block_time, $(nproc) cores, steps of $step"
  printf '%-11s %12s %12s %8s %16s %10s %16s %16s\n' validators "ours tx/s" "kvstore tx/s" ratio "sent ours/kv" "at tx/s" "ours p50/p99 ms" "kv p50/p99 ms"
  for n in 1 4; do
    local o="$out/ours$n.json" k="$out/kv$n.json"
    local om km r
    om=$(jq .max_committed_tps "$o"); km=$(jq .max_committed_tps "$k")
    r=$(jq -n --argjson a "$om" --argjson b "$km" 'if $b > 0 then ($a / $b * 100 | round / 100) else 0 end')
    local at
    at=$(jq -n --slurpfile o "$o" --slurpfile k "$k" '
      [$o[0].steps[] | select(.saturated | not) | .offered_tps] as $a |
      [$k[0].steps[] | select(.saturated | not) | .offered_tps] as $b |
      [$a[] | select(. as $x | $b | index($x))] | max // 0')
    local ol kl
    ol=$(jq -r --argjson r "$at" '.steps[] | select(.offered_tps == $r) | "\(.p50_ms|round)/\(.p99_ms|round)"' "$o")
    kl=$(jq -r --argjson r "$at" '.steps[] | select(.offered_tps == $r) | "\(.p50_ms|round)/\(.p99_ms|round)"' "$k")
    printf '%-11s %12.0f %12.0f %8s %16s %10s %16s %16s\n' "$n" "$om" "$km" "$r" "$(sent_at "$o")/$(sent_at "$k")" "$at" "${ol:--}" "${kl:--}"
  done
}
table | tee "$out/table.txt"
echo "(per-step results: $out/{ours,kv}{1,4}.json; microbenchmarks: $out/micro-*.txt)"
