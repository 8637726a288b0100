#!/usr/bin/env bash
# The README walk-through as a measurement, on real processes: `./ghost up --runners 2` on spare ports
# (its own GHOST_DIR and embedded Redis), 20 patches posted to the relay, the spread per runner, then
# one runner killed with SIGKILL (no deregistration, no goodbye): how long until the relay stops routing
# to it (polled every 50 ms on GET /relay/runners), then 20 more patches, every one of which must finish.
#
#   bench/relay/failover.sh            (ports 1876x..; override with BASE_PORT=2xxxx)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BASE=${BASE_PORT:-18760}
export GHOST_DIR=${GHOST_DIR:-$(mktemp -d /tmp/ghost-failover.XXXXXX)}
export REGISTRY_PORT=$BASE RUNNER_PORT=$((BASE + 10)) RELAY_PORT=$((BASE + 20)) HEALTH_PORT=$((BASE + 30)) ML_PORT=$((BASE + 40))
export GHOST_REDIS_PORT=$((BASE + 50))
unset REDIS_URL
RELAY=http://localhost:$RELAY_PORT
trap '"$ROOT/ghost" down >/dev/null 2>&1 || true' EXIT

"$ROOT/ghost" up -d --runners 2 >"$GHOST_DIR/up.log" 2>&1 || { cat "$GHOST_DIR/up.log"; exit 1; }
TOKEN=$(head -n 1 "$GHOST_DIR/token")
auth=(-H "Authorization: Bearer $TOKEN")

patch() { printf '{"id":"%s","mutations":[{"path":"%s.txt","contents":"hello\\n"}]}' "$1" "$1"; }
submit_batch() { # prefix count -> prints "runner" per accepted patch
  local i code
  for ((i = 0; i < $2; i++)); do
    code=$(curl -s -o "$GHOST_DIR/answer.json" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
      --data "$(patch "$1-$i")" "$RELAY/relay/patches")
    [[ $code == 202 || $code == 200 ]] || { echo "patch $1-$i answered $code: $(cat "$GHOST_DIR/answer.json")" >&2; exit 1; }
    grep -o '"runner":"[^"]*"' "$GHOST_DIR/answer.json" | cut -d'"' -f4
  done
}
in_rotation() { curl -s "${auth[@]}" "$RELAY/relay/runners" | grep -o '"instanceId":"[^"]*","uri":"[^"]*","inRotation":true' | cut -d'"' -f4; }

until [[ $(in_rotation | wc -l) -eq 2 ]]; do sleep 0.2; done
run=$(date +%s)
echo "20 patches through the relay:"
submit_batch "walk-$run" 20 | sort | uniq -c | sed 's/^/  /'

victim=localhost:runner-service:$((RUNNER_PORT + 1))
kill -KILL "$(cat "$GHOST_DIR/pids/runner-service-$((RUNNER_PORT + 1)).pid")"
start=$(date +%s%N)
while in_rotation | grep -qx "$victim"; do sleep 0.05; done
echo "runner $victim killed with SIGKILL: out of rotation after $(( ($(date +%s%N) - start) / 1000000 )) ms"

echo "20 more patches with one runner dead:"
submit_batch "after-$run" 20 | sort | uniq -c | sed 's/^/  /'

echo "waiting for all 40 to reach a terminal state ..."
deadline=$((SECONDS + 120))
while :; do
  pending=0
  summary=""
  for prefix in walk after; do
    for ((i = 0; i < 20; i++)); do
      status=$(curl -s "${auth[@]}" "$RELAY/relay/patches/$prefix-$run-$i" | grep -o '"status":"[A-Z_]*"' | cut -d'"' -f4)
      [[ $status == QUEUED || $status == RUNNING || -z $status ]] && pending=$((pending + 1))
      summary+="$status"$'\n'
    done
  done
  ((pending == 0)) && break
  ((SECONDS < deadline)) || { echo "$pending patches still not finished after 120 s" >&2; exit 1; }
  sleep 1
done
echo "final states:"; printf '%s' "$summary" | sort | uniq -c | sed 's/^/  /'
