#!/bin/bash
# Runs every fuzz harness (tests/fuzz/README.md) for SECONDS each, JOBS at a
# time (default 2), under AddressSanitizer and UndefinedBehaviorSanitizer, and
# prints per harness the executions, the corpus size and the findings
# (crash-*, timeout-*, oom-* files), then the totals. Builds the `fuzz` preset
# first. Findings and the grown corpora stay in build/fuzz/long/.
#   scripts/fuzz_long.sh 3600        # one hour per harness
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:?usage: scripts/fuzz_long.sh SECONDS [JOBS]}"
jobs="${2:-2}"
[[ "$seconds" =~ ^[0-9]+$ && "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz_long: SECONDS and JOBS must be whole numbers" >&2; exit 2; }
cmake --preset fuzz >/dev/null && cmake --build --preset fuzz >/dev/null
harnesses=(fuzz_trace fuzz_run_file fuzz_section fuzz_network fuzz_energy_table fuzz_memo fuzz_overrides)
out=build/fuzz/long
mkdir -p "$out"
run_one() {
  local name="$1" dir="$out/$1"
  mkdir -p "$dir/corpus"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    nice "build/fuzz/tests/fuzz/$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" "tests/fuzz/corpus/$name" >"$dir/log.txt" 2>&1 || true
}
for name in "${harnesses[@]}"; do
  while (( $(jobs -rp | wc -l) >= jobs )); do wait -n; done
  run_one "$name" &
done
wait
total=0 findings=0
printf '%-18s %14s %8s %7s %8s %5s\n' harness executions corpus crashes timeouts ooms
for name in "${harnesses[@]}"; do
  dir="$out/$name"
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$dir/log.txt" | tail -1 | awk '{print $2}')
  runs="${runs:-0}"
  crashes=$(find "$dir" -maxdepth 1 -name 'crash-*' | wc -l)
  timeouts=$(find "$dir" -maxdepth 1 -name 'timeout-*' | wc -l)
  ooms=$(find "$dir" -maxdepth 1 -name 'oom-*' | wc -l)
  corpus=$(find "$dir/corpus" -type f | wc -l)
  printf '%-18s %14s %8s %7s %8s %5s\n' "$name" "$runs" "$corpus" "$crashes" "$timeouts" "$ooms"
  total=$((total + runs)); findings=$((findings + crashes + timeouts + ooms))
done
printf '%-18s %14s %8s %7s\n' total "$total" "" "$findings findings"
(( findings == 0 ))
