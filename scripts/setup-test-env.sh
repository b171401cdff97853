#!/usr/bin/env bash
# Installs the system tools the tests need when they are missing: iproute2 (`ip`, for the LAN
# tests' network namespaces), Debian's Chromium (browser tests) and llvm (`llvm-strip`, which
# `npm run package` uses for the release executables the tests build). Installs only as root on a
# system with apt-get; otherwise says how. Under CI a tool that stays missing is an error.
set -euo pipefail

declare -A package_of=([ip]=iproute2 [chromium]=chromium [llvm-strip]=llvm)
missing=()
for tool in ip chromium llvm-strip; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done
(( ${#missing[@]} == 0 )) && exit 0

if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "setup-test-env: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  exit 0
fi

echo "setup-test-env: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
if [[ -n "${CI:-}" && "${CI:-}" != "false" && "${CI:-}" != "0" ]]; then exit 1; fi
echo "setup-test-env: the tests that need them will be skipped" >&2
