#!/usr/bin/env bash
# alerting benchmark (reports, never asserts): POST /events -> Slack request latency with
# group_wait 0 (median/p99) against a bare Slack SDK webhook call and a bare POST /events; the issue's
# scenarios at the shipped defaults; messages for a 3-minute flap. Real service, real Redis (embedded,
# or GHOST_TEST_REDIS_URL), a local Slack stand-in. Usage: bench/alerting/run.sh [samples, default 300]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
./mvnw -q -B -pl alerting -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/alerting-bench.cp
CP="alerting/target/test-classes:alerting/target/classes:$(cat alerting/target/alerting-bench.cp)"
java -Xmx1g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -cp "$CP" dev.ghost.alerting.AlertingBench "${1:-300}" \
  2> >(grep -v -e '^SLF4J' >&2)
