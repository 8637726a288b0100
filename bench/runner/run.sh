#!/usr/bin/env bash
# Benchmark of runner-service: bench/runner/run.sh
# Starts one runner (its exec jar) against a private local Redis (redis-server on a free port; or REDIS_URL if set),
# then runs RunnerBench.java (JDK only). Knobs: BENCH_CLIENTS (8), BENCH_SECONDS (10), BENCH_SAMPLES (300),
# BENCH_LONG_STEPS (25000), BENCH_WARMUP (2000 patches, each followed by a sandboxed launch of the floor, and 5x that many dedup hits), JAVA_OPTS (runner JVM), BENCH_NICE (e.g. -10: run Redis, the runner, the floor and the client at
# that priority, to measure on a machine busy with other work; needs root). Refuses to run on a busy machine
# (bench/lib/quiet.sh). Dedup throughput against a bare endpoint under wrk: bench/runner/dedup.sh.
set -euo pipefail
[ -n "${BENCH_NICE:-}" ] && renice -n "$BENCH_NICE" -p $$ >/dev/null   # inherited by everything started below
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bench/lib/quiet.sh"
require_quiet
JAR="$ROOT/runner-service/target/runner-service-exec.jar"
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -q -B -pl runner-service -am package -DskipTests)

WORK="$(mktemp -d -t ghost-runner-bench.XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanup() {
  [ -n "${RUNNER_PID:-}" ] && kill "$RUNNER_PID" 2>/dev/null && wait "$RUNNER_PID" 2>/dev/null || true
  [ -n "${REDIS_PORT:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${REDIS_URL:-}" ]; then
  REDIS_PORT="$(free_port)"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile "$WORK/redis.log"
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
fi
PORT="$(free_port)"
TOKEN="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
TOKEN_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"   # the key issued tokens are stored under (trust issue)
mkdir -p "$WORK/ws"
GHOST_ADMIN_TOKEN="$TOKEN" GHOST_TOKEN_KEY="$TOKEN_KEY" REDIS_URL="$REDIS_URL" \
  java ${JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" --eureka.client.enabled=false \
  --ghost.runner.workspaces.default="$WORK/ws" --ghost.runner.state-dir="$WORK/state" \
  --ghost.runner.queue-capacity=1000000 --ghost.http.max-body-size=16MB --logging.level.root=warn > "$WORK/runner.log" 2>&1 &
RUNNER_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null || { echo "runner did not start; log:"; tail -50 "$WORK/runner.log"; exit 1; }

# the sandbox's own costs, with the runner's own classes: launch of `true` bare and sandboxed, commit of a large tree
mkdir -p "$WORK/classes" && (cd "$WORK/classes" && jar xf "$JAR" BOOT-INF)
# both launch the way the runner does (vfork on Linux, Java < 22: RunnerApplication)
java -Djdk.lang.Process.launchMechanism=VFORK -cp "$WORK/classes/BOOT-INF/classes:$WORK/classes/BOOT-INF/lib/*" "$ROOT/bench/runner/SandboxBench.java" "$WORK/sandbox" "${BENCH_SAMPLES:-300}"
# the runner's floor: RunnerBench alternates a sandboxed launch of `true` from this server with each of its patches
export BENCH_FLOOR_SERVER="java -Djdk.lang.Process.launchMechanism=VFORK -cp '$WORK/classes/BOOT-INF/classes:$WORK/classes/BOOT-INF/lib/*' '$ROOT/bench/runner/SandboxBench.java' serve '$WORK/floor'"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), runner JAVA_OPTS='${JAVA_OPTS:-}', nice ${BENCH_NICE:-0}"
start=$(date +%s%N); for _ in $(seq 1 200); do /bin/sh -c true; done; end=$(date +%s%N)
awk -v ns=$((end - start)) 'BEGIN { printf "floor   /bin/sh -c true from bash: mean %.2f ms (200 runs)\n", ns / 200 / 1e6 }'
# Java 17's HttpClient starts a thread per request unless the common pool has 2+ workers (STACK.md, gotcha 8)
# the floor is measured with the launch mechanism the runner uses (vfork on Linux, Java < 22)
java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -Djdk.lang.Process.launchMechanism=VFORK "$ROOT/bench/runner/RunnerBench.java" "http://127.0.0.1:$PORT" "$TOKEN" "$RUNNER_PID"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
