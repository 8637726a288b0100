#!/usr/bin/env bash
# ml-monitor on the development parts of two public benchmarks, through the command line
# (./ghost ml detect / templates) and the benchmarks' own scorers:
#   NAB v1.1: standard, low-FP and low-FN scores over the corpus and per category;
#   LogHub-2k: grouping accuracy (and F1) per system.
# BENCHMARKS (default ../shared/benchmarks beside the repository) holds nab-dev/ and loghub-dev/;
# OUT (default a fresh temporary directory) receives the detector and parser outputs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCHMARKS=${BENCHMARKS:-$ROOT/../shared/benchmarks}
OUT=${OUT:-$(mktemp -d)}
[ -d "$BENCHMARKS/nab-dev" ] && [ -d "$BENCHMARKS/loghub-dev" ] || { echo "no nab-dev/ and loghub-dev/ under $BENCHMARKS (set BENCHMARKS)" >&2; exit 2; }
cd "$ROOT"
./mvnw -q -B -pl ml-monitor -am package -DskipTests

echo "== NAB (nab-dev, $(find "$BENCHMARKS/nab-dev/data" -name '*.csv' | wc -l) series), outputs in $OUT/nab"
"$BENCHMARKS/nab-dev/run_detector_cli.sh" "$BENCHMARKS/nab-dev" "$OUT/nab" "$ROOT/ghost ml detect --in {indir} --out {outdir}" 2>/dev/null \
  | grep -E '^(standard|reward|NAB)'
echo "-- per category, at the corpus-wide thresholds"
python3 "$ROOT/bench/ml/nab_by_category.py" "$BENCHMARKS/nab-dev" "$OUT/nab"

echo "== LogHub-2k (loghub-dev), outputs in $OUT/loghub"
"$BENCHMARKS/loghub-dev/run_parser_cli.sh" "$BENCHMARKS/loghub-dev/data" "$OUT/loghub" "$ROOT/ghost ml templates --in {in} --out {out}" 2>/dev/null
