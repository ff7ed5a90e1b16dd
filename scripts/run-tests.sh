#!/usr/bin/env bash
# Runs every test with Vitest and ends with one summary line, 'N passed, N failed', which CI reads.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .local/test-results
report=.local/test-results/vitest.json
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
if [ -f "$report" ]; then
  node -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    // A suite whose set-up failed skips its tests: count it as a failure, or the line reads green.
    const brokenSuites = r.testResults.filter((s) => s.status === "failed" && s.assertionResults.every((t) => t.status !== "failed")).length;
    console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests + brokenSuites} failed` + (skipped ? `, ${skipped} skipped` : "") + (brokenSuites ? ` (${brokenSuites} test file(s) failed to set up)` : ""));
  ' "$PWD/$report"
else
  echo "0 passed, 1 failed"
fi
exit $status
