#!/usr/bin/env bash
# The page on time under load: `./ghost up -d --runners 2` with a local Slack stand-in (bench/fleet/SlackStandIn.java);
# a runner killed (kill -9) BENCH_KILLS times (10) while stress-ng keeps 2 workers per core busy (nice 0), each
# time from the kill to the FIRING message at the stand-in; then started again (./ghost restart) and resolved.
# Baseline in the same run: BENCH_IDLE_KILLS (3) kills on the otherwise idle machine. Prints median and worst.
# Refuses to run on a busy machine (BENCH_FORCE=1 to override).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bench/lib/quiet.sh"
require_quiet
command -v stress-ng >/dev/null || { echo "stress-ng is needed: apt-get install stress-ng" >&2; exit 2; }
export REGISTRY_PORT=27761 RUNNER_PORT=27050 RELAY_PORT=27060 HEALTH_PORT=27070 ML_PORT=27080 GHOST_REDIS_PORT=27479
SLACK_PORT=27999
WORK="$(mktemp -d -t ghost-page-bench.XXXXXX)"
export GHOST_DIR=$WORK/stack
SLACK_LOG=$WORK/slack.log
: >"$SLACK_LOG"
java "$ROOT/bench/fleet/SlackStandIn.java" "$SLACK_PORT" "$SLACK_LOG" & SLACK_PID=$!
export SLACK_WEBHOOK_URL=http://127.0.0.1:$SLACK_PORT/services/T000/B000/page-bench
STRESS_PID=""
cleanup() {
  [[ -n $STRESS_PID ]] && kill "$STRESS_PID" 2>/dev/null || true
  "$ROOT/ghost" down >/dev/null 2>&1 || true
  kill "$SLACK_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
"$ROOT/ghost" up -d --runners 2 >"$WORK/up.out" 2>&1 || { cat "$WORK/up.out" >&2; exit 1; }
VICTIM=runner-service-$((RUNNER_PORT + 1))
sleep 20

# one kill: prints the ms from the kill to the FIRING message naming runner-service
page_once() {
  local from lines at
  lines=$(wc -l <"$SLACK_LOG" 2>/dev/null || echo 0)
  from=$(date +%s%3N)
  kill -KILL "$(cat "$GHOST_DIR/pids/$VICTIM.pid")"
  for _ in $(seq 600); do
    at=$(tail -n +$((lines + 1)) "$SLACK_LOG" 2>/dev/null | grep 'FIRING[^"]*runner-service' | head -n 1 | cut -d' ' -f1)
    [[ -n $at ]] && break
    sleep 0.05
  done
  echo $((at - from))
  "$ROOT/ghost" restart "$VICTIM" >/dev/null
  lines=$(wc -l <"$SLACK_LOG")
  for _ in $(seq 1200); do
    tail -n +$((lines + 1)) "$SLACK_LOG" | grep -q 'RESOLVED[^"]*runner-service' && break
    sleep 0.1
  done
  sleep 5
}
summary() { sort -n | awk '{ v[NR] = $1 } END { printf "median %d ms, worst %d ms (n=%d): ", v[int((NR + 1) / 2)], v[NR], NR; for (i = 1; i <= NR; i++) printf "%s%d", (i > 1 ? " " : ""), v[i]; print "" }'; }

idle=()
for _ in $(seq "${BENCH_IDLE_KILLS:-3}"); do idle+=("$(page_once)"); done
echo "idle machine (load $(load_now)): $(printf '%s\n' "${idle[@]}" | summary)"

stress-ng --cpu $(( $(nproc) * 2 )) --quiet & STRESS_PID=$!
sleep 15
loaded=()
for _ in $(seq "${BENCH_KILLS:-10}"); do loaded+=("$(page_once)"); done
echo "under load, stress-ng $(( $(nproc) * 2 )) CPU workers (load $(load_now)): $(printf '%s\n' "${loaded[@]}" | summary)"
