#!/usr/bin/env bash
# Installs what the end-to-end suite, the demo and the extension bench need, into the git-ignored `.e2e/`
# folder of this checkout (nothing outside the clone but Debian's chromium):
#   - Node 24 (code-server declares engines.node 24; the project itself keeps building on the machine's Node),
#   - code-server (VS Code served to a browser), from the npm registry,
#   - Debian's chromium, driven by playwright-core (a devDependency of the project).
# Idempotent: a second run only checks versions and returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
E2E_DIR="$PWD/.e2e"

# Node's name for the machine's architecture: the Node package to fetch and the npm user agent below.
case "$(uname -m)" in
  x86_64) node_arch=x64 ;;
  aarch64 | arm64) node_arch=arm64 ;;
  *) echo "e2e-setup: unsupported architecture $(uname -m)" >&2; exit 2 ;;
esac
node_pkg=node-linux-$node_arch

# chromium for the browser (+ an emoji font); a C++ toolchain, python3 and Kerberos headers for code-server's native modules
# (terminal, file watcher, logger, sqlite, kerberos), which npm builds from source against Node 24's headers.
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# Emoji the webviews use (🔒, ✔) render as empty boxes in screenshots without a colour emoji font.
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need_apt+=(fonts-noto-color-emoji)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "e2e-setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

stamp="$E2E_DIR/.installed"
want="$node_pkg@$NODE_VERSION code-server@$CODE_SERVER_VERSION"
cs="$E2E_DIR/node_modules/code-server"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$E2E_DIR/node_modules/$node_pkg/bin/node" ] \
  && [ -f "$cs/out/node/entry.js" ] && [ -d "$cs/lib/vscode/node_modules/@vscode/spdlog/build/Release" ]; then
  exit 0
fi

echo "e2e-setup: installing $want into .e2e/ (about 2 minutes the first time)"
rm -f "$stamp"
mkdir -p "$E2E_DIR"
t0=$(date +%s)
# Its own package.json so npm never walks up into the project's node_modules or lock file.
cat >"$E2E_DIR/package.json" <<JSON
{ "name": "certscope-e2e-tools", "private": true, "description": "Installed by scripts/e2e-setup.sh; git-ignored." }
JSON
# The node-linux-* package ships its binary without any script. code-server's own postinstall is run by hand
# below, under Node 24, so that it does not depend on whether this npm runs dependency scripts.
(cd "$E2E_DIR" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts --no-package-lock \
  "$node_pkg@$NODE_VERSION" "code-server@$CODE_SERVER_VERSION")
node24="$E2E_DIR/node_modules/$node_pkg"
"$node24/bin/node" --version >/dev/null
# postinstall.sh = `npm install --omit=dev` in lib/vscode and lib/vscode/extensions (+ two symlinks); it reads
# the Node major version from npm's user agent. Native modules build against Node 24's headers (nodedir), not
# the machine's Node 20 ones that the global npm config points at.
(cd "$cs" && PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
  npm_config_user_agent="npm/$(npm --version) node/v$NODE_VERSION linux $node_arch" \
  npm_config_audit=false npm_config_fund=false npm_config_loglevel=error sh ./postinstall.sh)
echo "$want" >"$stamp"
echo "e2e-setup: done in $(($(date +%s) - t0)) s"
