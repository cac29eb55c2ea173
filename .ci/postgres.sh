#!/usr/bin/env bash
# Gives the test suite a real PostgreSQL, so CI never skips the PostgreSQL tests.
# - Installs postgresql from Debian's packages when initdb/pg_ctl are missing (apt-get update first).
#   Debian puts them off PATH, in /usr/lib/postgresql/VERSION/bin, so that is searched too.
# - Creates a private cluster in a fresh temporary folder (never the system's /var/lib cluster),
#   run as the `postgres` system user because initdb and the server refuse to run as root.
# - Listens on 127.0.0.1:${PG_PORT:-5439} only, with its unix socket in that folder; trust
#   authentication on 127.0.0.1 only; durability off (fsync, synchronous_commit, full_page_writes)
#   because test data is thrown away; 200 connections for parallel test files.
# - A PostgreSQL already answering on that port is used as it is.
# - Waits until pg_isready answers.
# - Prints DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres as its last line (progress goes to stderr).
# Exits non-zero with a message naming what failed.
set -euo pipefail
# runuser and useradd live in sbin, which a non-login root shell may lack.
PATH="$PATH:/usr/sbin:/sbin"

PORT="${PG_PORT:-5439}"
HOST=127.0.0.1
START_SECONDS=60
READY_SECONDS=30

fail() {
  echo ".ci/postgres.sh: $*" >&2
  exit 1
}

# The folder holding initdb, pg_ctl, postgres and pg_isready of one version: PATH first (resolving
# symlinks such as /usr/local/bin/initdb, so all four come from the same version), else the newest
# /usr/lib/postgresql/*/bin.
find_bindir() {
  local dir
  if command -v initdb >/dev/null 2>&1; then
    dir="$(dirname "$(readlink -f "$(command -v initdb)")")"
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && [ -x "$dir/pg_isready" ]; then
      echo "$dir"
      return
    fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -rn); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && [ -x "$dir/pg_isready" ]; then
      echo "$dir"
      return
    fi
  done
}

as_root=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
fi

BINDIR="$(find_bindir)"
if [ -z "$BINDIR" ]; then
  command -v apt-get >/dev/null 2>&1 || fail "PostgreSQL (initdb, pg_ctl) is not installed and there is no apt-get to install it with"
  [ "$(id -u)" -eq 0 ] || [ ${#as_root[@]} -gt 0 ] || fail "PostgreSQL is not installed; installing it needs root or sudo"
  echo ".ci/postgres.sh: installing postgresql from Debian's packages" >&2
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || fail "apt-get update failed"
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2 ||
    fail "apt-get install postgresql failed"
  BINDIR="$(find_bindir)"
  [ -n "$BINDIR" ] || fail "initdb/pg_ctl are still missing after apt-get install postgresql (looked on PATH and in /usr/lib/postgresql/*/bin)"
fi

ready() {
  "$BINDIR/pg_isready" -q -h "$HOST" -p "$PORT" -d postgres -U postgres
}

# pg_isready exits 0 when accepting connections, 1 while starting up, 2 when nothing answers:
# anything but 2 means a PostgreSQL is already there.
answers() {
  local status=0
  "$BINDIR/pg_isready" -q -h "$HOST" -p "$PORT" -d postgres -U postgres || status=$?
  [ "$status" -ne 2 ]
}

if answers; then
  echo ".ci/postgres.sh: a PostgreSQL already answers on $HOST:$PORT; using it" >&2
else
  # initdb and postgres refuse to run as root: as root, run them as the `postgres` user (which the
  # Debian package creates; made here when the binaries came from elsewhere).
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
      echo ".ci/postgres.sh: creating the postgres system user" >&2
      useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /bin/sh postgres ||
        fail "could not create the postgres system user (useradd)"
    fi
    as_pg=(runuser -u postgres --)
  fi

  dir="$(mktemp -d "${TMPDIR:-/tmp}/alita-ci-postgres.XXXXXX")"
  [ ${#as_pg[@]} -eq 0 ] || chown postgres: "$dir" || fail "could not hand $dir to the postgres user"
  ${as_pg[@]+"${as_pg[@]}"} test -w "$dir" || fail "the postgres user cannot write to $dir (is ${TMPDIR:-/tmp} private?)"

  ${as_pg[@]+"${as_pg[@]}"} "$BINDIR/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale --auth-local=peer --auth-host=trust --no-sync \
    >"$dir/initdb.log" 2>&1 || fail "initdb failed in $dir/data; last lines of $dir/initdb.log:
$(tail -n 20 "$dir/initdb.log" 2>/dev/null)"

  # Trust on 127.0.0.1 only; the unix socket (in the private folder) needs the matching OS user;
  # nothing on ::1 or other hosts.
  ${as_pg[@]+"${as_pg[@]}"} sh -c 'cat >"$1/pg_hba.conf"' sh "$dir/data" <<'EOF' || fail "could not write pg_hba.conf"
local all all peer
host  all all 127.0.0.1/32 trust
EOF
  ${as_pg[@]+"${as_pg[@]}"} sh -c 'cat >>"$1/postgresql.conf"' sh "$dir/data" <<EOF || fail "could not write postgresql.conf"
# .ci/postgres.sh: a throwaway cluster for tests.
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  # pg_ctl -l detaches the server from our stdout, so `$(.ci/postgres.sh | tail -n 1)` returns.
  ${as_pg[@]+"${as_pg[@]}"} "$BINDIR/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t "$START_SECONDS" start >&2 ||
    fail "pg_ctl could not start the PostgreSQL server on $HOST:$PORT (it waits up to $START_SECONDS s); last lines of $dir/postgres.log:
$(tail -n 20 "$dir/postgres.log" 2>/dev/null)"
  echo ".ci/postgres.sh: PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on $HOST:$PORT (folder $dir; stop: ${as_pg[*]:+${as_pg[*]} }$BINDIR/pg_ctl -D $dir/data stop)" >&2
fi

for _ in $(seq 1 $((READY_SECONDS * 10))); do
  ready && break
  sleep 0.1
done
ready || fail "pg_isready got no answer from $HOST:$PORT after $READY_SECONDS s"

echo "DATABASE_URL=postgres://postgres@$HOST:$PORT/postgres"
