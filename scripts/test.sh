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
# several processes each, so more would only make them wait on one another. A test stuck for 5
# minutes fails; a run stuck for 30 (say, a file whose process never exits) is stopped, non-zero.
# Both bounds are for a loaded machine: the LAN workspace test took ~60 s alone and ~125 s next to
# two busy loops (3 minutes was too close), and a whole run took 9.5 minutes while other work ran.
timeout --kill-after=30s 30m \
  node --import tsx --test --test-concurrency="$(nproc)" --test-timeout=300000 --test-reporter=spec "${tests[@]}"
