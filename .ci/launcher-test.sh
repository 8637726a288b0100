#!/usr/bin/env bash
# ./ghost up -d brings all five services UP in Eureka; ./ghost down leaves no process behind.
# Runs on other ports and in a scratch state directory, so a developer's own stack is untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

export GHOST_DIR=$(mktemp -d)
export REGISTRY_PORT=18761 RUNNER_PORT=15050 RELAY_PORT=15060 HEALTH_PORT=15070 ML_PORT=15080 GHOST_REDIS_PORT=16479
# the clients start before the registry listens: they retry, and nothing they log may carry a credential
export GHOST_UP_ORDER=registry-last
fail() { echo "launcher-test: FAIL: $*" >&2; ./ghost down >/dev/null 2>&1 || true; exit 1; }

./ghost up -d | tee "$GHOST_DIR/up.out"
grep -q 'GHOST is UP: 5 services' "$GHOST_DIR/up.out" || fail "up did not report five services UP"

[[ $(stat -c %a "$GHOST_DIR/token") == 600 ]] || fail "the token file is not mode 0600"
token=$(cat "$GHOST_DIR/token")
password=$(cat "$GHOST_DIR/eureka-password")
apps=$(curl -fsS -u "ghost:$password" -H 'Accept: application/json' "http://localhost:$REGISTRY_PORT/eureka/apps")
for app in RUNNER-SERVICE RELAY-SERVICE HEALTH-AGGREGATOR ML-MONITOR; do
  grep -q "\"name\":\"$app\"" <<<"$apps" || fail "$app is not registered in Eureka"
done
[[ $(grep -o '"status":"UP"' <<<"$apps" | wc -l) -ge 4 ]] || fail "not every instance is UP in Eureka"
curl -fsS -H "Authorization: Bearer $token" "http://localhost:$RUNNER_PORT/auth/me" | grep -q '"admin"' \
  || fail "the printed admin token is not accepted by the runner"

./ghost status > "$GHOST_DIR/status.out" || { cat "$GHOST_DIR/status.out"; fail "./ghost status says something is not UP"; }
grep -q 'sandbox: bubblewrap' "$GHOST_DIR/status.out" || fail "./ghost status does not say the runner sandboxes its patches"
for command in up down status restart logs token apply ml; do
  ./ghost "$command" --help > /dev/null || fail "./ghost $command --help failed"
done
./ghost status > /dev/null || fail "a --help stopped or changed something"
# a patch's command sees nothing of .ghost/ (the token is two levels above the workspace)
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"id":"launcher-sandbox","validate":{"shell":["cat ../../token 2>&1 || true"]}}' "http://localhost:$RUNNER_PORT/patches"
for _ in $(seq 1 100); do
  record=$(curl -fsS -H "Authorization: Bearer $token" "http://localhost:$RUNNER_PORT/patches/launcher-sandbox")
  grep -q '"status":"SUCCEEDED"' <<<"$record" && break
  sleep 0.2
done
grep -q '"status":"SUCCEEDED"' <<<"$record" || fail "a trivial patch did not succeed: $record"
grep -qF "$token" <<<"$record" && fail "a patch's command read the admin token"

[[ $(./ghost token) == "$token" ]] || fail "./ghost token does not print the admin token"

# Redis: GHOST's own, which refuses anyone without the password
redis-cli -p "$GHOST_REDIS_PORT" ping 2>&1 | grep -q NOAUTH || fail "the stack's Redis answers a client without its password"
[[ $(redis-cli -p "$GHOST_REDIS_PORT" --user ghost --pass "$(cat "$GHOST_DIR/redis-password")" --no-auth-warning ping) == PONG ]] \
  || fail "the stack's Redis refuses its own password"

