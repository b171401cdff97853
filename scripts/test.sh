#!/usr/bin/env bash
# `npm test`: everything a change must pass, in the order that fails fastest. Exits non-zero on the
# first failing step. Type checks cover core, crypto, discovery, tests and (when present) the UI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step () { printf '\n== %s\n' "$*"; }
has_npm_script () { node -e "process.exit(require('./package.json').scripts?.['$1'] ? 0 : 1)"; }

step "test environment"
bash scripts/setup-test-env.sh

step "type check"
npx tsc -p tsconfig.json --noEmit
if [[ -f ui/svelte.config.js ]] && has_npm_script check:ui; then npm run --silent check:ui; fi

step "build"
npm run --silent build

step "tests"
mapfile -t tests < <(bash scripts/list-tests.sh)
if (( ${#tests[@]} == 0 )); then echo "no test files found" >&2; exit 1; fi
# One test file per process, as many at once as there are cores: the LAN and browser tests start
# several processes each, so more would only make them wait on one another. A test file (the
# runner holds each file, not only each test, to --test-timeout) stuck for 10 minutes fails; a run
# stuck for 45 (say, a file whose process never exits) is stopped, non-zero. Both bounds are for a
# loaded machine: the LAN workspace test (some eighty CLI calls, each a new Node process) takes ~60 s
# alone and took 125 to over 300 s next to two busy loops; a whole run took 9.5 minutes while other
# work ran.
timeout --kill-after=30s 45m \
  node --import tsx --test --test-concurrency="$(nproc)" --test-timeout=600000 --test-reporter=spec "${tests[@]}"
