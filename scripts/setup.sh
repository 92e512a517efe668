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
# The real servers of the connection tests (issue 16): nginx, PostgreSQL, tinyproxy, aiosmtpd. The tests start
# their own instances on 127.0.0.1; the packages' system services must not start (see policy-rc.d below).
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v tinyproxy >/dev/null 2>&1 || need_apt+=(tinyproxy-bin)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || need_apt+=(python3-aiosmtpd)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  # Keep the packages' services (nginx, postgresql) from starting on install: policy-rc.d exiting 101 says
  # "not allowed" to invoke-rc.d. Only a file this script created is removed afterwards.
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null || status=$?
  [ -n "$made_policy" ] && $SUDO rm -f /usr/sbin/policy-rc.d
  [ "${status:-0}" = 0 ] || exit "$status"
fi

if [ -L node_modules ]; then
  # A link to an install shared by several checkouts (worktrees): `npm ci` would empty the shared folder through
  # the link and replace the link with a private copy. Leave it to the checkout that owns the install.
  echo "setup: node_modules links to a shared install ($(readlink node_modules)); not running npm ci"
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
