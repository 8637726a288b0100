#!/usr/bin/env bash
# Relay benchmark: dedup-hit submissions straight to 2 runners vs through the relay, and events/s
# through the relay's hub to a subscriber that acknowledges at once. One JVM, embedded Redis.
# (The benchmark starts runners beside the relay, so it lives in e2e-tests with the relay's other cross-service tests.)
#
#   bench/relay/run.sh                                   # Java on PATH (17 here)
#   JAVA_OPTS=-Djava.util.concurrent.ForkJoinPool.common.parallelism=2 bench/relay/run.sh
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/relay/run.sh   # virtual threads on (21+)
#
# Knobs (system properties in JAVA_OPTS): bench.clients (8), bench.requests (4000), bench.warmup (1500), bench.events (50000).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CP_FILE=e2e-tests/target/bench.classpath
# Maven on the default JDK; JAVA_HOME only picks the JVM that runs the benchmark
env -u JAVA_HOME ./mvnw -q -B -pl e2e-tests -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=test >/dev/null
LOG=e2e-tests/target/bench.log
RESULT=e2e-tests/target/bench.result
rm -f "$RESULT"
# shellcheck disable=SC2086
"$JAVA" -Xmx2g ${JAVA_OPTS:-} -Dbench.out="$ROOT/$RESULT" \
  -cp "e2e-tests/target/test-classes:$(cat "$CP_FILE")" \
  dev.ghost.relay.bench.RelayBenchmark >"$LOG" 2>&1 || { tail -n 30 "$LOG" >&2; exit 1; }
cat "$RESULT"
