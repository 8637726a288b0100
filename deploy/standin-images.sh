#!/usr/bin/env bash
# Makes sure each base image named on the command line is there: already present, else pulled, else (on a
# host that reaches Debian's mirrors but no image registry) built locally as a stand-in from Debian packages
# and tagged with the very name the Dockerfiles and docker-compose.yml use, so the compose file runs unchanged.
#
#   deploy/standin-images.sh eclipse-temurin:17-jre redis:7 prom/prometheus:v3.5.0 busybox:1.36
#
# Prints one line per image ("present", "pulled", "stand-in built", "unavailable") and exits 3 when some
# image is unavailable (no registry and no stand-in recipe: Grafana has no Debian package). A stand-in keeps
# the real image's conventions that GHOST relies on (entrypoint, command, user, working directory, the tools
# its healthchecks call) and carries the label dev.ghost.standin=<what it was built from>.
# Needs root, debootstrap and Docker. Built images are the cache: a second run finds them present; the
# downloaded .deb files are kept in $GHOST_STANDIN_CACHE for rebuilds.
set -euo pipefail

cache=${GHOST_STANDIN_CACHE:-/var/cache/ghost-standins}
suite=${GHOST_STANDIN_SUITE:-bookworm}
mirror=${GHOST_STANDIN_MIRROR:-http://deb.debian.org/debian}
pull_timeout=${GHOST_PULL_TIMEOUT:-60}

log() { printf '%s\n' "$*" >&2; }

# debootstrap's minimal Debian with PACKAGES into DIR; apt's lists and docs dropped (images stay small)
debian_rootfs() {
  local dir=$1 packages=$2
  mkdir -p "$cache/debs"
  debootstrap --variant=minbase --include="$packages" --cache-dir="$cache/debs" "$suite" "$dir" "$mirror" \
    > "$dir.log" 2>&1 || { log "debootstrap failed, see $dir.log"; tail -5 "$dir.log" >&2; return 1; }
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/usr/share/doc/* "$dir"/usr/share/man/* \
         "$dir"/usr/share/locale/*
}

# tars DIR into IMAGE with the Dockerfile-like CHANGES (docker import --change)
import_rootfs() {
  local dir=$1 image=$2 origin=$3
  shift 3
  local changes=(--change "LABEL dev.ghost.standin=\"$origin\"")
  for change in "$@"; do changes+=(--change "$change"); done
  tar --numeric-owner -C "$dir" -c . | docker import "${changes[@]}" - "$image" > /dev/null
}

# eclipse-temurin:17-jre: Debian's OpenJDK 17 JRE where Temurin keeps it (JAVA_HOME=/opt/java/openjdk, on PATH),
# apt-get and useradd as in the real (Ubuntu-based) image, so the services' Dockerfiles run unchanged
build_jre() {
  local image=$1 dir=$2
  debian_rootfs "$dir" openjdk-17-jre-headless,ca-certificates
  mkdir -p "$dir/opt/java"
  ln -s /usr/lib/jvm/java-17-openjdk-amd64 "$dir/opt/java/openjdk"
  import_rootfs "$dir" "$image" "debian-$suite openjdk-17-jre-headless" \
    "ENV JAVA_HOME=/opt/java/openjdk" \
    "ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "ENV LANG=C.UTF-8" \
    'CMD ["jshell"]'
}

# redis:7: Debian's redis-server behind an entrypoint that, like the official one, runs redis-server as the
# redis user in /data (owning it), takes bare options as options of redis-server, and (the official image is
# built so) starts without protected mode unless a config file says otherwise: clients come from other containers
build_redis() {
  local image=$1 dir=$2
  debian_rootfs "$dir" redis-server
  mkdir -p "$dir/data"
  cat > "$dir/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
set -e
case "$1" in -*) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ]; then
  shift
  case "${1:-}" in
    "" | -*) set -- redis-server --protected-mode no "$@" ;;
    *) set -- redis-server "$@" ;;
  esac
fi
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$@"
fi
exec "$@"
ENTRYPOINT
  chmod 0755 "$dir/usr/local/bin/docker-entrypoint.sh"
  import_rootfs "$dir" "$image" "debian-$suite redis-server" \
    "WORKDIR /data" "VOLUME /data" "EXPOSE 6379" \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["redis-server"]'
}

# prom/prometheus: Debian's Prometheus as /bin/prometheus, run as nobody in /prometheus like the real image;
# wget for healthchecks (the real image has busybox's)
build_prometheus() {
  local image=$1 dir=$2
  debian_rootfs "$dir" prometheus,wget
  mkdir -p "$dir/prometheus"
  chown 65534:65534 "$dir/prometheus"
  import_rootfs "$dir" "$image" "debian-$suite prometheus" \
    "USER nobody" "WORKDIR /prometheus" "VOLUME /prometheus" "EXPOSE 9090" \
    'ENTRYPOINT ["/bin/prometheus"]' \
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
}

# busybox: Debian's static busybox with its applets linked in /bin, root and nobody, CMD sh
build_busybox() {
  local image=$1 dir=$2
  local debs=$cache/debs
  mkdir -p "$debs" "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/root" "$dir/unpacked"
  (cd "$debs" && ls busybox-static_*.deb > /dev/null 2>&1 || apt-get download -o APT::Sandbox::User=root busybox-static > /dev/null)
  dpkg-deb -x "$(ls "$debs"/busybox-static_*.deb | tail -1)" "$dir/unpacked"
  cp "$dir/unpacked/bin/busybox" "$dir/bin/busybox"
  rm -rf "$dir/unpacked"
  chroot "$dir" /bin/busybox --install -s /bin
  chmod 1777 "$dir/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' > "$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$dir/etc/group"
  import_rootfs "$dir" "$image" "debian busybox-static" 'CMD ["sh"]'
}

recipe_for() {
  case "$1" in
    eclipse-temurin:17-jre*) echo build_jre ;;
    redis:7*) echo build_redis ;;
    prom/prometheus:*) echo build_prometheus ;;
    busybox:*) echo build_busybox ;;
    *) return 1 ;;
  esac
}

unavailable=0
for image in "$@"; do
  if docker image inspect "$image" > /dev/null 2>&1; then
    origin=$(docker image inspect -f '{{index .Config.Labels "dev.ghost.standin"}}' "$image" 2>/dev/null || true)
    printf '%-28s present%s\n' "$image" "${origin:+ (stand-in from $origin)}"
  elif timeout "$pull_timeout" docker pull -q "$image" > /dev/null 2>&1; then
    printf '%-28s pulled\n' "$image"
  elif recipe=$(recipe_for "$image"); then
    [[ $EUID == 0 ]] || { log "building a stand-in for $image needs root (debootstrap, chroot)"; exit 1; }
    command -v debootstrap > /dev/null || { log "debootstrap is needed to build a stand-in for $image"; exit 1; }
    work=$(mktemp -d "${TMPDIR:-/tmp}/ghost-standin.XXXXXX")
    started=$SECONDS
    if "$recipe" "$image" "$work/rootfs"; then
      printf '%-28s stand-in built in %ss\n' "$image" $((SECONDS - started))
      rm -rf "$work"
    else
      log "building a stand-in for $image failed (work dir kept: $work)"
      exit 1
    fi
  else
    printf '%-28s unavailable (cannot be pulled; no stand-in recipe)\n' "$image"
    unavailable=1
  fi
done
[[ $unavailable == 0 ]] || exit 3
