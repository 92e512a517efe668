#!/usr/bin/env bash
# The README's quick start: on a fresh machine, installs everything, builds and packages CertScope, and starts
# it in a real VS Code (code-server) on 127.0.0.1 with a demo workspace — sample certificate files, a YAML
# manifest with embedded certificates (one expired), an mTLS test kit and a local test server that requires a
# client certificate. Prints the address to open; runs until Ctrl-C, then stops everything it started.
#   PORT=8080 bash scripts/demo.sh     (default: a free port)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/e2e-setup.sh
mkdir -p .e2e/demo
node scripts/package.mjs --out .e2e/demo/certscope.vsix --quiet
exec node scripts/demo.mjs .e2e/demo/certscope.vsix
