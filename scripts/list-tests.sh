#!/usr/bin/env bash
# Prints every test file, one per line, sorted: Node 20's test runner does not expand quoted globs
# and finds nothing on its own under tsx, so the files are passed explicitly. With --slow-first, the
# files of scripts/slow-tests.txt come first, in its order, then the others sorted.
# Usage: scripts/list-tests.sh [--slow-first] [folder under test/ ...]   (default: unit integration lan browser)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

slow_first=false
if [[ "${1:-}" == "--slow-first" ]]; then slow_first=true; shift; fi
folders=("$@")
if (( ${#folders[@]} == 0 )); then folders=(unit integration lan browser); fi
mapfile -t files < <(for folder in "${folders[@]}"; do
  if [[ -d "test/$folder" ]]; then find "test/$folder" -type f -name '*.test.ts' -not -path '*/fixtures/*'; fi
done | sort)
if [[ "$slow_first" == false ]]; then printf '%s\n' "${files[@]}"; exit 0; fi

declare -A wanted=()
for file in "${files[@]}"; do wanted[$file]=1; done
declare -A printed=()
while read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  if [[ ! -f "$line" ]]; then echo "scripts/slow-tests.txt names $line, which does not exist" >&2; exit 1; fi
  if [[ -n "${wanted[$line]:-}" ]]; then printf '%s\n' "$line"; printed[$line]=1; fi
done < scripts/slow-tests.txt
for file in "${files[@]}"; do
  if [[ -z "${printed[$file]:-}" ]]; then printf '%s\n' "$file"; fi
done
