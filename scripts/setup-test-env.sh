#!/usr/bin/env bash
# Installs the system tools the tests need when they are missing: iproute2 (`ip`, for the LAN
# tests' network namespaces), Debian's Chromium (browser tests), llvm (`llvm-strip`, which
# `npm run package` uses for the release executables the tests build) and prosody with openssl
# (the bench's XMPP baseline, which test/integration/prosody-baseline.test.ts starts) and
# desktop-file-utils (`desktop-file-validate`, which checks the applications menu entry `causette
# install` writes, test/integration/desk-install.test.ts). Installs
# only as root on a system with apt-get (scripts/install-tools.sh); otherwise says how. Under CI a
# tool that stays missing is an error.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-tools.sh ip chromium llvm-strip prosodyctl openssl script desktop-file-validate && exit 0

if [[ -n "${CI:-}" && "${CI:-}" != "false" && "${CI:-}" != "0" ]]; then exit 1; fi
echo "setup-test-env: the tests that need them will be skipped" >&2
