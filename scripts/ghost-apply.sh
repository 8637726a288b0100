#!/usr/bin/env bash
# ./ghost apply FILE|DIR... [--via relay] [--follow]: submit patch files and print their summaries.
# Needs only a JDK; builds the runner's jar on first use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  cat <<'USAGE'
./ghost apply FILE|DIR... [--via relay] [--follow]
  Posts each patch file (a directory: its *.json in name order) to the runner (GHOST_URL, default
  http://localhost:5050) or with --via relay to the relay (GHOST_RELAY_URL), with GHOST_TOKEN or .ghost/token;
  --follow prints each patch's log live; prints each summary. Exit 0 only if every patch SUCCEEDED.
USAGE
  exit 0
fi
JAR="$ROOT/runner-service/target/runner-service-exec.jar"
# a jar older than the sources it is built from would run yesterday's client
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/runner-service/src/main" "$ROOT/common/src/main" "$ROOT/runner-service/pom.xml" \
    "$ROOT/common/pom.xml" -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "ghost apply: building runner-service (its sources changed, or first use)..." >&2
  (cd "$ROOT" && ./mvnw -q -B -pl runner-service -am package -DskipTests) >&2
fi
exec java -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$JAR" -Dloader.main=dev.ghost.runner.cli.GhostApply \
  org.springframework.boot.loader.launch.PropertiesLauncher --home "$ROOT" "$@"
