#!/usr/bin/env bash
# Gives the test suite a real Redis, so CI never skips the Redis tests.
# - Installs redis-server from Debian's packages when it is missing (apt-get update first).
# - Starts it on 127.0.0.1:${REDIS_PORT:-6399}, daemonized, with no persistence, in a temporary
#   folder; a Redis already answering there is used as it is.
# - Waits until `redis-cli ping` answers PONG.
# - Prints REDIS_URL=redis://127.0.0.1:PORT as its last line (progress goes to stderr).
# Exits non-zero with a message naming what failed.
set -euo pipefail

PORT="${REDIS_PORT:-6399}"
HOST=127.0.0.1

fail() {
  echo ".ci/redis.sh: $*" >&2
  exit 1
}

pong() {
  [ "$(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null)" = "PONG" ]
}

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || fail "redis-server is not installed and there is no apt-get to install it with"
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "redis-server is not installed; installing it needs root or sudo"
    as_root=(sudo -n)
  fi
  echo ".ci/redis.sh: installing redis-server from Debian's packages" >&2
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || fail "apt-get update failed"
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server redis-tools >&2 ||
    fail "apt-get install redis-server failed"
  command -v redis-server >/dev/null 2>&1 || fail "redis-server is still missing after apt-get install"
  command -v redis-cli >/dev/null 2>&1 || fail "redis-cli is still missing after apt-get install (package redis-tools)"
fi

if pong; then
  echo ".ci/redis.sh: a Redis already answers on $HOST:$PORT; using it" >&2
else
  dir="$(mktemp -d "${TMPDIR:-/tmp}/alita-ci-redis.XXXXXX")"
  redis-server --port "$PORT" --bind "$HOST" --save '' --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2 ||
    fail "redis-server did not start on $HOST:$PORT (log: $dir/redis.log)"
  for _ in $(seq 1 150); do
    pong && break
    sleep 0.1
  done
  pong || fail "no PONG from $HOST:$PORT after 15 s; last lines of $dir/redis.log:
$(tail -n 20 "$dir/redis.log" 2>/dev/null)"
  echo ".ci/redis.sh: redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on $HOST:$PORT (folder $dir)" >&2
fi

echo "REDIS_URL=redis://$HOST:$PORT"
