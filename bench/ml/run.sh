#!/usr/bin/env bash
# ml-monitor benchmark: template mining lines/s (vs whitespace splitting), detection points/s
# (vs a windowed Gaussian), memory per 10,000 series, and the NAB-style score of each detector on
# the generated suite. One thread; run on a quiet machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
./mvnw -q -B -pl ml-monitor -am test-compile -DskipTests
CP=ml-monitor/target/classes:ml-monitor/target/test-classes
java -Xms1g -Xmx2g -XX:+UseSerialGC -cp "$CP" dev.ghost.ml.bench.MlBench
for seed in 42 7 99; do
  echo "NAB-style score (standard profile) on the generated suite (60 series, seed $seed), per detector:"
  java -Dseed=$seed -cp "$CP" dev.ghost.ml.anomaly.SuiteRunner
done
