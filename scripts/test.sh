#!/usr/bin/env bash
# The one command that runs every test from a fresh clone: set-up, build, lint, type check, unit tests,
# then the end-to-end suite in a real VS Code (code-server + Chromium). `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each suite's reporter (scripts/test-reporter.mjs) prints one line per file and its failures in full, and appends
# its counts here; the summary below closes the run with "N passed, N failed" alone on the last line (CI reads it).
CERTSCOPE_TEST_COUNTS="$(mktemp)"
export CERTSCOPE_TEST_COUNTS
summary() {
  local rc=$? pass=0 fail=0 suite p f s
  echo
  echo "──────── summary ────────"
  while read -r suite p f s; do
    echo "$suite: $p passed, $f failed ($s s)"
    pass=$((pass + p)); fail=$((fail + f))
  done <"$CERTSCOPE_TEST_COUNTS"
  rm -f "$CERTSCOPE_TEST_COUNTS"
  # A step that failed outside a test (build, lint, type check, set-up, a crashed runner) counts as one failure.
  if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
    echo "test.sh: a step failed outside the test suites (exit $rc); see above"
    fail=1
  fi
  echo "$pass passed, $fail failed"
  exit "$rc"
}
trap summary EXIT
bash scripts/setup.sh
npm run --silent build
npm run --silent lint
npm run --silent typecheck
npm run --silent test:unit
if [ -f test/e2e/run.mjs ] && [ "${CERTSCOPE_SKIP_E2E:-}" != "1" ]; then
  npm run --silent test:e2e
fi
