#!/usr/bin/env bash
# Runs the Postgres and CurlHTTP test suites under LeakSanitizer (AddressSanitizer's leak check) and
# fails on any leak or memory error. Slow (a separate sanitized build), so not part of CI: run it after
# touching the C-facing code (libpq results, curl handles and header lists).
#
#   scripts/leak-check.sh                  both suites
#   scripts/leak-check.sh PostgresTests    one suite (a `swift test --filter` pattern)
#
# Why not valgrind: valgrind 3.19 (Debian 12) cannot read Swift's DWARF 5 debug info, and with DWARF 4
# it crashes ("the 'impossible' happened") inside the Swift Testing runner. The sanitized build lives
# in .build/leak-check-asan; LeakSanitizer checks at exit and reports leaks from libpq and libcurl
# allocations too (it intercepts malloc process-wide).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

scratch=.build/leak-check-asan
swift build --build-tests --scratch-path "$scratch" -Xswiftc -sanitize=address
tests="$(swift build --scratch-path "$scratch" --show-bin-path)/ashby-feedbackPackageTests.xctest"
filter="${1:-PostgresTests|CurlHTTPTests}"
report="$scratch/leak-check.log"

echo "leak-check: $filter under LeakSanitizer"
status=0
ASAN_OPTIONS="detect_leaks=1:exitcode=23" \
    database/test-cluster.sh run "$tests" --testing-library swift-testing --filter "$filter" > "$report" 2>&1 || status=$?
grep -v "failed to intercept" "$report" | grep -E "Test run with|^SUMMARY|ERROR: (LeakSanitizer|AddressSanitizer)" || true
if [ "$status" -ne 0 ]; then
    echo "leak-check: FAILED (exit $status; 23 = leak or memory error); full output in $report"
    exit 1
fi
echo "leak-check: no leaks (definite or indirect) and no memory errors"
