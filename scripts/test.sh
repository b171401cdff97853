#!/usr/bin/env bash
# `npm test`: everything a change must pass, in the order that fails fastest. Exits non-zero on the
# first failing step. Type checks cover core, crypto, discovery, tests and the UI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step () { printf '\n== %s\n' "$*"; }

# Runs the commands (each a string) side by side, then prints what each printed, in order: the
# checks, builds and unit tests are each single-threaded and CI machines have more than one core. Fails if
# any failed, after all have ended.
together () {
  local folder status=0 index=0 results=()
  folder=$(mktemp -d)
  for command in "$@"; do
    bash -c "$command" > "$folder/$index" 2>&1 &
    results+=($!)
    index=$((index + 1))
  done
  for index in "${!results[@]}"; do
    if wait "${results[$index]}"; then results[$index]=0; else results[$index]=$?; fi
  done
  index=0
  for command in "$@"; do
    cat "$folder/$index"
    if (( results[index] != 0 )); then status=1; echo "failed (exit ${results[$index]}): $command" >&2; fi
    index=$((index + 1))
  done
  rm -rf "$folder"
  return $status
}

step "test environment"
bash scripts/setup-test-env.sh

# The unit tests, in two processes of half the files each (every other file; --test-isolation=none):
# a process per file loads tsx and the code anew each time, which cost more CPU than the tests
# themselves (187 s against 71 s in one, session 24), and one process alone ran on after the type
# checks and builds had ended, one core idle (112 s against 50, session 27). They need no build, so
# they run beside the type checks and builds: the compilers and they keep both cores busy, and a
# failing unit test shows before the long run. They take 1 to 5 minutes; stuck for 20 (say, a test
# that leaves a timer running, so the process never exits), they are stopped, non-zero.
mapfile -t units < <(bash scripts/list-tests.sh unit)
if (( ${#units[@]} == 0 )); then echo "no unit test files found" >&2; exit 1; fi
unit_halves=("" "")
for index in "${!units[@]}"; do unit_halves[index % 2]+=" ${units[$index]}"; done
unit_run="timeout --kill-after=30s 20m node --import tsx --test --test-isolation=none --test-timeout=600000 --test-reporter=spec"

# build:node's compile without its type check (--noCheck, the same output: checked byte for byte,
# session 30): the type check beside it checks the same files with the same options
# (tsconfig.build.json extends tsconfig.json), and the check is two thirds of the compile's CPU.
step "type checks, builds and unit tests"
together "npx tsc -p tsconfig.json --noEmit" "npm run --silent check:ui" "npx tsc -p tsconfig.build.json --noCheck" "npm run --silent build:ui" \
  "$unit_run${unit_halves[0]}" "$unit_run${unit_halves[1]}"

step "tests"
mapfile -t tests < <(bash scripts/list-tests.sh integration lan browser)
if (( ${#tests[@]} == 0 )); then echo "no test files found" >&2; exit 1; fi
# One test file per process, as many at once as there are cores: the LAN and browser tests start
# several processes each, so more would only make them wait on one another. The longest start
# first (scripts/test-runner/weights.txt), and the few files that mostly wait (pings falling due, fuzzed
# streams' bounds) run one at a time beside them (scripts/test-runner/run.ts). A test stuck for 10 minutes
# fails (the timeout holds each test, not its file: Node 26), as does a file whose process fails; a
# run stuck for 45 (say, a file whose process never exits) is stopped, non-zero. Both bounds are for
# a loaded machine: the LAN workspace test (some eighty CLI calls, each a new Node process) takes
# ~60 s alone and took 125 to over 300 s next to two busy loops; a whole run took 9.5 minutes while
# other work ran.
timeout --kill-after=30s 45m \
  node --import tsx scripts/test-runner/run.ts --concurrency "$(nproc)" --timeout 600000 "${tests[@]}"
