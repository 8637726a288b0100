#!/usr/bin/env bash
# The stack at rest: `./ghost up -d` (its default JVM options, GHOST_JAVA_OPTS), left alone for a settle period,
# then each service's CPU over BENCH_SECONDS (60) from /proc/<pid>/stat, and its RSS; the same with the lean
# profile (LEAN_JAVA_OPTS) in the same run. Baseline in the same run: a bare `java -version`-class idle JVM
# (Thread.sleep) started with the same options, so what a service adds over an idle JVM is visible.
# Knobs: BENCH_SETTLE_SECONDS (180: the JIT is still compiling a minute after start), BENCH_SECONDS (60).
# Refuses to run on a busy machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bench/lib/quiet.sh"
require_quiet
export REGISTRY_PORT=29761 RUNNER_PORT=29050 RELAY_PORT=29060 HEALTH_PORT=29070 ML_PORT=29080 GHOST_REDIS_PORT=29479
SETTLE=${BENCH_SETTLE_SECONDS:-180}
WINDOW=${BENCH_SECONDS:-60}
LEAN=${LEAN_JAVA_OPTS:--Xmx160m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=32m -XX:CICompilerCount=1 -Xshare:auto}
WORK="$(mktemp -d -t ghost-idle-bench.XXXXXX)"
cleanup() { GHOST_DIR=$WORK/stack "$ROOT/ghost" down >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

measure() { # label, java options
  local label=$1 opts=$2 name pid total_cpu=0 total_rss=0
  export GHOST_DIR=$WORK/stack GHOST_JAVA_OPTS=$opts
  rm -rf "$GHOST_DIR"
  local started=$SECONDS
  "$ROOT/ghost" up -d >"$WORK/up.out" 2>&1 || { cat "$WORK/up.out" >&2; exit 1; }
  local up_seconds=$((SECONDS - started))
  # a bare idle JVM with the same options: the floor every service stands on
  printf 'public class Idle { public static void main(String[] a) throws Exception { Thread.sleep(Long.MAX_VALUE); } }' >"$WORK/Idle.java"
  # shellcheck disable=SC2086
  java $opts "$WORK/Idle.java" & local idle=$!
  sleep "$SETTLE"
  declare -A before
  local pids=()
  for file in "$GHOST_DIR"/pids/*.pid; do pids+=("$(basename "$file" .pid)=$(cat "$file")"); done
  pids+=("idle-jvm=$idle")
  for entry in "${pids[@]}"; do before[${entry%%=*}]=$(ticks "${entry#*=}"); done
  sleep "$WINDOW"
  echo "== $label (GHOST_JAVA_OPTS=$opts): up in ${up_seconds}s; CPU over ${WINDOW}s after ${SETTLE}s at rest (load $(load_now))"
  printf '  %-20s %12s %10s %8s\n' service "CPU-s/min" "% of core" "RSS MB"
  for entry in "${pids[@]}"; do
    name=${entry%%=*}; pid=${entry#*=}
    local used=$(( $(ticks "$pid") - before[$name] ))
    local per_min pct rss
    per_min=$(awk -v t="$used" -v hz="$hz" -v w="$WINDOW" 'BEGIN { printf "%.2f", t / hz * 60 / w }')
    pct=$(awk -v t="$used" -v hz="$hz" -v w="$WINDOW" 'BEGIN { printf "%.2f", t / hz / w * 100 }')
    rss=$(rss_mb "$pid")
    printf '  %-20s %12s %10s %8s\n' "$name" "$per_min" "$pct" "$rss"
    if [[ $name != idle-jvm && $name != redis ]]; then
      total_cpu=$(awk -v a="$total_cpu" -v b="$per_min" 'BEGIN { printf "%.2f", a + b }')
      total_rss=$((total_rss + rss))
    fi
  done
  echo "  RESULT $label: services total ${total_cpu} CPU-s/min, ${total_rss} MB RSS"
  kill "$idle" 2>/dev/null || true
  "$ROOT/ghost" down >/dev/null
}

# ./ghost's own default, read from it so the two cannot drift apart
measure default "$(sed -n 's/^GHOST_JAVA_OPTS=\${GHOST_JAVA_OPTS:-\(.*\)}$/\1/p' "$ROOT/ghost")"
measure lean "$LEAN"
echo "load average after: $(load_now)"
