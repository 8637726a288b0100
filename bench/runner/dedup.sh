#!/usr/bin/env bash
# Dedup hits: runner-service POST /patches of an already known patch, against a bare Spring MVC endpoint doing
# the same SHA-256 + Redis SET NX/GET (bench/runner/BareDedup.java) on the same Tomcat, Lettuce and private Redis,
# both loaded by wrk, alternated, in one run. Knobs: BENCH_WARMUP_SECONDS (90, each), BENCH_SECONDS (10 per round),
# BENCH_ROUNDS (3), BENCH_CONNECTIONS (64), JAVA_OPTS (both JVMs), BENCH_JFR=1 (records the runner to
# bench/runner/results/runner-dedup.jfr). Refuses to run on a busy machine (bench/lib/quiet.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bench/lib/quiet.sh"
require_quiet
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
JAR="$ROOT/runner-service/target/runner-service-exec.jar"
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -q -B -pl runner-service -am package -DskipTests)

WORK="$(mktemp -d -t ghost-dedup-bench.XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanup() {
  local status=$?
  if [ "$status" != 0 ]; then
    for log in "$WORK"/runner.log "$WORK"/bare.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -20 "$log" >&2; }; done
  fi
  for pid in ${RUNNER_PID:-} ${BARE_PID:-}; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  [ -n "${REDIS_PORT:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile "$WORK/redis.log"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
TOKEN="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
TOKEN_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"   # the key issued tokens are stored under (trust issue)
RUNNER_PORT="$(free_port)"
BARE_PORT="$(free_port)"
mkdir -p "$WORK/ws" "$WORK/classes" "$ROOT/bench/runner/results"
(cd "$WORK/classes" && jar xf "$JAR" BOOT-INF/lib)

JFR=()
[ "${BENCH_JFR:-0}" = 1 ] && JFR=("-XX:StartFlightRecording=filename=$ROOT/bench/runner/results/runner-dedup.jfr,settings=profile")
# shellcheck disable=SC2086
GHOST_ADMIN_TOKEN="$TOKEN" GHOST_TOKEN_KEY="$TOKEN_KEY" REDIS_URL="$REDIS_URL" java ${JAVA_OPTS:-} "${JFR[@]}" -jar "$JAR" --server.port="$RUNNER_PORT" \
  --eureka.client.enabled=false --ghost.runner.workspaces.default="$WORK/ws" --ghost.runner.state-dir="$WORK/state" \
  --logging.level.root=warn > "$WORK/runner.log" 2>&1 &
RUNNER_PID=$!
# compiled, not run from source: Spring loads the application class by name, which the source launcher's classes lack
javac -nowarn -cp "$WORK/classes/BOOT-INF/lib/*" -d "$WORK/bare" "$ROOT/bench/runner/BareDedup.java"
# shellcheck disable=SC2086
BENCH_TOKEN="$TOKEN" java ${JAVA_OPTS:-} -cp "$WORK/bare:$WORK/classes/BOOT-INF/lib/*" BareDedup \
  --server.port="$BARE_PORT" --spring.data.redis.url="$REDIS_URL" --logging.level.root=warn > "$WORK/bare.log" 2>&1 &
BARE_PID=$!
for port in "$RUNNER_PORT" "$BARE_PORT"; do
  for _ in $(seq 1 240); do curl -s -o /dev/null "http://127.0.0.1:$port/patches" && break; sleep 0.5; done
done

BODY='{"id":"bench-dedup","description":"a dedup hit","validate":{"shell":["true"]}}'
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$RUNNER_PORT/patches"
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

cpu_ms() { awk '{ print ($14 + $15) * 10 }' "/proc/$1/stat"; }   # utime + stime, USER_HZ 100
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.2f", v }' <<<"$1"; }
load() { # name port pid seconds -> "rps p50 p99 cpu_us_per_request"
  local before after out rps p50 p99 requests
  before=$(cpu_ms "$3")
  out=$(wrk -t2 -c"${BENCH_CONNECTIONS:-64}" -d"$4"s --latency -s "$WORK/post.lua" "http://127.0.0.1:$2/patches")
  after=$(cpu_ms "$3")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  grep -q 'Non-2xx' <<<"$out" && { echo "$1 answered errors:" >&2; echo "$out" >&2; exit 1; }
  echo "$rps $p50 $p99 $(awk -v c=$((after - before)) -v n="$requests" 'BEGIN { printf "%.0f", c * 1000 / n }')"
}

echo "warm-up: ${BENCH_WARMUP_SECONDS:-90} s each (the JIT needs it)"
load runner "$RUNNER_PORT" "$RUNNER_PID" "${BENCH_WARMUP_SECONDS:-90}" >/dev/null
load bare "$BARE_PORT" "$BARE_PID" "${BENCH_WARMUP_SECONDS:-90}" >/dev/null
printf '%-7s %-7s %10s %9s %9s %16s\n' round server req/s p50_ms p99_ms cpu_us/request
declare -A sum
for round in $(seq 1 "${BENCH_ROUNDS:-3}"); do
  for server in runner bare; do
    if [ $server = runner ]; then r=$(load runner "$RUNNER_PORT" "$RUNNER_PID" "${BENCH_SECONDS:-10}")
    else r=$(load bare "$BARE_PORT" "$BARE_PID" "${BENCH_SECONDS:-10}"); fi
    read -r rps p50 p99 cpu <<<"$r"
    printf '%-7s %-7s %10.0f %9s %9s %16s\n' "$round" "$server" "$rps" "$p50" "$p99" "$cpu"
    sum[$server]="${sum[$server]:-} $rps"
  done
  echo "        load average: $(load_now)"
done
awk -v r="${sum[runner]}" -v b="${sum[bare]}" 'BEGIN { n = split(r, a); split(b, c); for (i = 1; i <= n; i++) { x += a[i]; y += c[i] }
  printf "runner / bare throughput: %.2fx (mean of %d rounds)\n", x / y, n }'
echo "load average at the end: $(load_now)"
