#!/usr/bin/env bash
# The relay's tax on the dedup path, as users meet it: ./ghost up -d --runners 2 (its JVM options, GHOST_JAVA_OPTS
# to try others), then wrk on POST /relay/patches of a known patch against both runners loaded directly at the same
# time (two wrk, half the connections each), alternated, in one run. Prints throughput, p50/p99 and the relay's CPU
# per request. Knobs: BENCH_WARMUP_SECONDS (60), BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (64),
# BENCH_JFR=1 (records the relay to bench/relay/results/relay.jfr). Refuses to run on a busy machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bench/lib/quiet.sh"
require_quiet
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }

export GHOST_DIR="$(mktemp -d -t ghost-relay-bench.XXXXXX)"
export REGISTRY_PORT=28761 RUNNER_PORT=25050 RELAY_PORT=25060 HEALTH_PORT=25070 ML_PORT=25080 GHOST_REDIS_PORT=26479
cleanup() { "$ROOT/ghost" down >/dev/null 2>&1 || true; rm -rf "$GHOST_DIR"; }
trap cleanup EXIT
"$ROOT/ghost" up -d --runners 2 > "$GHOST_DIR/up.out"
TOKEN="$("$ROOT/ghost" token)"
pid_of() { cat "$GHOST_DIR/pids/$1.pid"; }
RELAY_PID=$(pid_of relay-service)
mkdir -p "$ROOT/bench/relay/results"
[ "${BENCH_JFR:-0}" = 1 ] && jcmd "$RELAY_PID" JFR.start name=bench settings=profile filename="$ROOT/bench/relay/results/relay.jfr" >/dev/null

BODY='{"id":"relay-bench-dedup","validate":{"shell":["true"]}}'
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$BODY" \
  "http://127.0.0.1:$RELAY_PORT/relay/patches"
sleep 2
cat > "$GHOST_DIR/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

cpu_ms() { awk '{ print ($14 + $15) * 10 }' "/proc/$1/stat"; }
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.2f", v }' <<<"$1"; }
# one wrk: "requests/s p50 p99 requests"
wrk_run() { # url connections seconds
  local out
  out=$(wrk -t1 -c"$2" -d"$3"s --latency -s "$GHOST_DIR/post.lua" "$1")
  grep -q 'Non-2xx' <<<"$out" && { echo "errors from $1:" >&2; echo "$out" >&2; exit 1; }
  echo "$(awk '/Requests\/sec/ { print $2 }' <<<"$out") $(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")") $(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")") $(awk '/requests in/ { print $1 }' <<<"$out")"
}
connections=${BENCH_CONNECTIONS:-64}
relay() { wrk_run "http://127.0.0.1:$RELAY_PORT/relay/patches" "$connections" "$1"; }
direct() { # both runners at once; throughput summed, latencies of the first (they are alike)
  wrk_run "http://127.0.0.1:$RUNNER_PORT/patches" $((connections / 2)) "$1" > "$GHOST_DIR/a" &
  wrk_run "http://127.0.0.1:$((RUNNER_PORT + 1))/patches" $((connections / 2)) "$1" > "$GHOST_DIR/b"
  wait
  read -r ra pa qa na < "$GHOST_DIR/a"; read -r rb pb qb nb < "$GHOST_DIR/b"
  awk -v ra="$ra" -v rb="$rb" -v pa="$pa" -v pb="$pb" -v qa="$qa" -v qb="$qb" -v n=$((na + nb)) \
    'BEGIN { printf "%.0f %.2f %.2f %d\n", ra + rb, (pa + pb) / 2, (qa > qb ? qa : qb), n }'
}

echo "warm-up: ${BENCH_WARMUP_SECONDS:-60} s each way"
relay "${BENCH_WARMUP_SECONDS:-60}" >/dev/null
direct "${BENCH_WARMUP_SECONDS:-60}" >/dev/null
printf '%-6s %-7s %10s %9s %9s %22s\n' round path req/s p50_ms p99_ms relay_cpu_us/request
declare -A rps p50
for round in $(seq 1 "${BENCH_ROUNDS:-3}"); do
  before=$(cpu_ms "$RELAY_PID")
  read -r r p q n <<<"$(relay "${BENCH_SECONDS:-10}")"
  after=$(cpu_ms "$RELAY_PID")
  printf '%-6s %-7s %10.0f %9s %9s %22.0f\n' "$round" relay "$r" "$p" "$q" "$(awk -v c=$((after - before)) -v n="$n" 'BEGIN { print c * 1000 / n }')"
  rps[relay]="${rps[relay]:-} $r"; p50[relay]="${p50[relay]:-} $p"
  read -r r p q n <<<"$(direct "${BENCH_SECONDS:-10}")"
  printf '%-6s %-7s %10.0f %9s %9s %22s\n' "$round" direct "$r" "$p" "$q" -
  rps[direct]="${rps[direct]:-} $r"; p50[direct]="${p50[direct]:-} $p"
  echo "       load average: $(load_now)"
done
awk -v rr="${rps[relay]}" -v rd="${rps[direct]}" -v pr="${p50[relay]}" -v pd="${p50[direct]}" 'BEGIN {
  n = split(rr, a); split(rd, b); split(pr, c); split(pd, d)
  for (i = 1; i <= n; i++) { x += a[i]; y += b[i]; p += c[i]; q += d[i] }
  printf "relay / direct: throughput %.2fx, p50 %.2fx (means of %d rounds)\n", x / y, p / q, n }'
[ "${BENCH_JFR:-0}" = 1 ] && jcmd "$RELAY_PID" JFR.stop name=bench >/dev/null
echo "JVM options: ${GHOST_JAVA_OPTS:-the ./ghost default}; load average at the end: $(load_now)"
