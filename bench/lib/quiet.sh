# Sourced by the bench scripts: benchmarks measure nothing useful on a busy machine.
# Refuses to start when the 1-minute load average is above BENCH_MAX_LOAD (1) unless BENCH_FORCE=1,
# and gives load_now for the figures printed during and after the run.
load_now() { cut -d' ' -f1-3 /proc/loadavg; }
require_quiet() {
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  if awk -v l="$load" -v max="${BENCH_MAX_LOAD:-1}" 'BEGIN { exit !(l > max) }'; then
    if [[ ${BENCH_FORCE:-0} == 1 ]]; then
      echo "WARNING: load average $(load_now) is above ${BENCH_MAX_LOAD:-1}: these figures are taken on a busy machine" >&2
    else
      echo "refusing to start: load average $(load_now) is above ${BENCH_MAX_LOAD:-1}; stop builds, tests and stacks first" \
        "(BENCH_FORCE=1 measures anyway, with a warning)" >&2
      exit 3
    fi
  fi
  echo "machine: $(nproc) cores, load average before the run: $(load_now)"
}
