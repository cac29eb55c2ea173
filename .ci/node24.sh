#!/usr/bin/env bash
# The current Node.js LTS (24) beside the Node the rest of CI runs: builds the bot on it and runs
# the store, engine and end-to-end test files, so a change that breaks on the LTS does not land.
# - Node 24 comes from the npm registry's node-linux-<arch>@24 package (the official binary and
#   headers), installed into a temporary folder and put first on PATH.
# - The tests run in a copy of the project (its own node_modules, dist/ and ../shared link), where
#   better-sqlite3 is rebuilt against Node 24's headers (or taken from the previous run's rebuild
#   of the same versions, kept in ~/.cache/alita-news-ci): this checkout's node_modules stays
#   built for the Node it was installed with.
# - TEST_POSTGRES_URL / POSTGRES_REQUIRED from the environment apply as in the main run.
# Prints how long the stage took. Exits non-zero with a message naming what failed.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

fail() {
  echo ".ci/node24.sh: $*" >&2
  exit 1
}

step() {
  echo ".ci/node24.sh: [$((SECONDS - started)) s] $*" >&2
}

# Store, engine (fetch, parse, judge, format; the parse worker's heap, which relies on how V8
# reads its flags) and end-to-end test files. The store's are its SQLite ones (better-sqlite3 is
# the native module Node 24 can break; pg is plain JavaScript, its contract the slowest file, and
# the end-to-end tests run on PostgreSQL too when it is there).
TESTS=(
  test/store-sql/sqlite.test.ts test/store-outage-sqlite.test.ts test/quote-store.test.ts test/backup.test.ts
  test/address-guard. test/byte-budget. test/charset. test/fetch test/parse test/normalize.
  test/newest-items. test/relevance. test/topic- test/tokens. test/text. test/format. test/identity.
  test/record-plan. test/ssrf-rebinding. test/heavy-feed. test/worker-heap.
  test/e2e/
)

[ -d node_modules ] || fail "node_modules is missing: run npm ci first"
work="$(mktemp -d "${TMPDIR:-/tmp}/alita-ci-node24.XXXXXX")"
trap 'rm -rf "$work"' EXIT

arch="$(node -p process.arch)"
step "installing node-linux-$arch@24 from the npm registry"
npm install --prefix "$work/node" --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@24" >&2 ||
  fail "npm install node-linux-$arch@24 failed"
nodedir="$work/node/node_modules/node-linux-$arch"
export PATH="$nodedir/bin:$PATH"
version="$(node --version)"
case "$version" in v24.*) ;; *) fail "node on PATH is $version, not Node 24" ;; esac

# The copy: tracked files (and anything else but node_modules, dist and tmp), node_modules copied
# whole (better-sqlite3 is rebuilt in it), ../shared as it is beside this checkout.
step "copying the project"
mkdir "$work/project"
tar -c --exclude=./node_modules --exclude=./dist --exclude=./tmp --exclude=./.git . | tar -x -C "$work/project"
# node_modules/. : its contents even where node_modules is a link (a worktree sharing another's).
mkdir "$work/project/node_modules"
cp -a node_modules/. "$work/project/node_modules/"
[ ! -e ../shared ] || ln -s "$(cd ../shared && pwd)" "$work/shared"

cd "$work/project"
# The compiled module is kept between runs on this machine, by better-sqlite3's and Node's exact
# versions: compiling SQLite is half of this stage's time.
sqlite_version="$(node -p "require('./node_modules/better-sqlite3/package.json').version")"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/alita-news-ci/better-sqlite3-$sqlite_version-node-$version-$arch.node"
addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
if [ -f "$cache" ]; then
  step "better-sqlite3 $sqlite_version for Node $version: the build kept in $cache"
  cp "$cache" "$addon"
else
  step "rebuilding better-sqlite3 $sqlite_version for Node $version"
  npm_config_nodedir="$nodedir" npm rebuild better-sqlite3 --loglevel=error >&2 || fail "npm rebuild better-sqlite3 failed on Node $version"
  mkdir -p "$(dirname "$cache")" && cp "$addon" "$cache.$$" && mv "$cache.$$" "$cache" ||
    echo ".ci/node24.sh: could not keep the build in $cache (the next run rebuilds)" >&2
fi
node -e "new (require('better-sqlite3'))(':memory:').close()" || fail "better-sqlite3 does not load on Node $version after the rebuild"
step "npm run build"
npm run build >&2 || fail "npm run build failed on Node $version"
step "the store, engine and end-to-end tests"
npx vitest run "${TESTS[@]}" || fail "the store, engine and end-to-end tests failed on Node $version"
step "Node $version: build and tests passed"
