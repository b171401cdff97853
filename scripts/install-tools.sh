#!/usr/bin/env bash
# Installs the Debian packages that provide the given commands, when they are missing: used by
# `npm test` (scripts/setup-test-env.sh) and `npm run bench` (the prosody baseline). Installs only
# as root on a system with apt-get; otherwise says what to install. Exits 0 when every command is
# there afterwards, 1 (with the reason on stderr) when one is not.
# Usage: scripts/install-tools.sh COMMAND...
set -euo pipefail

declare -A package_of=([ip]=iproute2 [tc]=iproute2 [chromium]=chromium [llvm-strip]=llvm [prosody]=prosody [prosodyctl]=prosody [openssl]=openssl [script]=bsdutils [desktop-file-validate]=desktop-file-utils)
missing=()
for tool in "$@"; do
  [[ -n "${package_of[$tool]:-}" ]] || { echo "install-tools: no package known for $tool" >&2; exit 1; }
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done
(( ${#missing[@]} == 0 )) && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "install-tools: installing ${missing[*]}" >&2
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then exit 0; fi
  echo "install-tools: apt-get could not install ${missing[*]} (no network to the mirror?)" >&2
  exit 1
fi

echo "install-tools: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
exit 1
