#!/usr/bin/env bash
# Runs docker-compose.yml for real on this machine and checks, step by step, what an operator relies on:
# base images (local stand-ins when no registry answers: deploy/standin-images.sh), small build contexts,
# layered non-root images with every tool the runner calls, the stack healthy, the admin token read the way the
# README says, patches straight to a runner and through the relay, healthchecks that follow the service's own
# status, Redis's password and persistence, Prometheus's targets, runners scaled to two (own instance ids, own
# state, both take patches), a killed runner seen DOWN by the health-aggregator, a scale-down that leaves the
# survivor registered and rolls back the patch it stopped, no credential in any log, memory limits. Then
# `down -v`. One PASS / FAIL / SKIP line per step; exits 1 if any step failed.
#
#   deploy/compose-check.sh          # Compose v2 (`docker compose`) if present, else v1 (`docker-compose`)
#   GHOST_COMPOSE=docker-compose deploy/compose-check.sh
#   KEEP_STACK=1 deploy/compose-check.sh   # leaves the stack up afterwards (docker compose -p ghostcheck down -v)
#
# Needs Docker, Compose (v1 or v2), curl and jq; as root with debootstrap, it builds missing base images.
# Uses its own project (COMPOSE_PROJECT_NAME, default ghostcheck) and the stack's host ports (8761, 5060, 5070,
# 5080, 9090, 3000), so it cannot run beside a stack started from this directory. Secrets it reads for the
# checks stay in a private temporary directory and are never printed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-ghostcheck}
healthy_timeout=${GHOST_CHECK_HEALTHY_TIMEOUT:-300}
# how soon the health-aggregator must say a killed runner is DOWN
down_within=${GHOST_CHECK_DOWN_WITHIN:-10}

if [[ -n ${GHOST_COMPOSE:-} ]]; then
  read -r -a compose <<< "$GHOST_COMPOSE"
elif docker compose version > /dev/null 2>&1; then
  compose=(docker compose)
else
  compose=(docker-compose)
fi

registry=http://localhost:8761
relay=http://localhost:5060
health=http://localhost:5070
prometheus=http://localhost:9090

work=$(mktemp -d "${TMPDIR:-/tmp}/ghost-compose-check.XXXXXX")
chmod 0700 "$work"
run_id=$(date +%s)
started=$SECONDS
failures=0
aborted=""
skipped_services=()

# --- reporting -------------------------------------------------------------------------------------------

# check NAME FUNCTION [ARGS]: runs FUNCTION in this shell; what it prints is the detail (or the reason of a
# failure). A failed critical check stops the checks that depend on it.
check() {
  local name=$1 step_started=$SECONDS status
  shift
  if [[ -n $aborted ]]; then
    printf 'SKIP  %s (after: %s)\n' "$name" "$aborted"
    return 1
  fi
  "$@" > "$work/detail" 2>&1
  status=$?
  local detail
  detail=$(tr '\n' ' ' < "$work/detail" | sed 's/ *$//')
  if [[ $status == 0 ]]; then
    printf 'PASS  %s [%ss]%s\n' "$name" $((SECONDS - step_started)) "${detail:+: $detail}"
  else
    printf 'FAIL  %s [%ss]: %s\n' "$name" $((SECONDS - step_started)) "${detail:-failed}"
    failures=$((failures + 1))
  fi
  return $status
}

critical() {
  local name=$1
  check "$@" || aborted=${aborted:-$name}
}

