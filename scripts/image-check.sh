#!/usr/bin/env bash
# The image check (`npm run image-check`): proves the Dockerfile's image runs, without a container
# engine. test/image/ carries out the Dockerfile's own steps (read from it) in a scratch folder
# with Node 24, sandboxed with bubblewrap, then runs the image's worker command and the compose
# file's receiver command from that folder as uid 1000 against a Temporal dev server and the
# emulator, runs a capture through them and answers a signed callback through the receiver.
# Ends with "IMAGE CHECK PASSED" or "IMAGE CHECK FAILED" and the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
if ! command -v bwrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing bubblewrap (Debian package)..." >&2
    (apt-get update -qq && apt-get install -y -qq bubblewrap) >&2 || { echo "IMAGE CHECK FAILED: bubblewrap could not be installed"; echo "0 passed, 1 failed"; exit 1; }
  else
    echo "IMAGE CHECK FAILED: bwrap (Debian package bubblewrap) is not installed"; echo "0 passed, 1 failed"; exit 1
  fi
fi
TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal.sh)" || exit 1
bash scripts/ensure-node24.sh >/dev/null || { echo "IMAGE CHECK FAILED: Node 24 could not be installed"; echo "0 passed, 1 failed"; exit 1; }
export TEMPORAL_CLI_PATH
mkdir -p test-results
report=test-results/image-check.json
rm -f "$report"
npx vitest run --config test/image/vitest.config.mts --reporter=default --reporter=json --outputFile.json="$report"
status=$?
if [ -f "$report" ]; then
  summary="$(node -e '
    const r = require(process.argv[1]);
    // A suite that fails before its tests run (the image build) fails them all: count them.
    const early = r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? Math.max(1, r.numPendingTests) : 0;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests + early} failed`);
  ' "$PWD/$report")"
else
  summary="0 passed, 1 failed"
fi
if [ $status -eq 0 ]; then echo "IMAGE CHECK PASSED"; else echo "IMAGE CHECK FAILED"; fi
echo "$summary"
exit $status
