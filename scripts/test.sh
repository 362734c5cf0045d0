#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with the Swift toolchain:
# installs missing packages, starts a throwaway PostgreSQL cluster, runs `swift test`, stops it.
# Extra arguments go to `swift test` (e.g. scripts/test.sh --filter MigratorTests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
exec database/test-cluster.sh run swift test "$@"
