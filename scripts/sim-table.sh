#!/usr/bin/env bash
# The fraud simulation tables of docs/integrity.md:
#   1. rings of 1, 5, 10 and 20 % of the members, with the production defences on and off (round-1 rules);
#   2. a ring of 10 % with each defence turned off alone (what each one buys, and what it costs);
#   3. a ring of 10 % with better reviewers (what detection the goal needs).
# MEMBERS, DAYS, SEED and JOBS (parallel runs, default 2) override the defaults. Each run's report,
# daily CSV and SVG chart go to OUT (artifacts/sim).
set -euo pipefail
BIN=${BIN:-build/commonsd}
MEMBERS=${MEMBERS:-1000}
DAYS=${DAYS:-90}
SEED=${SEED:-1}
JOBS=${JOBS:-2}
OUT=${OUT:-artifacts/sim}
mkdir -p "$OUT"
base="--members $MEMBERS --days $DAYS --seed $SEED"

# name|label|extra args
runs=(
  "ring0.01-on|1 %, defences on|--ring 0.01"
  "ring0.01-off|1 %, round-1 rules|--ring 0.01 --defences=false"
  "ring0.05-on|5 %, defences on|--ring 0.05"
  "ring0.05-off|5 %, round-1 rules|--ring 0.05 --defences=false"
  "ring0.1-on|10 %, defences on|--ring 0.1"
  "ring0.1-off|10 %, round-1 rules|--ring 0.1 --defences=false"
  "ring0.2-on|20 %, defences on|--ring 0.2"
  "ring0.2-off|20 %, round-1 rules|--ring 0.2 --defences=false"
  "no-reviewers|10 %, without drawn reviewers|--ring 0.1 --reviewers 0 --min-reviewer-approvals 0"
  "no-probation|10 %, without probation|--ring 0.1 --probation-days 0"
  "no-admission-limit|10 %, without the admission limit|--ring 0.1 --admissions-per-week 0"
  "daily-vouches|10 %, one-day vouch cooldown|--ring 0.1 --vouch-cooldown-days 1"
  "no-disputes|10 %, without disputes|--ring 0.1 --disputes=false"
  "detect0.9|10 %, reviewers detect 90 %, 5 % lazy|--ring 0.1 --detect 0.9 --lazy 0.05"
  "detect0.97|10 %, reviewers detect 97 %, none lazy|--ring 0.1 --detect 0.97 --lazy 0"
)

for r in "${runs[@]}"; do
  IFS='|' read -r name _ args <<<"$r"
  printf '%s\0' "$BIN sim --quiet $base $args --csv $OUT/$name.csv --plot $OUT/$name.svg > $OUT/$name.txt"
done | xargs -0 -P "$JOBS" -I{} sh -c {}

echo "| run | fraudulent share of minted | fraud reversed | honest hours lost | sybils | command |"
echo "|---|---:|---:|---:|---:|---|"
for r in "${runs[@]}"; do
  IFS='|' read -r name label args <<<"$r"
  f="$OUT/$name.txt"
  share=$(sed -n 's/^fraudulent share of minted hours: //p' "$f")
  rev=$(sed -n 's/^fraudulent minted hours reversed: \([^ ]*\).*/\1/p' "$f")
  loss=$(sed -n 's/^honest hours lost (rejected or reversed): //p' "$f")
  syb=$(sed -n 's/^sybils admitted: \([0-9]*\).*/\1/p' "$f"); grep -q "cap of" "$f" && syb="$syb (cap)"
  echo "| $label | $share | $rev | $loss | $syb | \`commonsd sim $base $args\` |"
done
