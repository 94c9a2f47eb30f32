#!/usr/bin/env bash
# The fraud simulation table of docs/integrity.md: rings of 1, 5, 10 and 20 % of the members, each
# with the defences on and off (round-1 rules). MEMBERS, DAYS and SEED override the defaults.
set -euo pipefail
BIN=${BIN:-build/commonsd}
MEMBERS=${MEMBERS:-1000}
DAYS=${DAYS:-90}
SEED=${SEED:-1}
OUT=${OUT:-artifacts/sim}
mkdir -p "$OUT"
echo "| ring | defences | fraudulent share of minted | fraud reversed | honest hours lost | sybils | command |"
echo "|---|---|---:|---:|---:|---:|---|"
for ring in 0.01 0.05 0.1 0.2; do
  for def in true false; do
    args="--members $MEMBERS --ring $ring --days $DAYS --seed $SEED --defences=$def"
    name="$OUT/ring$ring-defences-$def"
    "$BIN" sim --quiet $args --csv "$name.csv" --plot "$name.svg" > "$name.txt"
    share=$(sed -n 's/^fraudulent share of minted hours: //p' "$name.txt")
    rev=$(sed -n 's/^fraudulent minted hours reversed: \([^ ]*\).*/\1/p' "$name.txt")
    loss=$(sed -n 's/^honest hours lost (rejected or reversed): //p' "$name.txt")
    syb=$(sed -n "s/^sybils admitted: \([0-9]*\).*/\1/p" "$name.txt"); grep -q "cap of" "$name.txt" && syb="$syb (cap)"
    echo "| ${ring} | ${def/true/on} | $share | $rev | $loss | $syb | \`commonsd sim $args\` |" | sed 's/| false |/| off |/'
  done
done
