#!/usr/bin/env bash
# Soak: a 1-validator localnet under a steady transfer load, sampling the node's RSS (all, and
# anonymous: the rest is Badger's memory-mapped tables) every 15 s.
#   SOAK_RATE (default 2400 tx/s, ~70 % of the 1-validator saturation measured on 2026-11-30,
#   3,474 tx/s), SOAK_DURATION (10m).
# Prints the loadgen summary and the RSS series with its trend. Uses 127.0.0.1 ports 37000+.
# Heap profiles (after a forced GC) are taken from the node's pprof endpoint when the warm-up ends
# (SOAK_WARMUP, default 5m) and 30 s before the load stops, and compared. Between them the live heap
# after a GC is sampled every minute: Badger's memtables (one ~166 MB arena each, up to five) and
# flush buffers come and go, so one sample at each end can differ by hundreds of MB without a leak;
# the floor of the first ten samples is compared with the floor of the last ten. Profiles and logs
# stay in SOAK_OUT (default build/soak).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-build/commonsd-bench}
rate=${SOAK_RATE:-2400}
duration=${SOAK_DURATION:-10m}
warmup=${SOAK_WARMUP:-5m}
out=${SOAK_OUT:-build/soak}
dir=$(mktemp -d /tmp/commons-soak.XXXX)
mkdir -p "$out"
secs() { python3 -c 'import re,sys; print(sum(int(n)*{"h":3600,"m":60,"s":1}[u] for n,u in re.findall(r"(\d+)([hms])", sys.argv[1])))' "$1"; }
# At exit: stop the node, then drop its home (about 8 GB after an hour; the logs and profiles are
# in SOAK_OUT).
trap 'kill "$(cat "$dir/pid" 2>/dev/null)" 2>/dev/null || true; wait; rm -rf "$dir"' EXIT
"$bin" localnet --validators 1 --output "$dir/net" --base-port 37000 --api-base-port 37900 >/dev/null
sed -i -e 's#^pprof_laddr = .*#pprof_laddr = "127.0.0.1:37060"#' "$dir/net/node0/config/config.toml"
"$bin" start --home "$dir/net/node0" --api-enable=false --log-level warn >"$dir/node.log" 2>&1 &
echo $! >"$dir/pid"
pid=$(cat "$dir/pid")
sleep 4
# RSS, and its anonymous part (heap, stacks): the rest is file-backed, mostly Badger's memory-mapped tables
( while kill -0 "$pid" 2>/dev/null; do
    echo "$(date +%s) $(awk '/^VmRSS:/{r=$2} /^RssAnon:/{a=$2} END{print r, a}' "/proc/$pid/status")" >>"$dir/rss.log"; sleep 15
  done ) &
heap() { # heap NAME: a heap profile after a GC, and the runtime's own figures
  curl -sf "http://127.0.0.1:37060/debug/pprof/heap?gc=1" -o "$out/heap-$1.pb.gz"
  curl -sf "http://127.0.0.1:37060/debug/pprof/heap?gc=1&debug=1" | grep -E '^# (HeapAlloc|HeapInuse|HeapObjects|Sys) ' >"$out/heap-$1.txt"
  echo "heap $1 at $(date -u +%H:%M:%S): $(tr '\n' ' ' <"$out/heap-$1.txt")"
}
sample() { # the live heap after a GC, one line of heap.log: seconds since start, HeapAlloc, HeapInuse
  curl -sf "http://127.0.0.1:37060/debug/pprof/heap?gc=1&debug=1" |
    awk -v t="$(( $(date +%s) - t0 ))" '/^# HeapAlloc /{a=$4} /^# HeapInuse /{i=$4} END{if (a) print t, a, i}' >>"$out/heap.log"
}
t0=$(date +%s)
: >"$out/heap.log"
( sleep "$(secs "$warmup")"; heap start
  end=$(( t0 + $(secs "$duration") - 30 ))
  while [ "$(date +%s)" -lt $(( end - 60 )) ]; do sample; sleep 60; done
  sleep $(( end - $(date +%s) > 0 ? end - $(date +%s) : 0 )); heap end; sample ) &
profiler=$!
"$bin" loadgen --home "$dir/net" --keyring-backend test --from alice --node tcp://127.0.0.1:37001 \
  --accounts 1000 --rate "$rate" --duration "$duration" --drain 30s
wait "$profiler" || echo "soak: a heap profile could not be taken" >&2
cp "$dir/rss.log" "$dir/node.log" "$out/" 2>/dev/null || true
python3 - "$out/heap-start.txt" "$out/heap-end.txt" <<'PY'
import sys
def inuse(p):
    return {l.split()[1]: int(l.split()[3]) for l in open(p)}
a, b = inuse(sys.argv[1]), inuse(sys.argv[2])
print(f"live heap after GC: start {a['HeapAlloc']/2**20:.1f} MiB, end {b['HeapAlloc']/2**20:.1f} MiB "
      f"({(b['HeapAlloc']/a['HeapAlloc']-1)*100:+.1f} %); HeapInuse {a['HeapInuse']/2**20:.1f} -> {b['HeapInuse']/2**20:.1f} MiB; "
      f"objects {a['HeapObjects']} -> {b['HeapObjects']}")
PY
python3 - "$out/heap.log" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 3]
if len(rows) >= 4:
    k = min(10, len(rows) // 2)
    first, last = min(r[1] for r in rows[:k]), min(r[1] for r in rows[-k:])
    print(f"live heap floor (min after GC of {k} samples a minute apart): first {first/2**20:.1f} MiB, "
          f"last {last/2**20:.1f} MiB ({(last/first-1)*100:+.1f} %)")
    med = lambda xs: sorted(xs)[len(xs) // 2]
    m1, m2 = med([r[1] for r in rows[:k]]), med([r[1] for r in rows[-k:]])
    print(f"live heap median of the same samples: first {m1/2**20:.1f} MiB, last {m2/2**20:.1f} MiB ({(m2/m1-1)*100:+.1f} %)")
    print("heap series (s:MiB): " + " ".join(f"{t}:{a/2**20:.0f}" for t, a, _ in rows))
PY
for p in start end; do echo "top of heap-$p (inuse_space):"; go tool pprof -sample_index=inuse_space -top -nodecount 12 "$out/heap-$p.pb.gz" 2>/dev/null | sed -n '1,18p'; done
echo "growth, end minus start:"; go tool pprof -sample_index=inuse_space -top -nodecount 12 -diff_base "$out/heap-start.pb.gz" "$out/heap-end.pb.gz" 2>/dev/null | sed -n '1,18p'
python3 - "$dir/rss.log" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 3]
t0 = rows[0][0]
rows = [(t - t0, r / 1024, a / 1024) for t, r, a in rows if t - t0 >= 60]  # after the first minute's warm-up
for name, col in (("RSS", 1), ("anonymous RSS", 2)):
    xs, ys = [r[0] for r in rows], [r[col] for r in rows]
    n, mx, my = len(rows), sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    third = max(n // 3, 1)
    print(f"{name} after warm-up: {n} samples, min {min(ys):.0f} MiB, max {max(ys):.0f} MiB, linear trend {slope*60:+.1f} MiB/min; "
          f"troughs: first third {min(ys[:third]):.0f} MiB, last third {min(ys[-third:]):.0f} MiB")
print("series (s:RSS/anon MiB): " + " ".join(f"{x}:{r:.0f}/{a:.0f}" for x, r, a in rows))
PY
