#!/usr/bin/env bash
# Installs the Debian package on this machine the way an admin would, uses it, and takes it away:
# `apt-get install ./ashby-feedback_….deb`; `--version`; the installed units through
# `systemd-analyze verify`; the settings file filled in, then `migrate` and `status` as the job's
# user against a throwaway PostgreSQL cluster; a reinstall that must keep the filled-in settings;
# `apt-get purge`; and checks that nothing is left (the package's files, the user, the settings,
# the logs). Builds the package with scripts/package.sh unless given one. Cleans up on any failure.
#
# Needs root, and refuses a machine where ashby-feedback is installed or its user, settings or logs
# exist: its purge would take them.
#
#   scripts/package-test.sh [PATH.deb]
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "package-test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
package_present() { dpkg-query -W -f='${db:Status-Status}' ashby-feedback 2>/dev/null | grep -q -v '^not-installed$'; }

[ "$(id -u)" = 0 ] || { say "run as root: it installs and purges a package"; exit 1; }
package_present && fail "ashby-feedback is installed here; this test would purge it"
for leftover in /etc/ashby-feedback /var/log/ashby-feedback; do
    [ ! -e "$leftover" ] || fail "$leftover exists; this test would remove it"
done
getent passwd ashby-feedback >/dev/null && fail "the user ashby-feedback exists; this test would remove it"

deb=${1:-}
if [ -z "$deb" ]; then
    deb=$(scripts/package.sh | tail -n 1)
fi
deb=$(realpath "$deb")
[ -f "$deb" ] || fail "no package at $deb"
version=$(dpkg-deb -f "$deb" Version)
scripts/install-deps.sh postgresql

export DEBIAN_FRONTEND=noninteractive
work=$(mktemp -d /tmp/ashby-feedback-package-test.XXXXXX)
settings=/etc/ashby-feedback/env
installed=false

cleanup() {
    local status=$?
    trap - EXIT
    database/test-cluster.sh stop "$work/pg" || true
    if $installed && package_present; then
        say "purging the package this test installed"
        apt-get purge -y -q ashby-feedback >"$work/cleanup.log" 2>&1 || dpkg --purge ashby-feedback >>"$work/cleanup.log" 2>&1 \
            || cat "$work/cleanup.log" >&2
    fi
    rm -rf "$work"
    if [ "$status" = 0 ]; then say "passed"; else say "failed (exit $status); the package and the cluster are removed"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# As the job's user, from a folder without database/, as cron or systemd would run it.
as_job() { (cd / && runuser -u ashby-feedback -- ashby-feedback "$@" --env-file "$settings" --log-format text); }

# --- Install ---------------------------------------------------------------------------------------
say "apt-get install $deb"
installed=true
if ! apt-get install -y -q "$deb" >"$work/install.log" 2>&1; then
    # Perhaps a dependency missing from stale package lists.
    apt-get update -qq
    apt-get install -y -q "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "apt-get install"; }
fi
grep -q 'ashby-feedback migrate --env-file /etc/ashby-feedback/env' "$work/install.log" \
    && grep -q 'ashby-feedback backfill --env-file /etc/ashby-feedback/env --no-reminders' "$work/install.log" \
    || { cat "$work/install.log" >&2; fail "postinst did not print the next commands (migrate, backfill --no-reminders)"; }
# The package's files (not its folders, which it shares with others), to look for after the purge.
dpkg-query -L ashby-feedback | while IFS= read -r path; do
    if [ ! -d "$path" ]; then echo "$path"; fi
done >"$work/files"

[ "$(command -v ashby-feedback)" = /usr/bin/ashby-feedback ] || fail "ashby-feedback is not /usr/bin/ashby-feedback"
printed=$(ashby-feedback --version)
[ "$printed" = "$version" ] || fail "--version printed '$printed', the package is $version"
say "--version: $printed"

uid=$(id -u ashby-feedback) || fail "postinst made no user ashby-feedback"
[ "$uid" -lt 1000 ] || fail "ashby-feedback is not a system user (uid $uid)"
[ "$(stat -c '%U:%G %a' "$settings")" = "root:ashby-feedback 640" ] \
    || fail "$settings is $(stat -c '%U:%G %a' "$settings"), not root:ashby-feedback 640"
[ "$(stat -c '%U:%G %a' /var/log/ashby-feedback)" = "ashby-feedback:ashby-feedback 750" ] \
    || fail "/var/log/ashby-feedback is $(stat -c '%U:%G %a' /var/log/ashby-feedback)"
runuser -u nobody -- cat "$settings" >/dev/null 2>&1 && fail "another user can read $settings"

systemd-analyze verify /lib/systemd/system/ashby-feedback.timer /lib/systemd/system/ashby-feedback.service \
    || fail "systemd-analyze verify refused the installed units"
[ ! -e /etc/systemd/system/timers.target.wants/ashby-feedback.timer ] || fail "the timer was enabled by the install"
bash -n /usr/share/bash-completion/completions/ashby-feedback || fail "the bash completion does not parse"
man -w ashby-feedback >/dev/null || fail "no man page"
if command -v logrotate >/dev/null; then
    logrotate --debug /etc/logrotate.d/ashby-feedback >"$work/logrotate.log" 2>&1 \
        || { cat "$work/logrotate.log" >&2; fail "logrotate refuses /etc/logrotate.d/ashby-feedback"; }
fi
say "installed: user, settings 0640, log folder, units verified and not enabled, completions, man page"

# --- Use it -----------------------------------------------------------------------------------------
# A cluster the `postgres` user can reach (test-cluster.sh opens $work for it), a database and a
# role with a password, as on a real server; the admin fills in the settings file.
database/test-cluster.sh start "$work/pg" >/dev/null
admin_url=$(sed -n 's/^TEST_DATABASE_URL=//p' "$work/pg/env")
port=$(sed -n 's/^PGTEST_PORT=//p' "$work/pg/env")
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
psql -q -v ON_ERROR_STOP=1 "$admin_url" -c "CREATE ROLE ashby_feedback LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE ashby_feedback OWNER ashby_feedback" >/dev/null
database_url="postgresql://ashby_feedback:$password@127.0.0.1:$port/ashby_feedback"
sed "s#^DATABASE_URL=.*#DATABASE_URL=$database_url#" "$settings" >"$work/env"
cat "$work/env" >"$settings"   # in place: owner and mode stay

as_job migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; fail "migrate"; }
grep -q '^Applied version(s) ' "$work/migrate.log" || { cat "$work/migrate.log" >&2; fail "migrate applied nothing"; }
as_job migrate --status >"$work/migrate-status.log" 2>&1 || { cat "$work/migrate-status.log" >&2; fail "migrate --status"; }
grep -q pending "$work/migrate-status.log" && { cat "$work/migrate-status.log" >&2; fail "versions still pending after migrate"; }
say "migrate: $(cat "$work/migrate.log")"

