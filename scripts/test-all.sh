#!/usr/bin/env bash
# One command from a fresh Debian machine to a passing test run: system packages, npm ci,
# lint, type-check, the console build (the browser tests load it), then every jest suite.
# The last line is the summary `N passed, N failed` (lint and type-check count as one test each).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh --for-tests || exit 1
bash scripts/node-deps.sh || exit 1

passed=0
failed=0
step() {
  local name=$1
  shift
  echo "── $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "✗ $name failed"; fi
}
step lint npm run -s lint
step typecheck npm run -s typecheck
step typecheck:web npm run -s typecheck:web
npm run -s build:web || { echo "✗ console build failed"; failed=$((failed + 1)); }

results=$(mktemp)
# Two workers on this 2-core machine (jest's default is cores − 1 = one, in band): the socket.io and
# browser suites spend most of their time waiting on real-time heartbeats and playback, so a second
# suite overlaps them. 2026-12-07 under load from other jobs: 969 s against 1,243 s in band, all passing.
npx jest --ci --maxWorkers=2 --json --outputFile="$results" "$@"
# A jest run that wrote no results (crashed, killed) counts as one failure.
read -r jp jf < <(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites);
' "$results" 2>/dev/null || echo "0 1")
rm -f "$results"
passed=$((passed + jp))
failed=$((failed + jf))
echo
echo "${passed} passed, ${failed} failed"
[[ $failed -eq 0 ]]
