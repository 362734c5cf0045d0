#!/usr/bin/env bash
# Prints the version of ashby-feedback from the one place it is kept,
# Sources/AshbyFeedback/ProductVersion.swift: what `ashby-feedback --version` prints, the Debian
# package's version, and the container image's tag (README, "Install on a server").
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^ *public static let current = "\(.*\)"$/\1/p' Sources/AshbyFeedback/ProductVersion.swift)
[ -n "$version" ] || { echo "version: no version in Sources/AshbyFeedback/ProductVersion.swift" >&2; exit 1; }
echo "$version"
