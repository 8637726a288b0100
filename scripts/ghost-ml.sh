#!/usr/bin/env bash
# ghost ml templates|detect --in PATH --out PATH
# Offline log template mining and anomaly detection with ml-monitor's algorithms; no server is
# started. Builds the ml-monitor jar first when it is missing or older than its sources.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ ${1:-} == -h || ${1:-} == --help || $# == 0 ]]; then
  cat <<'USAGE'
./ghost ml templates --in FILE --out FILE       one template per input line (offline log template mining)
./ghost ml detect --in DIR|FILE --out DIR|FILE  one anomaly score in [0, 1] per input row (CSV timestamp,value)
USAGE
  exit 0
fi
JAR="$ROOT/ml-monitor/target/ml-monitor.jar"

stale() {
  [ ! -f "$JAR" ] && return 0
  [ -d "$ROOT/ml-monitor/src/main" ] || return 1
  [ -n "$(find "$ROOT/ml-monitor/src/main" -type f -newer "$JAR" -print -quit 2>/dev/null)" ]
}

if stale; then
  echo "ghost ml: building ml-monitor (once)..." >&2
  (cd "$ROOT" && ./mvnw -q -B -pl ml-monitor -am package -DskipTests) >&2
fi

command -v java >/dev/null 2>&1 || { echo "ghost ml: a JDK (java 17+) is required on PATH" >&2; exit 1; }
# The CLI uses only the JDK and ml-monitor's own classes: the plain module jar is the whole classpath.
exec java ${GHOST_ML_JAVA_OPTS:-} -cp "$JAR" dev.ghost.ml.cli.MlCli "$@"
