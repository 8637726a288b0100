#!/usr/bin/env bash
# ./ghost apply FILE|DIR... [--via relay] [--follow]: submit patch files and print their summaries.
# Needs only a JDK; builds the runner's jar on first use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/runner-service/target/runner-service-exec.jar"
if [ ! -f "$JAR" ]; then
  echo "ghost apply: building runner-service (first use)..." >&2
  (cd "$ROOT" && ./mvnw -q -B -pl runner-service -am package -DskipTests) >&2
fi
exec java -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$JAR" -Dloader.main=dev.ghost.runner.cli.GhostApply \
  org.springframework.boot.loader.launch.PropertiesLauncher --home "$ROOT" "$@"
