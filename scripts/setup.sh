#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh machine of this project's kind:
# Debian packages (openssl; chromium for the end-to-end suite) and the npm packages from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v sslscan >/dev/null 2>&1 || need_apt+=(sslscan)   # the scan tests compare with it; the bench anchor
if [ "${CERTSCOPE_SKIP_E2E:-}" != "1" ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ -L node_modules ]; then
  # A link to an install shared by several checkouts (worktrees): `npm ci` would empty the shared folder through
  # the link and replace the link with a private copy. Leave it to the checkout that owns the install.
  echo "setup: node_modules links to a shared install ($(readlink node_modules)); not running npm ci"
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
