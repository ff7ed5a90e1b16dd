#!/usr/bin/env bash
# Runs every test (Vitest, then pytest for ai/) and ends with one summary line,
# 'N passed, N failed', which CI reads.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .local/test-results
report=.local/test-results/vitest.json
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
# The models' tests start their own model server on free ports (the one `make models` started
# serves the cell API's tests).
junit=.local/test-results/pytest.xml
rm -f "$junit"
(cd ai && PYTHONPATH=. ../.local/ai-venv/bin/python -m pytest -q -p no:cacheprovider --junitxml="../$junit")
py_status=$?
[ $status -eq 0 ] && status=$py_status
if [ -f "$report" ]; then
  node -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    // A suite whose set-up failed skips its tests: count it as a failure, or the line reads green.
    const brokenSuites = r.testResults.filter((s) => s.status === "failed" && s.assertionResults.every((t) => t.status !== "failed")).length;
    // pytest: <testsuite tests= failures= errors= skipped=>; missing file = its run broke.
    let py = { passed: 0, failed: 1, skipped: 0 };
    try {
      const xml = require("fs").readFileSync(process.argv[2], "utf8");
      const n = (k) => Number((xml.match(new RegExp(`<testsuite [^>]*${k}="(\\d+)"`)) || [0, 0])[1]);
      py = { passed: n("tests") - n("failures") - n("errors") - n("skipped"), failed: n("failures") + n("errors"), skipped: n("skipped") };
    } catch {}
    const failed = r.numFailedTests + brokenSuites + py.failed;
    const allSkipped = skipped + py.skipped;
    console.log(`\n${r.numPassedTests + py.passed} passed, ${failed} failed` + (allSkipped ? `, ${allSkipped} skipped` : "") + (brokenSuites ? ` (${brokenSuites} test file(s) failed to set up)` : ""));
  ' "$PWD/$report" "$PWD/$junit"
else
  echo "0 passed, 1 failed"
fi
exit $status
