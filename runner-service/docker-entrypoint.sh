#!/bin/sh
# The runner's entrypoint: an unmasked /proc for the sandbox, then a state directory of its own.
set -eu

# Started as root (docker-compose.yml, with CAP_SYS_ADMIN): bubblewrap mounts a fresh /proc for each patch
# command, which the kernel allows in a user namespace only where /proc is fully visible, and writes the
# sandbox's own user.max_user_namespaces; Docker masks parts of /proc and makes /proc/sys read-only. Undo
# that (what `--security-opt systempaths=unconfined` does, which Compose v1 cannot pass), then become ghost
# with no capability, an empty bounding set and no_new_privs: nothing the runner starts can be root again.
# Started as ghost (plain `docker run --security-opt systempaths=unconfined`), /proc is already usable.
if [ "$(id -u)" = 0 ]; then
  findmnt -rn -o TARGET | grep '^/proc/' | sort -r | while read -r masked; do
    umount "$masked" || echo "docker-entrypoint: cannot unmask $masked (no CAP_SYS_ADMIN?); the sandbox will not start" >&2
  done
  exec setpriv --reuid=ghost --regid=ghost --init-groups --inh-caps=-all --bounding-set=-all --no-new-privs \
    -- "$0" "$@"
fi

# A runner's state (journals for crash recovery, overlay layers, command logs) must be its own and must
# outlive its container. Replicas (docker compose up --scale runner-service=N) share one state volume: each
# takes the first free numbered slot in it, locked for as long as its JVM lives (the JVM inherits the locked
# descriptor). A replica that replaces a dead one takes over its slot with the journals it left, and undoes
# them before it runs anything. Only the runner on slot 0 watches the inbox: two watchers would race for
# each file.
slots=${GHOST_RUNNER_STATE_SLOTS:-/var/lib/ghost/runner}
mkdir -p "$slots"
slot=0
while :; do
  exec 9> "$slots/$slot.lock"
  if flock --nonblock 9; then break; fi
  slot=$((slot + 1))
done
export GHOST_RUNNER_STATE_DIR="$slots/$slot"
if [ "$slot" != 0 ]; then unset GHOST_RUNNER_INBOX; fi
exec java -jar /app/app.jar "$@"
