#!/bin/sh
# Fills the settings/secrets/ files of a GHOST overlay (a copy of overlays/example) with random values, the way
# docker-compose.yml's secrets-init does: a file that is missing, empty or still a placeholder (REPLACE-ME…) gets a new
# value; any other is kept, so running it again changes nothing and a value you chose stays yours.
#   usage: deploy/k8s/generate-secrets.sh deploy/k8s/overlays/mine
# settings/secrets/redis-url is written from settings/secrets/redis-password (Redis's address: REDIS_HOST, default redis:6379).
# settings/secrets/slack-webhook-url is left as it is (empty: alerts are kept at /alerts, not sent to Slack).
set -eu
overlay=${1:?usage: $0 OVERLAY_DIR (a copy of deploy/k8s/overlays/example)}
case "$(cd "$overlay" && pwd)" in
  */deploy/k8s/overlays/example) echo "$0: overlays/example keeps its placeholders; copy it first" >&2; exit 2 ;;
esac
dir=$overlay/settings/secrets
mkdir -p "$dir"
umask 077

random() { printf '%s%s' "$1" "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; }
placeholder() { [ ! -s "$1" ] || grep -q '^REPLACE-ME' "$1"; }
keep() { # file, prefix of a new value
  if placeholder "$dir/$1"; then random "$2" > "$dir/$1"; echo "generated $dir/$1"; fi
}

keep admin-token ghost_
keep service-token ghost_
keep token-key ""
keep registry-admin-password ""
for service in runner-service relay-service health-aggregator ml-monitor; do
  keep "registry-$service" ""
done
keep redis-password ""
if [ ! -s "$dir/redis-url" ] || grep -q REPLACE-ME "$dir/redis-url"; then
  printf 'redis://ghost:%s@%s' "$(cat "$dir/redis-password")" "${REDIS_HOST:-redis:6379}" > "$dir/redis-url"
  echo "generated $dir/redis-url"
fi
[ -e "$dir/slack-webhook-url" ] || : > "$dir/slack-webhook-url"
echo "admin token: $dir/admin-token"
