#!/usr/bin/env bash
# The project's test command (`npm test`): makes sure the official Temporal servers are on
# disk (built/fetched once into the user cache), runs every vitest suite against them, and
# ends with one line "N passed, N failed" read from vitest's JSON report.
set -uo pipefail
cd "$(dirname "$0")/.."
TEMPORAL_CLI_PATH="$(bash scripts/ensure-temporal.sh)" || exit 1
TEMPORAL_TEST_SERVER_PATH="$(bash scripts/ensure-test-server.sh)" || exit 1
# The S3-compatible server the tests upload screenshots to (installed once; see docs/storage.md).
MOTO_SERVER_PATH="$(bash scripts/ensure-moto.sh)" || exit 1
export TEMPORAL_CLI_PATH TEMPORAL_TEST_SERVER_PATH MOTO_SERVER_PATH
# VITEST_REPORT: where the JSON report goes (CI runs tiers side by side, each with its own).
report="${VITEST_REPORT:-test-results/vitest.json}"
mkdir -p "$(dirname "$report")"
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
if [ -f "$report" ]; then
  node -e '
    const r = require(process.argv[1]);
    const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
    // A suite can fail with every test passed (a hook that timed out, a file that does not
    // load): count those suites as failures too, so the line never says 0 failed on a red run.
    let failed = r.numFailedTests || 0;
    if (!r.success && failed === 0) failed = r.numFailedTestSuites || 1;
    // vitest exits non-zero on an error outside every test (an unhandled rejection) while its
    // report still says success: count it, so a red run never reads "0 failed".
    if (Number(process.argv[2]) !== 0 && failed === 0) failed = 1;
    console.log(`${r.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' "$PWD/$report" "$status"
else
  echo "0 passed, 1 failed"
fi
exit $status
