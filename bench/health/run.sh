#!/usr/bin/env bash
# health-aggregator benchmark: polling 200 fake instances (parallel vs one at a time), CPU per minute
# of the whole pipeline at the default interval, and kill-to-DOWN time (watch vs polling alone).
# One line, from anywhere:  bench/health/run.sh            (about 10 minutes)
# JVM flags for the measured (aggregator) side: JAVA_OPTS="..." bench/health/run.sh
# Options: --instances 200 --rounds 60 --baseline-rounds 10 --delay-ms 20 --cpu-instances 50 --cpu-seconds 60 --trials 10
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -pl health-aggregator -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt -Dsurefire.skip=true >/dev/null
module=health-aggregator
exec java -Xmx512m ${JAVA_OPTS:-} -Dlogback.configurationFile=bench/health/logback-bench.xml -cp "$module/target/test-classes:$module/target/classes:$(cat $module/target/bench-classpath.txt)" \
  dev.ghost.health.bench.PollBenchmark "$@"
