#!/bin/sh
# tests/fuzz/make_memo_seed.sh [QTSIM]
# Rewrites corpus/fuzz_memo/tiny3_fast.cbor: a real memo file of
# tests/fixtures/configs/tiny3_network.json on the default hardware, in fast
# mode, as fuzz_memo expects. A memo's key includes the timing model's hash,
# so rerun this whenever a timing source changes (else the seed only reaches
# the "stale" answer). QTSIM: the program (default build/release/qtsim).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
qtsim=${1:-$root/build/release/qtsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/run.json" <<JSON
{"workload": {"network": "$root/tests/fixtures/configs/tiny3_network.json",
              "trace": "$root/tests/fixtures/traces/small_valid.json"},
 "policy": {"impl": "class_difficulty", "tiers": [
   {"name": "hard", "precision": {"act_bits": 8, "weight_bits": 8, "grad_bits": 16}},
   {"name": "easy", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}, "min_accuracy": 0.8}]}}
JSON
"$qtsim" run "$work/run.json" --memo "$work/memo" --out "$work/out" > /dev/null
set -- "$work"/memo/*.cbor
[ "$#" -eq 1 ] || { echo "make_memo_seed: expected one memo file, got: $*" >&2; exit 1; }
cp "$1" "$root/tests/fuzz/corpus/fuzz_memo/tiny3_fast.cbor"
echo "make_memo_seed: wrote tests/fuzz/corpus/fuzz_memo/tiny3_fast.cbor"