# no secret in any log or in what ./ghost printed
secrets=("$token" "$password" "$(cat "$GHOST_DIR/service-token")" "$(cat "$GHOST_DIR/token-key")" "$(cat "$GHOST_DIR/redis-password")")
for file in "$GHOST_DIR"/eureka/*; do secrets+=("$(cat "$file")"); done
for secret in "${secrets[@]}"; do
  [[ -n $secret ]] || fail "a generated secret is empty"
  grep -rlF -- "$secret" "$GHOST_DIR/logs" && fail "a secret is in the logs (files above)"
done
grep -qF "$(cat "$GHOST_DIR/redis-password")" "$GHOST_DIR/up.out" && fail "./ghost up printed the Redis password"
grep -qF "$password" "$GHOST_DIR/up.out" && fail "./ghost up printed the Eureka password"

pids=$(cat "$GHOST_DIR"/pids/*.pid)
./ghost down
sleep 1
for pid in $pids; do
  kill -0 "$pid" 2>/dev/null && fail "process $pid survived ./ghost down"
done
for port in $REGISTRY_PORT $RUNNER_PORT $RELAY_PORT $HEALTH_PORT $ML_PORT; do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && fail "port $port is still open after ./ghost down"
done
rm -rf "$GHOST_DIR"

# The fleet on one machine: ./ghost up --ha --redis-cluster, one leader per pair, a patch through the relay on the
# cluster, the leading ml-monitor killed and replaced within 15 s, then nothing left behind.
if command -v redis-cli >/dev/null 2>&1; then
  export GHOST_DIR=$(mktemp -d) GHOST_REDIS_PORT=7579
  unset GHOST_UP_ORDER
  ./ghost up -d --ha --redis-cluster > "$GHOST_DIR/up.out" || { cat "$GHOST_DIR/up.out"; fail "./ghost up --ha --redis-cluster failed"; }
  grep -q 'GHOST is UP: 9 services' "$GHOST_DIR/up.out" || fail "up --ha did not report nine services UP"
  token=$(./ghost token)
  ./ghost status > "$GHOST_DIR/status.out" || { cat "$GHOST_DIR/status.out"; fail "./ghost status says something is not UP (--ha)"; }
  for pair in health-aggregator ml-monitor; do
    [[ $(grep -c "^  $pair.*leader" "$GHOST_DIR/status.out") == 1 ]] || { cat "$GHOST_DIR/status.out"; fail "not exactly one $pair leads"; }
    [[ $(grep -c "^  $pair.*standby" "$GHOST_DIR/status.out") == 1 ]] || fail "not exactly one $pair stands by"
  done
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"id":"launcher-ha","validate":{"shell":["true"]}}' "http://localhost:$RELAY_PORT/relay/patches" || fail "the relay refused a patch (--ha)"
  for _ in $(seq 1 100); do
    record=$(curl -fsS -H "Authorization: Bearer $token" "http://localhost:$RELAY_PORT/relay/patches/launcher-ha" || true)
    grep -q '"status":"SUCCEEDED"' <<<"$record" && break
    sleep 0.2
  done
  grep -q '"status":"SUCCEEDED"' <<<"$record" || fail "a patch through the relay on the Redis Cluster did not succeed: $record"
  leader=$(grep "^  ml-monitor.*leader" "$GHOST_DIR/status.out" | awk '{ print $1 }')
  kill -KILL "$(cat "$GHOST_DIR/pids/$leader.pid")"
  killed_at=$SECONDS
  # (./ghost status exits 1 while the killed member is down: read its output, not its exit status)
  until { ./ghost status 2>/dev/null || true; } | grep "^  ml-monitor.*leader" | grep -qv "^  $leader "; do
    ((SECONDS - killed_at <= 15)) || fail "no ml-monitor took over within 15 s of the leader's kill"
    sleep 0.2
  done
  echo "launcher-test: the standby ml-monitor took over $((SECONDS - killed_at)) s after the leader's kill"
  pids=$(cat "$GHOST_DIR"/pids/*.pid)
  ./ghost down > /dev/null
  sleep 1
  for pid in $pids; do
    kill -0 "$pid" 2>/dev/null && fail "process $pid survived ./ghost down (--ha)"
  done
  rm -rf "$GHOST_DIR"
else
  echo "launcher-test: redis-cli missing, ./ghost up --ha --redis-cluster not checked"
fi
echo "launcher-test: OK"
