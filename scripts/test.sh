#!/usr/bin/env bash
# The one command that runs every test from a fresh clone: set-up, build, lint, type check, unit tests,
# then the end-to-end suite in a real VS Code (code-server + Chromium). `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
npm run --silent lint
npm run --silent typecheck
npm run --silent test:unit
if [ -f test/e2e/run.mjs ] && [ "${CERTSCOPE_SKIP_E2E:-}" != "1" ]; then
  npm run --silent test:e2e
fi
