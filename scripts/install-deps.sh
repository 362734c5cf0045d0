#!/usr/bin/env bash
# Installs the Debian packages ashby-feedback needs to build, test and run its demo, if missing:
# libpq-dev and libcurl4-openssl-dev (linked by the binary), tzdata, postgresql (a local server for
# the tests and the demo), openssl (the tests' loopback TLS server with an untrusted certificate).
# With arguments, those packages instead (scripts/package.sh names its tools).
# Needs root to install; does nothing when everything is present.
#
#   scripts/install-deps.sh [PACKAGE...]
set -euo pipefail

needed=(libpq-dev libcurl4-openssl-dev tzdata postgresql openssl)
[ $# -eq 0 ] || needed=("$@")
missing=()
for package in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
