#!/usr/bin/env bash
# Prints every test file, one per line, sorted: Node 20's test runner does not expand quoted globs
# and finds nothing on its own under tsx, so the files are passed explicitly.
# Usage: scripts/list-tests.sh [folder under test/ ...]   (default: unit integration lan browser)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

folders=("$@")
if (( ${#folders[@]} == 0 )); then folders=(unit integration lan browser); fi
for folder in "${folders[@]}"; do
  if [[ -d "test/$folder" ]]; then find "test/$folder" -type f -name '*.test.ts' -not -path '*/fixtures/*'; fi
done | sort
