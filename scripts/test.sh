#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with the Swift toolchain:
# installs missing packages, starts a throwaway PostgreSQL cluster, runs `swift test`, stops it.
# Extra arguments go to `swift test` (e.g. scripts/test.sh --filter MigratorTests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# At most 12 tests at once: unbounded, every async test starts together and the process holds well
# over a thousand descriptors (database connections, fake servers), past which Foundation's
# Process.run crashes while launching the binary under test. 12 is also faster on 2 cores.
# The option is a hidden one of newer toolchains (Swift 6.3 has it); a toolchain without it runs
# the tests one at a time instead: slower, same result.
# (Read the whole help first: `grep -q` stopping early would fail the pipeline under pipefail.)
if [[ "$(swift test --help-hidden 2>/dev/null)" == *--experimental-maximum-parallelization-width* ]]; then
    parallelism=(--experimental-maximum-parallelization-width 12)
else
    parallelism=(--no-parallel)
fi
exec database/test-cluster.sh run swift test "${parallelism[@]}" "$@"
