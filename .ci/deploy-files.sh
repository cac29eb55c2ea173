#!/usr/bin/env bash
# Checks the deployment files that cannot be run here (no Docker engine, no systemd running the bot):
# - compose.yaml: `docker-compose config -q` (Debian's docker-compose 1.29, installed with
#   apt-get when missing) parses it, checks it against the compose schema and resolves its
#   variables, with a .env made as the README says (.env.example plus POSTGRES_PASSWORD), in a
#   temporary folder so a developer's own .env is neither read nor touched.
# - deploy/alita-news.service: `systemd-analyze verify` (keys, values, that node is executable),
#   with node's path as installed here; any complaint about the unit fails. Skipped with a note
#   where systemd-analyze is missing.
# (The Dockerfile's command and contents are checked by test/deploy-files.test.ts.)
# Exits non-zero with a message naming what failed.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo ".ci/deploy-files.sh: $*" >&2
  exit 1
}

as_root=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
fi

if ! command -v docker-compose >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || fail "docker-compose is not installed and there is no apt-get to install it with"
  [ "$(id -u)" -eq 0 ] || [ ${#as_root[@]} -gt 0 ] || fail "docker-compose is not installed; installing it needs root or sudo"
  echo ".ci/deploy-files.sh: installing docker-compose from Debian's packages" >&2
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || fail "apt-get update failed"
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >&2 ||
    fail "apt-get install docker-compose failed"
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/alita-ci-deploy.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
cp compose.yaml Dockerfile .dockerignore "$dir/"
{ cat .env.example; echo 'POSTGRES_PASSWORD=ci-check'; } >"$dir/.env"
(cd "$dir" && docker-compose config -q) || fail "docker-compose config rejects compose.yaml (docker-compose $(docker-compose version --short 2>/dev/null))"
echo ".ci/deploy-files.sh: compose.yaml is valid (docker-compose $(docker-compose version --short))" >&2

if command -v systemd-analyze >/dev/null 2>&1; then
  node="$(command -v node)" || fail "node is not on PATH"
  sed "s|/usr/bin/node|$node|g" deploy/alita-news.service >"$dir/alita-news.service"
  status=0
  out="$(systemd-analyze verify "$dir/alita-news.service" 2>&1)" || status=$?
  # verify only warns about an unknown key or a value it cannot parse: those fail here too.
  complaints="$(grep -F 'alita-news.service' <<<"$out" || true)"
  if [ "$status" -ne 0 ] || [ -n "$complaints" ]; then
    fail "systemd-analyze verify rejects deploy/alita-news.service (exit $status):
${complaints:-$out}"
  fi
  echo ".ci/deploy-files.sh: deploy/alita-news.service passes systemd-analyze verify ($(systemd-analyze --version | head -n 1))" >&2
else
  echo ".ci/deploy-files.sh: NOTE: systemd-analyze is missing, deploy/alita-news.service was not verified" >&2
fi