teardown() {
  local status=$?
  if [[ -z ${KEEP_STACK:-} ]]; then
    "${compose[@]}" down -v --remove-orphans > "$work/down.log" 2>&1
    local left
    left=$(docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" | wc -l)
    left=$((left + $(docker volume ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" | wc -l)))
    if [[ $left == 0 ]]; then
      printf 'PASS  down -v: no container or volume of %s left\n' "$COMPOSE_PROJECT_NAME"
    else
      printf 'FAIL  down -v: %s containers or volumes of %s left\n' "$left" "$COMPOSE_PROJECT_NAME"
      failures=$((failures + 1))
    fi
  fi
  rm -rf "$work"
  printf '%s in %ss: %s\n' "$([[ $failures == 0 ]] && echo PASSED || echo FAILED)" $((SECONDS - started)) \
    "$([[ $failures == 0 ]] && echo 'every step passed' || echo "$failures step(s) failed")"
  [[ $failures == 0 && $status == 0 ]] || exit 1
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers -----------------------------------------------------------------------------------------------

# http METHOD URL [JSON]: as the admin; the body lands in $work/body, the status code is printed (000: no answer)
http() {
  local args=(-s -m 10 -o "$work/body" -w '%{http_code}' -X "$1" -H @"$work/admin-auth")
  [[ -n ${3:-} ]] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}" "$2" 2> /dev/null || true
}

# the registry's instances of APP (upper case), as the registry's administrator: "instanceId status" lines
eureka_instances() {
  curl -s -m 5 -H @"$work/eureka-auth" -H 'Accept: application/json' "$registry/eureka/apps/$1" 2> /dev/null \
    | jq -r '.application.instance[]? | "\(.instanceId) \(.status)"' 2> /dev/null
}

containers_of() { "${compose[@]}" ps -q "$1" 2> /dev/null; }

health_of() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1" 2> /dev/null; }

# waits until every container of the project but the one-shot secrets-init is healthy (or running, without a
# healthcheck); prints what is not, at the end, when it times out
wait_healthy() {
  local deadline=$((SECONDS + $1)) id state pending
  while :; do
    pending=()
    for id in $("${compose[@]}" ps -q); do
      [[ $(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id") == secrets-init ]] && continue
      state=$(health_of "$id")
      [[ $state == healthy || $state == running ]] || pending+=("$(docker inspect -f '{{.Name}}' "$id" | tr -d /)=$state")
    done
    [[ ${#pending[@]} == 0 ]] && return 0
    if ((SECONDS >= deadline)); then
      echo "not healthy after $1 s: ${pending[*]}"
      return 1
    fi
    sleep 2
  done
}

# the HTTP status of /actuator/health of the service in container $1, asked from inside it
health_code() {
  local port
  port=$(docker inspect -f '{{range $p, $b := .Config.ExposedPorts}}{{$p}}{{end}}' "$1" | cut -d/ -f1)
  docker exec "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET /actuator/health HTTP/1.0\r\n\r\n' >&3 && read -r _ status _ <&3 && echo \$status" 2> /dev/null
}

# waits until every service that needs Redis says UP again (HTTP 200), at most $1 seconds
wait_services_up() {
  local deadline=$((SECONDS + $1)) service id
  for service in runner-service relay-service health-aggregator ml-monitor; do
    for id in $(containers_of "$service"); do
      until [[ $(health_code "$id") == 200 ]]; do
        ((SECONDS < deadline)) || { echo "$service is not UP after $1 s"; return 1; }
        sleep 1
      done
    done
  done
}

# the pid of the JVM in container $1
java_pid() {
  docker exec "$1" sh -c 'for p in /proc/[0-9]*; do [ "$(cat $p/comm 2>/dev/null)" = java ] && { echo ${p#/proc/}; break; }; done'
}

# a patch writing FILE whose validate step greps it; $3: an extra validate command
patch_json() {
  jq -cn --arg id "$1" --arg file "$2" --arg extra "${3:-true}" \
    '{id: $id, target: "default", description: "compose check", mutations: [{path: $file, contents: "GHOST compose check\n"}],
      validate: {shell: ["grep -q GHOST \($file)", $extra]}}'
}

# waits for patch $1 to end (through the relay, which finds it wherever it is); prints its status
wait_patch() {
  local deadline=$((SECONDS + ${2:-60})) status=""
  while ((SECONDS < deadline)); do
    if [[ $(http GET "$relay/relay/patches/$1") == 200 ]]; then
      status=$(jq -r .status "$work/body")
      case $status in SUCCEEDED | FAILED | TIMED_OUT | CANCELLED | LOST) break ;; esac
    fi
    sleep 0.5
  done
  echo "${status:-unknown}"
}

# posts patch $2 to URL $1 and waits for it; prints "<status> <runner>"
run_patch() {
  local code id
  id=$(jq -r .id <<< "$2")
  code=$(http POST "$1" "$2")
  [[ $code == 200 || $code == 202 ]] || { echo "POST answered $code: $(head -c 300 "$work/body")"; return 1; }
  local status
  status=$(wait_patch "$id")
  echo "$status $(jq -r '.runner // "?"' "$work/body")"
  [[ $status == SUCCEEDED ]] || { echo "error: $(jq -r '.error // empty' "$work/body")"; return 1; }
}

runner_url() { echo "http://localhost:$("${compose[@]}" port --index="$1" runner-service 5050 2> /dev/null | sed 's/.*://')"; }

# --- steps -------------------------------------------------------------------------------------------------

step_tools() {
  docker info > /dev/null 2>&1 || { echo "no Docker engine answers (docker info)"; return 1; }
  for tool in curl jq; do command -v $tool > /dev/null || { echo "$tool is needed"; return 1; }; done
  echo "${compose[*]} $("${compose[@]}" version --short 2> /dev/null || "${compose[@]}" version | head -1),"
  echo "engine $(docker version -f '{{.Server.Version}}')"
}

step_config() {
  "${compose[@]}" config -q || return 1
  # every base image the Dockerfiles and the compose file name
  { grep -h '^FROM' ./*/Dockerfile | awk '{print $2}'; "${compose[@]}" config | awk '$1 == "image:" {print $2}'; } \
    | sort -u > "$work/images"
  echo "images: $(tr '\n' ' ' < "$work/images")"
}

step_images() {
  local images
  mapfile -t images < "$work/images"
  deploy/standin-images.sh "${images[@]}" > "$work/standins" 2>&1
  local status=$?
  sed 's/  */ /g' "$work/standins" | tr '\n' ';'
  if [[ $status == 3 ]]; then
    # only Grafana may be missing: nothing depends on it and Debian has no package to stand in for it
    local missing
    missing=$(awk '/unavailable/ {print $1}' "$work/standins")
    if [[ $missing == grafana/grafana:* ]]; then
      skipped_services+=(grafana)
      echo "grafana is left out"
      return 0
    fi
  fi
  return $status
}

step_jars() {
  local missing=()
  for dockerfile in ./*/Dockerfile; do
    module=$(dirname "$dockerfile")
    [[ -f $module/target/${module#./}-exec.jar ]] || missing+=("${module#./}")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    echo "building the jars (missing: ${missing[*]})"
    ./mvnw -q -DskipTests package > "$work/mvn.log" 2>&1 || { tail -20 "$work/mvn.log"; return 1; }
  fi
  echo "$(ls ./*/target/*-exec.jar | wc -l) exec jars"
}

# What the engine receives as build context, measured by the engine itself (.dockerignore applied): the
# Dockerfile, the exec jar and (runner) its entrypoint, nothing else.
step_contexts() {
  local module jar files size limit report=()
  for dockerfile in ./*/Dockerfile; do
    module=$(dirname "$dockerfile")
    module=${module#./}
    printf 'FROM busybox:1.36\nCOPY . /context\n' \
      | docker build -q -t "$COMPOSE_PROJECT_NAME-context-$module" -f - "$module" > /dev/null 2> "$work/context.log" \
      || { echo "$module: $(tail -1 "$work/context.log")"; return 1; }
    files=$(docker run --rm "$COMPOSE_PROJECT_NAME-context-$module" sh -c 'cd /context && find . -type f | sort | tr "\n" " "')
    size=$(docker run --rm "$COMPOSE_PROJECT_NAME-context-$module" sh -c 'du -sk /context | cut -f1')
    docker rmi -f "$COMPOSE_PROJECT_NAME-context-$module" > /dev/null
    jar=$(du -k "$module/target/$module-exec.jar" | cut -f1)
    limit=$((jar + 64))
    if ((size > limit)) || [[ $files == *./src/* || $files == *classes* ]]; then
      echo "$module: ${size} KiB sent for a ${jar} KiB jar: $files"
      return 1
    fi
    report+=("$module $((size / 1024)) MiB")
  done
  echo "${report[*]} (each: Dockerfile + exec jar)"
}

step_build() {
  "${compose[@]}" build > "$work/build.log" 2>&1 || { tail -15 "$work/build.log"; return 1; }
  echo "images built"
}

step_up() {
  local services=()
  for service in $("${compose[@]}" config --services); do
    [[ " ${skipped_services[*]} " == *" $service "* ]] || services+=("$service")
  done
  local up_started=$SECONDS
  "${compose[@]}" up -d "${services[@]}" > "$work/up.log" 2>&1 || { tail -15 "$work/up.log"; return 1; }
  wait_healthy "$healthy_timeout" || return 1
  echo "${#services[@]} services, all healthy $((SECONDS - up_started)) s after up${skipped_services[*]:+ (left out: ${skipped_services[*]})}"
}

# Every long-running service has a healthcheck (Prometheus included); Grafana's image is not checked here.
step_healthchecks_declared() {
  local id service missing=()
  for id in $("${compose[@]}" ps -q); do
    service=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id")
    [[ $service == secrets-init || $service == grafana ]] && continue
    [[ $(docker inspect -f '{{if .Config.Healthcheck}}yes{{end}}' "$id") == yes ]] || missing+=("$service")
  done
  [[ ${#missing[@]} == 0 ]] || { echo "no healthcheck: ${missing[*]}"; return 1; }
  echo "every service but secrets-init and grafana has one"
}

# The command in the README's Docker Compose section, word for word (with this machine's compose command).
step_token() {
  local command
  command=$(sed -n '/^## Docker Compose/,/^## [^D]/p' README.md | grep -m1 'secrets-init.*GHOST_ADMIN_TOKEN' | sed 's/ *#.*$//')
  [[ $command == "docker compose "* ]] || { echo "no token command in the README's Docker Compose section"; return 1; }
  command=${command/docker compose/${compose[*]}}
  local token
  token=$(bash -c "$command" 2> /dev/null)
  [[ -n $token ]] || { echo "\`$command\` printed nothing"; return 1; }
  printf 'Authorization: Bearer %s\n' "$token" > "$work/admin-auth"
  local code
  code=$(http GET "$relay/auth/me")
  [[ $code == 200 ]] || { echo "the token it printed is refused: GET /auth/me answered $code"; return 1; }
  echo "\`$command\` prints a token the stack accepts (GET /auth/me 200)"
}

# Every secret secrets-init wrote, kept here (names and values, line by line) to look for in logs: the token
# declarations' name, roles and hash are not secrets, and the ACL file is checked through the Redis password it
# holds. The registry's administrator password also lets this check read Eureka.
step_read_secrets() {
  "${compose[@]}" exec -T redis sh -c 'cd /run/ghost && find . -type f ! -name "ghost.security.tokens*" ! -name "*.acl" | sort' \
    > "$work/secret-files" || return 1
  : > "$work/secret-names"
  : > "$work/secrets"
  "${compose[@]}" exec -T redis sh -c 'cd /run/ghost && while read -r f; do printf "%s\0" "$f"; cat "$f"; printf "\0"; done' \
    < "$work/secret-files" > "$work/secret-pairs" || return 1
  local file value
  while IFS= read -r -d '' file && IFS= read -r -d '' value; do
    [[ -n $value ]] || { echo "$file is empty"; return 1; }
    echo "$file" >> "$work/secret-names"
    echo "$value" >> "$work/secrets"
  done < "$work/secret-pairs"
  rm -f "$work/secret-pairs"
  local password
  password=$("${compose[@]}" exec -T redis cat /run/ghost/registry-service/EUREKA_PASSWORD)
  printf 'Authorization: Basic %s\n' "$(printf '%s:%s' "${EUREKA_USER:-ghost}" "$password" | base64 -w0)" > "$work/eureka-auth"
  echo "$(wc -l < "$work/secrets") secrets"
}

step_patch_direct() {
  local url
  url=$(runner_url 1)
  run_patch "$url/patches" "$(patch_json "direct-$run_id" direct.txt)" || return 1
  [[ $("${compose[@]}" exec -T runner-service cat /workspaces/default/direct.txt) == "GHOST compose check" ]] \
    || { echo "direct.txt is not in the workspace"; return 1; }
  echo "at $url (docker compose port runner-service 5050); direct.txt in the workspace"
}

step_patch_relay() {
  run_patch "$relay/relay/patches" "$(patch_json "relay-$run_id" relay.txt)" || return 1
  echo "via :5060/relay/patches"
}

step_redis_password() {
  local answer
  answer=$("${compose[@]}" exec -T redis redis-cli -h redis ping 2>&1)
  [[ $answer == *NOAUTH* ]] || { echo "a client without the password got: $answer"; return 1; }
  answer=$("${compose[@]}" exec -T redis redis-cli -h redis --user default --pass guess --no-auth-warning ping 2>&1)
  [[ $answer == *WRONGPASS* || $answer == *NOPERM* || $answer == *NOAUTH* ]] \
    || { echo "the default user got: $answer"; return 1; }
  echo "without a password: NOAUTH; as the default user: refused"
}

# Redis stops: each service that needs it answers 503 DOWN, and its container's own healthcheck must fail, even
# though the body still says "status":"UP" for the components that are fine.
step_healthcheck_follows_status() {
  "${compose[@]}" stop redis > /dev/null 2>&1 || return 1
  local service id failing=() passing=()
  for service in runner-service relay-service health-aggregator ml-monitor; do
    id=$(containers_of "$service" | head -1)
    local deadline=$((SECONDS + 30)) code=""
    while ((SECONDS < deadline)); do
      code=$(health_code "$id")
      [[ $code == 503 ]] && break
      sleep 1
    done
    [[ $code == 503 ]] || { echo "$service still answers $code with Redis stopped"; return 1; }
    # the container's own healthcheck command, as Docker runs it
    local test
    test=$(docker inspect -f '{{json .Config.Healthcheck.Test}}' "$id")
    local argv=()
    if [[ $(jq -r '.[0]' <<< "$test") == CMD-SHELL ]]; then
      argv=(sh -c "$(jq -r '.[1]' <<< "$test")")
    else
      mapfile -t argv < <(jq -r '.[1:][]' <<< "$test")
    fi
    if docker exec "$id" "${argv[@]}" > /dev/null 2>&1; then passing+=("$service"); else failing+=("$service"); fi
  done
  [[ ${#passing[@]} == 0 ]] || { echo "healthcheck passes while the service is DOWN: ${passing[*]}"; return 1; }
  echo "${#failing[@]} services answer 503 without Redis and their healthchecks fail"
}

# Redis comes back as a new container on the same volume: what was written before is still there (AOF).
step_redis_persists() {
  "${compose[@]}" rm -f -s redis > /dev/null 2>&1
  "${compose[@]}" up -d --no-deps redis > "$work/redis-up.log" 2>&1 || { tail -5 "$work/redis-up.log"; return 1; }
  local back=$SECONDS
  wait_healthy 60 > /dev/null
  # Redis replays its AOF as its default user; one that may not run what it replays drops it (redis/redis#14541)
  local rejected
  rejected=$(docker logs "$(containers_of redis)" 2>&1 | grep -c 'AOF-loading-client')
  [[ $rejected == 0 ]] || { echo "Redis rejected $rejected commands of its AOF when it loaded it"; return 1; }
  wait_services_up 120 || return 1
  local recovered=$((SECONDS - back))
  wait_healthy 120 || return 1
  local code
  code=$(http GET "$relay/relay/patches/direct-$run_id")
  [[ $code == 200 && $(jq -r .status "$work/body") == SUCCEEDED ]] \
    || { echo "patch direct-$run_id after Redis was replaced: $code $(head -c 300 "$work/body")"; return 1; }
  echo "a new Redis container still has patch direct-$run_id; every service UP again ${recovered} s later"
}

step_prometheus_targets() {
  local deadline=$((SECONDS + 120)) expected total up
  # every instance in Eureka, and the two registries
  expected=$((2 + $(for app in RUNNER-SERVICE RELAY-SERVICE HEALTH-AGGREGATOR ML-MONITOR; do eureka_instances $app; done | wc -l)))
  while ((SECONDS < deadline)); do
    curl -s -m 5 "$prometheus/api/v1/targets?state=active" > "$work/targets" 2> /dev/null
    total=$(jq '.data.activeTargets | length' "$work/targets" 2> /dev/null || echo 0)
    up=$(jq '[.data.activeTargets[] | select(.health == "up")] | length' "$work/targets" 2> /dev/null || echo 0)
    ((total == expected && up == expected)) && break
    sleep 3
  done
  ((total == expected && up == expected)) || {
    echo "$up of $total targets up (expected $expected): $(jq -c '[.data.activeTargets[] | {instance: .labels.instance, health, lastError}]' "$work/targets" 2> /dev/null)"
    return 1
  }
  echo "$up/$expected up: $(jq -r '[.data.activeTargets[].labels.application] | sort | join(" ")' "$work/targets")"
}

step_scale_up() {
  "${compose[@]}" up -d --no-deps --scale runner-service=2 runner-service > "$work/scale.log" 2>&1 \
    || { tail -5 "$work/scale.log"; return 1; }
  wait_healthy 180 || return 1
  [[ $(containers_of runner-service | wc -l) == 2 ]] || { echo "$(containers_of runner-service | wc -l) runner containers"; return 1; }
  echo "2 runner containers healthy"
}

# Each replica registers under its own instance id (its container's hostname), from its own state slot.
step_distinct_instances() {
  local deadline=$((SECONDS + 30)) instances
  while ((SECONDS < deadline)); do
    instances=$(eureka_instances RUNNER-SERVICE | grep -c ' UP$')
    [[ $instances == 2 ]] && break
    sleep 1
  done
  eureka_instances RUNNER-SERVICE > "$work/runners"
  [[ $(awk '$2 == "UP"' "$work/runners" | cut -d' ' -f1 | sort -u | wc -l) == 2 ]] \
    || { echo "Eureka lists: $(tr '\n' ';' < "$work/runners")"; return 1; }
  local id states=()
  for id in $(containers_of runner-service); do
    local host
    host=$(docker inspect -f '{{.Config.Hostname}}' "$id")
    grep -q "^$host:" "$work/runners" || { echo "container $host is not in Eureka: $(tr '\n' ';' < "$work/runners")"; return 1; }
    states+=("$(docker exec "$id" sh -c "tr '\0' '\n' < /proc/$(java_pid "$id")/environ | sed -n 's/^GHOST_RUNNER_STATE_DIR=//p'")")
  done
  [[ -n ${states[0]} && ${states[0]} != "${states[1]}" ]] || { echo "state dirs: ${states[*]}"; return 1; }
  echo "$(cut -d' ' -f1 "$work/runners" | tr '\n' ' '); state dirs ${states[*]}"
}

step_both_take_patches() {
  local index runners=() result
  for index in 1 2; do
    result=$(run_patch "$(runner_url "$index")/patches" "$(patch_json "replica$index-$run_id" "replica$index.txt")") \
      || { echo "replica $index: $result"; return 1; }
    runners+=("$(cut -d' ' -f2 <<< "$result")")
  done
  [[ ${runners[0]} != "${runners[1]}" ]] || { echo "both patches ran on ${runners[0]}"; return 1; }
  # and the relay spreads patches over both
  local seen=()
  for index in 1 2 3 4; do
    result=$(run_patch "$relay/relay/patches" "$(patch_json "spread$index-$run_id" "spread$index.txt")") \
      || { echo "relay: $result"; return 1; }
    seen+=("$(cut -d' ' -f2 <<< "$result")")
  done
  local distinct
  distinct=$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)
  [[ $distinct == 2 ]] || { echo "the relay sent 4 patches to ${seen[*]}"; return 1; }
  echo "directly: one on each replica; through the relay: 4 patches over both"
}

# A runner killed outright: the health-aggregator reports its instance DOWN within seconds, and the relay
# keeps routing to the survivor.
step_kill_runner() {
  local victim host instance
  victim=$(containers_of runner-service | tail -1)
  host=$(docker inspect -f '{{.Config.Hostname}}' "$victim")
  instance=$(grep "^$host:" "$work/runners" | cut -d' ' -f1)
  [[ -n $instance ]] || { echo "container $host has no instance of its own in Eureka"; return 1; }
  local killed_at=$SECONDS killed_ns status=""
  killed_ns=$(date +%s%N)
  docker kill "$victim" > /dev/null || return 1
  while ((SECONDS < killed_at + down_within)); do
    if [[ $(http GET "$health/health/services/runner-service") == 200 ]]; then
      status=$(jq -r --arg id "$instance" '.instances[] | select(.id == $id) | .status' "$work/body")
      [[ $status == DOWN ]] && break
    fi
    sleep 0.2
  done
  local took=$((($(date +%s%N) - killed_ns) / 1000000))
  [[ $status == DOWN ]] || { echo "$instance still ${status:-unknown} ${down_within} s after the kill"; return 1; }
  run_patch "$relay/relay/patches" "$(patch_json "survivor-$run_id" survivor.txt)" > "$work/survivor" \
    || { echo "the relay could not run a patch on the survivor: $(cat "$work/survivor")"; return 1; }
  printf 'DOWN %d.%d s after docker kill; the relay routes to the survivor\n' $((took / 1000)) $((took % 1000 / 100))
}

# Scaling 2 -> 1 while the replica that goes has a patch running: the survivor stays registered throughout
# (replicas sharing one instance id deregistered it), the leaving one deregisters and rolls its patch back
# within the stop grace period (not killed: its patch would be LOST with the workspace half-patched).
step_scale_down() {
  "${compose[@]}" up -d --no-deps --scale runner-service=2 runner-service > "$work/scale.log" 2>&1 \
    || { tail -5 "$work/scale.log"; return 1; }
  wait_healthy 180 || return 1
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)) && [[ $(eureka_instances RUNNER-SERVICE | grep -c ' UP$') != 2 ]]; do sleep 1; done
  eureka_instances RUNNER-SERVICE > "$work/runners"
  local leaving survivor leaving_host survivor_host
  leaving=$(containers_of runner-service | xargs docker inspect -f '{{index .Config.Labels "com.docker.compose.container-number"}} {{.Id}}' | sort -n | tail -1 | cut -d' ' -f2)
  survivor=$(containers_of runner-service | grep -v "^${leaving:0:12}")
  leaving_host=$(docker inspect -f '{{.Config.Hostname}}' "$leaving")
  survivor_host=$(docker inspect -f '{{.Config.Hostname}}' "$survivor")
  docker logs -f "$leaving" > "$work/leaving.log" 2>&1 &
  # a patch that runs for a while, straight to the replica that will go
  local port
  port=$(docker port "$leaving" 5050/tcp | head -1 | sed 's/.*://')
  local code
  code=$(http POST "http://localhost:$port/patches" "$(patch_json "stopped-$run_id" stopped.txt 'sleep 120')")
  [[ $code == 202 ]] || { echo "long patch: POST answered $code"; return 1; }
  deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    [[ $(http GET "$relay/relay/patches/stopped-$run_id") == 200 && $(jq -r .status "$work/body") == RUNNING ]] && break
    sleep 0.5
  done
  # watch Eureka while compose scales down: the survivor must be in every answer
  (while :; do eureka_instances RUNNER-SERVICE | tr '\n' ';'; echo; sleep 0.5; done) > "$work/eureka-watch" 2> /dev/null &
  local watcher=$!
  local stop_started=$SECONDS
  "${compose[@]}" up -d --no-deps --scale runner-service=1 runner-service > "$work/scale.log" 2>&1 \
    || { kill "$watcher"; tail -5 "$work/scale.log"; return 1; }
  local stop_took=$((SECONDS - stop_started))
  sleep 8
  kill "$watcher"
  wait "$watcher" 2> /dev/null
  [[ $(containers_of runner-service) == "${survivor:0:12}"* ]] \
    || { echo "compose kept $(containers_of runner-service), not the replica without the patch"; return 1; }
  local samples missing
  samples=$(wc -l < "$work/eureka-watch")
  missing=$(grep -vc "$survivor_host:" "$work/eureka-watch")
  [[ $missing == 0 && $samples -gt 5 ]] || { echo "the survivor was missing from $missing of $samples registry answers"; return 1; }
  eureka_instances RUNNER-SERVICE | grep -q "^$leaving_host:" && { echo "the removed replica is still registered"; return 1; }
  local status
  status=$(wait_patch "stopped-$run_id" 30)
  [[ $status == CANCELLED && $(jq -r .rolledBack "$work/body") == true ]] \
    || { echo "the stopped replica's patch ended $status (rolledBack $(jq -r .rolledBack "$work/body")): $(jq -r '.error // empty' "$work/body")"; return 1; }
  "${compose[@]}" exec -T runner-service test ! -e /workspaces/default/stopped.txt \
    || { echo "stopped.txt reached the workspace"; return 1; }
  run_patch "$relay/relay/patches" "$(patch_json "after-scale-down-$run_id" after.txt)" > "$work/after" \
    || { echo "no patch runs after the scale-down: $(cat "$work/after")"; return 1; }
  echo "survivor in all $samples registry answers; the leaving replica stopped in ${stop_took} s, deregistered, its patch CANCELLED and rolled back"
}

step_stop_grace() {
  local id service grace report=()
  for id in $("${compose[@]}" ps -q); do
    service=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id")
    grace=$(docker inspect -f '{{if .Config.StopTimeout}}{{.Config.StopTimeout}}{{else}}10{{end}}' "$id")
    case $service in
      # the runner's stop: abort and roll back (kill grace 2 s + 10 s), then up to 30 s of graceful shutdown
      runner-service) ((grace >= 45)) || { echo "runner-service: stop grace ${grace} s < 45 s"; return 1; } ;;
      registry-service | registry-service-2 | relay-service | health-aggregator | ml-monitor)
        ((grace >= 30)) || { echo "$service: stop grace ${grace} s < Spring's 30 s graceful shutdown"; return 1; } ;;
    esac
    report+=("$service=${grace}s")
  done
  echo "$(printf '%s\n' "${report[@]}" | sort -u | tr '\n' ' ')"
}

# Images: the application in its own small layer over the dependencies', run as ghost; the runner's image has
# every tool the runner and its entrypoint call, and its JVM runs without any capability.
step_images_layered() {
  local id service image report=()
  for id in $("${compose[@]}" ps -q); do
    service=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id")
    [[ -f $service/Dockerfile ]] || continue
    image=$(docker inspect -f '{{.Image}}' "$id")
    [[ $(docker image inspect -f '{{.Config.User}}' "$image") == ghost ]] || { echo "$service: image user is not ghost"; return 1; }
    # the COPY layers of the final stage, newest first: application (small) ... dependencies (large)
    docker history --no-trunc --human=false --format '{{.Size}} {{.CreatedBy}}' "$image" | awk '/COPY/ && $1 > 0 {print $1}' > "$work/layers"
    local newest largest count
    count=$(wc -l < "$work/layers")
    newest=$(head -1 "$work/layers")
    largest=$(sort -n "$work/layers" | tail -1)
    ((count >= 2 && newest < 5 * 1024 * 1024 && largest > 20 * 1024 * 1024)) \
      || { echo "$service: not layered (COPY layers: $(tr '\n' ' ' < "$work/layers"))"; return 1; }
    local pid status
    pid=$(java_pid "$id")
    status=$(docker exec "$id" sh -c "grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs):' /proc/$pid/status" | tr -s '\t' ' ')
    [[ $(awk '/^Uid:/ {print $2}' <<< "$status") == 10001 && $(awk '/^CapEff:/ {print $2}' <<< "$status") == 0000000000000000 ]] \
      || { echo "$service: its JVM runs with $status"; return 1; }
    if [[ $service == runner-service ]]; then
      [[ $(awk '/^CapBnd:/ {print $2}' <<< "$status") == 0000000000000000 && $(awk '/^NoNewPrivs:/ {print $2}' <<< "$status") == 1 ]] \
        || { echo "runner-service: its JVM can regain privileges: $status"; return 1; }
      # Bubblewrap.java, OverlayTransaction, ProcessGroups, BackupTransaction; docker-entrypoint.sh
      local missing
      missing=$(docker exec "$id" sh -c 'for t in bwrap unshare mount setsid kill rm flock findmnt umount setpriv; do command -v $t > /dev/null || printf "%s " $t; done')
      [[ -z $missing ]] || { echo "runner-service image lacks: $missing"; return 1; }
    fi
    report+=("$service $((newest / 1024)) KiB over $((largest / 1024 / 1024)) MiB")
  done
  echo "JVMs as uid 10001 without capabilities; $(IFS=,; echo "${report[*]}")"
}

# Every container has a memory limit it stays well within, none was killed for memory, and each JVM's heap
# leaves room in its limit.
step_memory() {
  local id service limit used report=()
  # one sample of every container at once (docker stats takes a second or two per call)
  local containers
  mapfile -t containers < <("${compose[@]}" ps -q)
  docker stats --no-stream --no-trunc --format '{{.ID}} {{.MemUsage}}' "${containers[@]}" > "$work/stats"
  for id in $("${compose[@]}" ps -q); do
    service=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id")
    [[ $service == secrets-init ]] && continue
    limit=$(docker inspect -f '{{.HostConfig.Memory}}' "$id")
    ((limit > 0)) || { echo "$service has no memory limit"; return 1; }
    [[ $(docker inspect -f '{{.State.OOMKilled}}' "$id") == false ]] || { echo "$service was killed for memory"; return 1; }
    used=$(awk -v id="$id" '$1 == id {sub(/B$/, "", $2); print $2}' "$work/stats" | numfmt --from=iec-i 2> /dev/null || echo 0)
    ((used < limit * 9 / 10)) || { echo "$service uses $((used / 1048576)) of its $((limit / 1048576)) MiB"; return 1; }
    report+=("$service $((used / 1048576))/$((limit / 1048576))M")
  done
  # heap maxima as the JVMs report them (Prometheus scrapes them all)
  curl -s -m 5 "$prometheus/api/v1/query" --data-urlencode 'query=sum by (application, instance) (jvm_memory_max_bytes{area="heap"})' \
    > "$work/heap"
  local heaps
  heaps=$(jq -r '.data.result[] | "\(.metric.application) \(.value[1])"' "$work/heap" 2> /dev/null)
  [[ -n $heaps ]] || { echo "no heap figures in Prometheus"; return 1; }
  while read -r application heap; do
    id=$(containers_of "$application" | head -1)
    limit=$(docker inspect -f '{{.HostConfig.Memory}}' "$id")
    ((${heap%.*} <= limit * 6 / 10)) || { echo "$application: heap max $((${heap%.*} / 1048576)) MiB in a $((limit / 1048576)) MiB container"; return 1; }
  done <<< "$heaps"
  echo "used/limit: $(IFS=,; echo "${report[*]}"); every heap max <= 60 % of its limit"
}

# The registries are peers: each one's own URL is itself (no replication to itself: 413 batch failures), what
# registers with one is listed by the other, and no credential is in their logs (next step).
step_registry_peers() {
  local id service
  for service in registry-service registry-service-2; do
    id=$(containers_of $service)
    docker logs "$id" > "$work/$service.log" 2>&1
    if grep -qiE 'Batch update failure' "$work/$service.log"; then
      echo "$service: $(grep -ciE 'Batch update failure' "$work/$service.log") replication errors: $(grep -m1 -iE 'Batch update failure' "$work/$service.log" | cut -c1-200)"
      return 1
    fi
  done
  local first second
  first=$(eureka_instances RUNNER-SERVICE | sort)
  second=$(registry=http://localhost:8762 eureka_instances RUNNER-SERVICE | sort)
  [[ -n $first && $first == "$second" ]] || { echo "the registries disagree on the runners: [$first] vs [$second]"; return 1; }
  echo "no replication error; both list the same $(wc -l <<<"$first") runner(s)"
}

# No generated secret, and no URL with a password, in any container's log (the removed replicas' included).
step_logs_clean() {
  "${compose[@]}" logs --no-color > "$work/all.log" 2>&1
  cat "$work/leaving.log" >> "$work/all.log" 2> /dev/null
  local leaks=0 file secret
  while read -r file && read -r secret <&3; do
    grep -qF -- "$secret" "$work/all.log" || continue
    echo "the content of $file is in the logs"
    leaks=$((leaks + 1))
  done < "$work/secret-names" 3< "$work/secrets"
  if grep -qE '://[^/@[:space:]]+:[^/@[:space:]]+@' "$work/all.log"; then
    echo "a URL with a password: $(grep -oE '://[^/@[:space:]]+:[^/@[:space:]]+@' "$work/all.log" | head -1 | sed 's/:[^:@]*@/:<hidden>@/')"
    leaks=$((leaks + 1))
  fi
  ((leaks == 0)) || return 1
  echo "none of $(wc -l < "$work/secrets") secrets in $(wc -l < "$work/all.log") log lines"
}

echo "GHOST compose check: $(date -u +%Y-%m-%dT%H:%MZ), project $COMPOSE_PROJECT_NAME"
# a stack left by an interrupted run of this check would hold the ports
"${compose[@]}" down -v --remove-orphans > /dev/null 2>&1
critical "tools" step_tools
critical "compose file valid" step_config
critical "base images" step_images
critical "exec jars" step_jars
check "build contexts hold the Dockerfile and the jar only (.dockerignore)" step_contexts
critical "images build" step_build
critical "stack up, every container healthy" step_up
check "every service has a healthcheck (Prometheus too)" step_healthchecks_declared
critical "admin token read the README's way" step_token
critical "secrets read for the log check" step_read_secrets
check "images layered, non-root, runner has its tools" step_images_layered
check "stop grace periods" step_stop_grace
check "patch straight to a runner" step_patch_direct
check "patch through the relay" step_patch_relay
check "Redis refuses a client without the password" step_redis_password
check "Prometheus: every target up" step_prometheus_targets
check "healthchecks fail when the service is DOWN (Redis stopped)" step_healthcheck_follows_status
critical "Redis keeps its data in a new container (AOF, volume)" step_redis_persists
critical "runners scale to 2" step_scale_up
check "replicas: distinct Eureka instance ids and state dirs" step_distinct_instances
check "replicas: both take patches" step_both_take_patches
check "killed runner DOWN via the health-aggregator" step_kill_runner
check "scale down to 1: survivor stays registered, stopped patch rolled back" step_scale_down
check "memory limits and heap sizes" step_memory
check "registries: two peers, no self-replication, the same runners in both" step_registry_peers
check "no secret in any log" step_logs_clean
