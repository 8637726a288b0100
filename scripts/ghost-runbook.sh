#!/usr/bin/env bash
# ./ghost runbook list | show NAME [--alert ID] | run NAME --alert ID [--follow]: runbooks from a terminal.
# Needs only a JDK; builds ml-monitor's jar (which carries the remediation module) on first use.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ $# -eq 0 || ${1:-} == -h || ${1:-} == --help ]]; then
  cat <<'USAGE'
./ghost runbook list                          the runbooks: name, version, automatic or not, what they match
./ghost runbook show NAME [--alert ID]        one runbook (its patch template); with --alert, the patch it would run
./ghost runbook run NAME --alert ID [--follow]
                                              run it for a firing alert (its fingerprint from GET /alerts, or a unique
                                              prefix), as you (your token needs SUBMIT); --follow waits for the outcome
                                              and for health's verdict
Environment: GHOST_ML_URL (default http://localhost:5080), GHOST_TOKEN (default: .ghost/token).
USAGE
  [[ $# -eq 0 ]] && exit 2
  exit 0
fi
JAR="$ROOT/ml-monitor/target/ml-monitor-exec.jar"
# a jar older than the sources it is built from would run yesterday's client
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/remediation/src/main" "$ROOT/ml-monitor/src/main" "$ROOT/alerting/src/main" \
    "$ROOT/common/src/main" "$ROOT/remediation/pom.xml" -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "ghost runbook: building ml-monitor (its sources changed, or first use)..." >&2
  (cd "$ROOT" && ./mvnw -q -B -pl ml-monitor -am package -DskipTests) >&2
fi
exec java -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$JAR" -Dloader.main=dev.ghost.remediation.cli.RunbookCli \
  org.springframework.boot.loader.launch.PropertiesLauncher --home "$ROOT" "$@"
