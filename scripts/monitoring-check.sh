#!/usr/bin/env bash
# Checks the Prometheus alert rules in cron/prometheus/: `promtool check rules`, and `promtool test
# rules` with ashby-feedback.rules.test.yml, where each alert fires and clears on sample series.
# (DeploymentFilesTests checks that the rules and the Grafana dashboard name only metrics the
# product writes.) Uses promtool from PATH, else the one in Debian's `prometheus` package, fetched
# with `apt-get download` and unpacked into .build/tools: not installed, so no Prometheus server is
# set up or started on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

promtool=$(command -v promtool || true)
if [ -z "$promtool" ]; then
    tools=.build/tools/prometheus
    promtool=$tools/usr/bin/promtool
    if [ ! -x "$promtool" ]; then
        download=$(mktemp -d)
        chmod 755 "$download"   # apt's download user writes there
        trap 'rm -rf "$download"' EXIT
        echo "monitoring-check: fetching promtool (Debian package prometheus)" >&2
        if ! (cd "$download" && apt-get download -q prometheus >/dev/null 2>&1); then
            apt-get update -qq
            (cd "$download" && apt-get download -q prometheus >/dev/null)
        fi
        mkdir -p "$tools"
        dpkg-deb -x "$download"/prometheus_*.deb "$tools"
    fi
fi

"$promtool" check rules cron/prometheus/ashby-feedback.rules.yml
"$promtool" test rules cron/prometheus/ashby-feedback.rules.test.yml
