#!/usr/bin/env bash
# The benchmark (never part of the test suite): builds the release binaries, starts a throwaway
# PostgreSQL cluster, measures backfill, a no-change sync and a 1 % change sync of a synthetic tenant
# at 1x and 4x size against a limit baseline measured in the same run, and rewrites BENCHMARKS.md.
# Extra arguments go to ashby-feedback-bench (e.g. --sizes 1 --schedules 1000 --output /tmp/b.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product ashby-feedback
swift build -c release --product ashby-feedback-bench
exec database/test-cluster.sh run .build/release/ashby-feedback-bench \
    --binary .build/release/ashby-feedback --database-dir database \
    --command "scripts/benchmark.sh${*:+ $*}" "$@"
