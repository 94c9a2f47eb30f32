#!/usr/bin/env bash
# Start or stop a multi-validator localnet of separate commonsd processes on 127.0.0.1.
#   scripts/localnet.sh start   # writes $LOCALNET (default .localnet) if missing, starts every node
#   scripts/localnet.sh stop    # SIGTERM to every node, waits for them to exit
# VALIDATORS (default 4) sets the size of a new network; RESET=1 deletes the old one first.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${LOCALNET:-.localnet}
n=${VALIDATORS:-4}
bin=${BIN:-build/commonsd}

start() {
  if [ -n "${RESET:-}" ]; then stop || true; rm -rf "$dir"; fi
  if [ ! -d "$dir" ]; then "$bin" localnet --validators "$n" --output "$dir"; fi
  for home in "$dir"/node*/; do
    home=${home%/}
    if [ -f "$home/pid" ] && kill -0 "$(cat "$home/pid")" 2>/dev/null; then
      echo "$home already running (pid $(cat "$home/pid"))"; continue
    fi
    nohup "$bin" start --home "$home" >>"$home/node.log" 2>&1 &
    echo $! >"$home/pid"
    echo "started $home (pid $!, log $home/node.log)"
  done
  echo "waiting for blocks…"
  for _ in $(seq 1 60); do
    if h=$("$bin" status -o json 2>/dev/null | grep -o '"latest_block_height": [0-9]*' | grep -o '[0-9]*$') && [ "${h:-0}" -ge 2 ]; then
      cat <<EOT
localnet is producing blocks (height $h). node0: RPC http://127.0.0.1:26657, API http://127.0.0.1:1317/api/v1
The README walkthrough works against it with:  F="--home $dir --keyring-backend test"
Each node's app hash:  for i in \$(seq 0 $((n-1))); do $bin status --node tcp://127.0.0.1:\$((26657+10*i)); done
Stop it with: make localnet-stop
EOT
      return 0
    fi
    sleep 1
  done
  echo "localnet did not produce blocks within 60s; see $dir/node*/node.log" >&2
  return 1
}

stop() {
  local any=0
  for pidf in "$dir"/node*/pid; do
    [ -f "$pidf" ] || continue
    pid=$(cat "$pidf")
    if kill -TERM "$pid" 2>/dev/null; then
      any=1
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
      echo "stopped $(dirname "$pidf") (pid $pid)"
    fi
    rm -f "$pidf"
  done
  [ $any = 1 ] || echo "no localnet nodes running in $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
