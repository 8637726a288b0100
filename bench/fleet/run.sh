#!/usr/bin/env bash
# The fleet, measured on ./ghost up's stacks with a local Slack stand-in (SlackStandIn.java):
#  1. hand-over: kill -9 the leading ml-monitor / health-aggregator of `./ghost up --ha`; time until the standby
#     takes over (its "took leadership" log line), against the same after a graceful stop (TERM), same run.
#  2. Slack messages per outage: a runner killed and started again, with 1 watcher of each kind (./ghost up)
#     and with 2 (--ha), FIRING and RESOLVED counted at the stand-in; with 2, the leading ml-monitor is also
#     killed during the outage.
#  3. dedup hits: wrk on POST /patches of a known patch at one runner, on a single Redis and on the local Redis
#     Cluster (--redis-cluster), same run (ratio cluster / single).
# Knobs: BENCH_SECONDS (10), BENCH_CONNECTIONS (32). Refuses to run on a busy machine (BENCH_FORCE=1 to override).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bench/lib/quiet.sh"
require_quiet
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
command -v redis-cli >/dev/null || { echo "redis-cli is needed (for --redis-cluster): apt-get install redis-server" >&2; exit 2; }

export REGISTRY_PORT=38761 RUNNER_PORT=35050 RELAY_PORT=35060 HEALTH_PORT=35070 ML_PORT=35080 GHOST_REDIS_PORT=7479
SLACK_PORT=38999
WORK="$(mktemp -d -t ghost-fleet-bench.XXXXXX)"
SLACK_LOG=$WORK/slack.log
java "$ROOT/bench/fleet/SlackStandIn.java" "$SLACK_PORT" "$SLACK_LOG" & SLACK_PID=$!
export SLACK_WEBHOOK_URL=http://127.0.0.1:$SLACK_PORT/services/T000/B000/fleet-bench
stack_down() { "$ROOT/ghost" down >/dev/null 2>&1 || true; }
cleanup() { stack_down; kill "$SLACK_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}

stack_up() { # name, ./ghost up options...
  export GHOST_DIR=$WORK/$1
  shift
  "$ROOT/ghost" up -d "$@" >"$GHOST_DIR.up.out" 2>&1 || { cat "$GHOST_DIR.up.out" >&2; exit 1; }
  TOKEN=$("$ROOT/ghost" token)
}
leader_of() { # instance names...
  local name port
  for name in "$@"; do
    port=${name##*-}
    [[ $port =~ ^[0-9]+$ ]] || port=$( [[ $name == ml-monitor ]] && echo $ML_PORT || echo $HEALTH_PORT)
    curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/actuator/info" | grep -q '"leader":true' && { echo "$name"; return; }
  done
}
took_leadership_at() { # log file, after epoch ms → epoch ms of the first "took leadership" line after it
  local line
  while IFS= read -r line; do
    local ms
    ms=$(date -d "${line%% *}" +%s%3N 2>/dev/null) || continue
    ((ms > $2)) && { echo "$ms"; return; }
  done < <(grep 'took leadership' "$1" || true)
}
handover() { # service, how (kill|term) → ms from the stop to the standby's first action
  local service=$1 how=$2 leader other port stopped at
  leader=$(leader_of "$service" "$service-$(( $( [[ $service == ml-monitor ]] && echo $ML_PORT || echo $HEALTH_PORT) + 1 ))")
  [[ $leader == *-[0-9]* ]] && other=$service || other=$service-$(( $( [[ $service == ml-monitor ]] && echo $ML_PORT || echo $HEALTH_PORT) + 1 ))
  stopped=$(date +%s%3N)
  if [[ $how == kill ]]; then kill -KILL "$(cat "$GHOST_DIR/pids/$leader.pid")"; else kill -TERM "$(cat "$GHOST_DIR/pids/$leader.pid")"; fi
  for _ in $(seq 600); do
    at=$(took_leadership_at "$GHOST_DIR/logs/$other.log" "$stopped")
    [[ -n $at ]] && break
    sleep 0.05
  done
  echo "$((at - stopped))"
  "$ROOT/ghost" restart "$leader" >/dev/null
}
count() { grep -c "$1" "$SLACK_LOG" 2>/dev/null || true; }
outage() { # kill the ml leader midway? → "firing resolved" for runner-service
  local kill_ml=$1 before_firing before_resolved
  : >"$SLACK_LOG"
  kill -KILL "$(cat "$GHOST_DIR/pids/runner-service-$((RUNNER_PORT + 1)).pid")"
  for _ in $(seq 600); do grep -q 'FIRING.*runner-service' "$SLACK_LOG" 2>/dev/null && break; sleep 0.1; done
  if [[ $kill_ml == yes ]]; then
    kill -KILL "$(cat "$GHOST_DIR/pids/$(leader_of ml-monitor "ml-monitor-$((ML_PORT + 1))").pid")"
  fi
  "$ROOT/ghost" restart "runner-service-$((RUNNER_PORT + 1))" >/dev/null
  for _ in $(seq 900); do grep -q 'RESOLVED.*runner-service' "$SLACK_LOG" 2>/dev/null && break; sleep 0.1; done
  sleep 20 # repeats, if any, would come within a group interval
  echo "$(grep -c 'FIRING[^"]*runner-service' "$SLACK_LOG") $(grep -c 'RESOLVED[^"]*runner-service' "$SLACK_LOG")"
}
dedup_rps() {
  local body='{"id":"fleet-bench-dedup","validate":{"shell":["true"]}}' out
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$body" \
    "http://127.0.0.1:$RUNNER_PORT/patches"
  printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer %s"\n' \
    "'$body'" "$TOKEN" >"$WORK/post.lua"
  wrk -t1 -c"$CONNECTIONS" -d5s -s "$WORK/post.lua" "http://127.0.0.1:$RUNNER_PORT/patches" >/dev/null # warm-up
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}"s -s "$WORK/post.lua" "http://127.0.0.1:$RUNNER_PORT/patches")
  awk '/Requests\/sec/ { print $2 }' <<<"$out"
}

echo "== 1 watcher of each kind (./ghost up --runners 2)"
stack_up single --runners 2
read -r single_firing single_resolved < <(outage no)
single_rps=$(dedup_rps)
echo "  outage: $single_firing FIRING, $single_resolved RESOLVED; dedup hits on one Redis: $single_rps req/s (load $(load_now))"
stack_down

echo "== pairs (./ghost up --ha)"
stack_up ha --ha
ml_kill=$(handover ml-monitor kill); ml_term=$(handover ml-monitor term)
ha_kill=$(handover health-aggregator kill); ha_term=$(handover health-aggregator term)
echo "  hand-over, ml-monitor: kill -9 ${ml_kill} ms, TERM ${ml_term} ms (load $(load_now))"
echo "  hand-over, health-aggregator: kill -9 ${ha_kill} ms, TERM ${ha_term} ms"
read -r ha_firing ha_resolved < <(outage yes)
echo "  outage with the leading ml-monitor killed midway: $ha_firing FIRING, $ha_resolved RESOLVED"
stack_down

echo "== Redis Cluster (./ghost up --redis-cluster --runners 2)"
stack_up cluster --redis-cluster --runners 2
cluster_rps=$(dedup_rps)
echo "  dedup hits on the cluster: $cluster_rps req/s (load $(load_now))"
stack_down

echo
echo "RESULT handover_kill_ms ml=$ml_kill health=$ha_kill; handover_term_ms ml=$ml_term health=$ha_term"
echo "RESULT messages_per_outage 1-watcher: $single_firing+$single_resolved, 2-watchers(+ml killed): $ha_firing+$ha_resolved"
echo "RESULT dedup_hits_rps single=$single_rps cluster=$cluster_rps ratio=$(awk -v c="$cluster_rps" -v s="$single_rps" 'BEGIN { printf "%.2f", c / s }')"
echo "load average after: $(load_now)"