# No run yet: status answers from the database and exits 1, as monitoring expects.
status=0
as_job status >"$work/status.log" 2>&1 || status=$?
[ "$status" = 1 ] && grep -q 'no run has succeeded yet' "$work/status.log" \
    || { cat "$work/status.log" >&2; fail "status exited $status without 'no run has succeeded yet'"; }
say "status: exit 1, no run has succeeded yet (as expected before the first sync)"

# --- Reinstall: the filled-in settings and their mode stay ------------------------------------------
apt-get install -y -q --reinstall "$deb" >"$work/reinstall.log" 2>&1 || { cat "$work/reinstall.log" >&2; fail "reinstall"; }
grep -q -x -F "DATABASE_URL=$database_url" "$settings" || fail "the reinstall replaced the filled-in $settings"
[ "$(stat -c '%U:%G %a' "$settings")" = "root:ashby-feedback 640" ] || fail "the reinstall changed the mode of $settings"
say "reinstall kept the filled-in settings (root:ashby-feedback 640)"

# --- Purge: nothing left ----------------------------------------------------------------------------
apt-get purge -y -q ashby-feedback >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "apt-get purge"; }
installed=false
package_present && fail "ashby-feedback is still known to dpkg after the purge"
left=()
while IFS= read -r path; do
    if [ -e "$path" ] || [ -L "$path" ]; then left+=("$path"); fi
done <"$work/files"
for path in /etc/ashby-feedback /var/log/ashby-feedback /usr/share/ashby-feedback /usr/share/doc/ashby-feedback; do
    if [ -e "$path" ]; then left+=("$path"); fi
done
[ ${#left[@]} -eq 0 ] || fail "left after the purge: ${left[*]}"
getent passwd ashby-feedback >/dev/null && fail "the user ashby-feedback is left after the purge"
getent group ashby-feedback >/dev/null && fail "the group ashby-feedback is left after the purge"
[ -z "$(dpkg-statoverride --list "$settings" || true)" ] || fail "the stat override of $settings is left"
say "purged: no file, user, group, settings, log folder or stat override left"
