#!/usr/bin/env bash
# Soak: a 1-validator localnet under a steady transfer load, sampling the node's RSS every 15 s.
#   SOAK_RATE (default 4400 tx/s, ~70 % of the measured 1-validator saturation), SOAK_DURATION (10m).
# Prints the loadgen summary and the RSS series with its trend. Uses 127.0.0.1 ports 37000+.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build/commonsd-bench}
rate=${SOAK_RATE:-4400}
duration=${SOAK_DURATION:-10m}
dir=$(mktemp -d /tmp/commons-soak.XXXX)
trap 'kill "$(cat "$dir/pid" 2>/dev/null)" 2>/dev/null || true' EXIT
"$bin" localnet --validators 1 --output "$dir/net" --base-port 37000 --api-base-port 37900 >/dev/null
"$bin" start --home "$dir/net/node0" --api-enable=false --log-level warn >"$dir/node.log" 2>&1 &
echo $! >"$dir/pid"
pid=$(cat "$dir/pid")
sleep 4
( while kill -0 "$pid" 2>/dev/null; do echo "$(date +%s) $(ps -o rss= -p "$pid")" >>"$dir/rss.log"; sleep 15; done ) &
"$bin" loadgen --home "$dir/net" --keyring-backend test --from alice --node tcp://127.0.0.1:37001 \
  --accounts 1000 --rate "$rate" --duration "$duration" --drain 30s
python3 - "$dir/rss.log" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
t0 = rows[0][0]
rows = [(t - t0, r / 1024) for t, r in rows if t - t0 >= 60]  # after the first minute's warm-up
xs, ys = [r[0] for r in rows], [r[1] for r in rows]
n, mx, my = len(rows), sum(xs) / len(xs), sum(ys) / len(ys)
slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
third = max(n // 3, 1)
print(f"RSS after warm-up: {n} samples, min {min(ys):.0f} MiB, max {max(ys):.0f} MiB, linear trend {slope*60:+.1f} MiB/min")
print(f"troughs: first third {min(ys[:third]):.0f} MiB, last third {min(ys[-third:]):.0f} MiB; "
      f"peaks: first third {max(ys[:third]):.0f} MiB, last third {max(ys[-third:]):.0f} MiB")
print("series (s:MiB): " + " ".join(f"{x}:{y:.0f}" for x, y in rows))
PY
