#!/usr/bin/env bash
# ml-monitor benchmark: template mining lines/s (vs whitespace splitting), detection points/s
# (vs a windowed Gaussian, on a smooth series and on the 60 varied series of the generated suite),
# bytes per series, and the NAB-style score of each detector member and ablation on the generated
# suite. One thread; run on a quiet machine (the load average is printed before and after).
# Scores on the public benchmarks' development sets: bench/ml/public-benchmarks.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
./mvnw -q -B -pl ml-monitor -am test-compile -DskipTests
CP=ml-monitor/target/classes:ml-monitor/target/test-classes
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xms1g -Xmx2g -XX:+UseSerialGC -cp "$CP" dev.ghost.ml.bench.MlBench
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for seed in 42 7 99; do
  echo "NAB-style score (standard profile) on the generated suite (60 series, seed $seed), per detector:"
  java -Dseed=$seed -cp "$CP" dev.ghost.ml.anomaly.SuiteRunner
done
