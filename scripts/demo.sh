#!/usr/bin/env bash
# Runs ashby-feedback end to end on this machine without any credentials (the README's first command):
# installs what is missing, builds, starts a local PostgreSQL cluster kept in .demo/pg, migrates the
# database `ashby_feedback_demo`, starts the sandbox (fake Ashby and Slack on 127.0.0.1 with a seeded
# company whose interviews start in the next minutes, and some that ended an hour ago without
# feedback), runs `sync` twice (the second finds nothing new and sends nothing), has the sandbox move one
# interview and cancel another, syncs again (their DMs are edited) and once more (no change, no Slack
# call), shows `status` and the Slack DMs and edits the sandbox received, checks that exactly the
# expected reminders, nudges and edits went out, then stops the sandbox and the cluster.
#
# Run it again at will: the cluster restarts from .demo/pg, `migrate` finds nothing to do, and the
# sandbox re-books the same company's interviews around the new "now", so fresh reminders go out.
# Logs stay in .demo/ (sandbox.log, and server.log in the cluster directory).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

demo_dir=.demo
database=ashby_feedback_demo
sandbox_pid=
cluster_dir=

section() { printf '\n== %s\n' "$*"; }
# From /, so the server user is not left in a directory it may not read (it would complain).
cluster() { (cd / && "$repo/database/test-cluster.sh" "$@"); }
fail() { echo "demo: $*" >&2; exit 1; }

# Whatever the calling shell exports must not send the demo to a real Ashby or Slack, nor change its
# settings: the sandbox's env file only fills variables that are unset.
unset ASHBY_API_URL ASHBY_API_KEY SLACK_API_URL SLACK_BOT_TOKEN DATABASE_URL \
    REMINDER_WINDOW_START_MINUTES REMINDER_WINDOW_END_MINUTES FORMS_REFRESH_MINUTES \
    INTERVIEWS_REFRESH_MINUTES SLACK_USERS_REFRESH_MINUTES AUDIT_RETENTION_DAYS RUN_BUDGET_SECONDS \
    WORKING_HOURS WORKING_DAYS FEEDBACK_NUDGE_AFTER_MINUTES FEEDBACK_NUDGE_MAX FEEDBACK_NUDGE_MAX_AGE_HOURS

cleanup() {
    local status=$?
    if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
        kill -TERM "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
    [ -z "$cluster_dir" ] || cluster stop "$cluster_dir"
    if [ "$status" != 0 ]; then
        echo "demo: failed (exit $status); logs: $demo_dir/sandbox.log${cluster_dir:+, $cluster_dir/server.log}" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # run the EXIT trap on Ctrl-C too

section "dependencies"
scripts/install-deps.sh
echo "libpq-dev, libcurl4-openssl-dev and postgresql are installed"

section "build (swift build -c release)"
swift build -c release
bin=$(swift build -c release --show-bin-path)

section "postgres (local cluster in $demo_dir/pg)"
mkdir -p "$demo_dir"
# As root the server runs as `postgres`, which must be able to reach the cluster directory. A checkout
# under a private home (/root is 0700) is out of its reach: keep the cluster under /var/tmp instead,
# with $demo_dir/pg pointing at it.
if [ ! -e "$demo_dir/pg" ] && [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$PWD"; then
    outside=/var/tmp/ashby-feedback-demo-$(printf '%s' "$PWD" | md5sum | cut -c1-8)
    mkdir -p "$outside"
    ln -s "$outside" "$demo_dir/pg"
    echo "postgres cannot reach $PWD: the cluster lives in $outside ($demo_dir/pg links there)"
fi
cluster_dir=$(readlink -f "$demo_dir/pg" 2>/dev/null || echo "$PWD/$demo_dir/pg")
cluster start "$cluster_dir" >/dev/null
admin_url=$(sed -n 's/^TEST_DATABASE_URL=//p' "$cluster_dir/env")
echo "cluster running: $admin_url"
# A fresh database each run: the sandbox is a fresh company each time (a digest goes out once per
# recipient per day, so yesterday's demo must not decide today's).
psql "$admin_url" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)"
psql "$admin_url" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $database"
echo "created database $database"
export DATABASE_URL=${admin_url%/*}/$database

section "migrate"
"$bin/ashby-feedback" migrate --log-format text

section "sandbox (fake Ashby and Slack on 127.0.0.1)"
rm -f "$demo_dir/sandbox.env"
"$bin/ashby-feedback-sandbox" --env-file "$demo_dir/sandbox.env" >"$demo_dir/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 300); do
    grep -q '^sandbox ready' "$demo_dir/sandbox.log" && break
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$demo_dir/sandbox.log" >&2; fail "the sandbox stopped before it was ready"; }
    sleep 0.1
done
grep -q '^sandbox ready' "$demo_dir/sandbox.log" || fail "the sandbox was not ready after 30 seconds"
cat "$demo_dir/sandbox.log"

section "sync (ashby-feedback sync --env-file $demo_dir/sandbox.env --log-format text)"
"$bin/ashby-feedback" sync --env-file "$demo_dir/sandbox.env" --log-format text

section "sync again (incremental pass; nothing is due twice, so no DM)"
"$bin/ashby-feedback" sync --env-file "$demo_dir/sandbox.env" --log-format text

section "the company moves an interview and cancels another (the sandbox on SIGUSR1)"
kill -USR1 "$sandbox_pid"
for _ in $(seq 1 100); do
    grep -q '^sandbox changed' "$demo_dir/sandbox.log" && break
    sleep 0.1
done
grep -q '^sandbox changed' "$demo_dir/sandbox.log" || fail "the sandbox did not change its schedules"
sed -n '/^  moved: /,/^sandbox changed/p' "$demo_dir/sandbox.log"

section "sync (the DMs of both interviews are edited to show the truth; no new DM)"
"$bin/ashby-feedback" sync --env-file "$demo_dir/sandbox.env" --log-format text

section "sync again (nothing changed: no Slack call at all)"
"$bin/ashby-feedback" sync --env-file "$demo_dir/sandbox.env" --log-format text 2>&1 | tee "$demo_dir/quiet-sync.log"
grep -q 'run_finished.* slack_requests=0 ' "$demo_dir/quiet-sync.log" || fail "a sync without changes called Slack"

section "status"
status_rc=0
"$bin/ashby-feedback" status || status_rc=$?

section "turnaround report (ashby-feedback report)"
"$bin/ashby-feedback" report

# Stop the sandbox first, so its log is complete (its last line counts what it received).
kill -TERM "$sandbox_pid"
wait "$sandbox_pid" || fail "the sandbox did not stop cleanly"
sandbox_pid=

section "DMs (and edits of them) received by the sandbox's Slack"
sed -n '/^sandbox ready/,$p' "$demo_dir/sandbox.log" | tail -n +2

section "check"
reminders=$(sed -n 's/^expect \([0-9]*\) reminder DMs.*/\1/p' "$demo_dir/sandbox.log")
nudges=$(sed -n 's/^expect \([0-9]*\) nudge DMs.*/\1/p' "$demo_dir/sandbox.log")
digests=$(sed -n 's/^expect \([0-9]*\) digest DMs.*/\1/p' "$demo_dir/sandbox.log")
expected=$((reminders + nudges + digests))
digest_received=$(grep -c '^    Overdue interview feedback' "$demo_dir/sandbox.log" || true)
grouped=$(grep -c '^    [0-9]* scorecards are waiting for you' "$demo_dir/sandbox.log" || true)
delivered=$(grep -c '^DM [0-9]' "$demo_dir/sandbox.log" || true)
refused=$(sed -n 's/.* \([0-9]*\) chat.postMessage calls refused$/\1/p' "$demo_dir/sandbox.log")
expected_edits=$(sed -n 's/^sandbox changed: expect \([0-9]*\) edited DMs.*/\1/p' "$demo_dir/sandbox.log")
edited=$(grep -c '^EDIT [0-9]' "$demo_dir/sandbox.log" || true)
echo "DMs expected: $expected ($reminders reminders, $nudges nudges, $digests digest), delivered: $delivered, refused by Slack: ${refused:-?}; edits expected: $expected_edits, made: $edited; status exit code: $status_rc"
[ "$delivered" = "$expected" ] || fail "expected $expected DMs, the sandbox received $delivered"
[ "$edited" = "$expected_edits" ] || fail "expected $expected_edits edited DMs, the sandbox received $edited edits"
[ "$refused" = 0 ] || fail "the job tried to DM someone Slack refused (a bot, a deactivated or unknown user)"
[ "$status_rc" = 0 ] || fail "ashby-feedback status reported a problem (exit $status_rc)"
[ "$grouped" -ge 1 ] || fail "no grouped nudge (one DM listing several scorecards) was received"
[ "$digest_received" = "$digests" ] || fail "expected $digests digest DM(s), the sandbox received $digest_received"
echo "OK: every due reminder and nudge was sent exactly once (one grouped nudge listing several scorecards;"
echo "none to the panelist who submitted), the recruiter's digest of overdue feedback went out once;"
echo "no DM for the cancelled interview, none to the bot,"
echo "Slackbot, the deactivated account or the interviewer without Slack; the moved and the cancelled"
echo "interview's DMs were each edited once, and a sync without changes made no Slack call."

section "done"
cat <<EOF
The database is kept in $demo_dir/pg (the cluster is stopped now). To look at it:
  database/test-cluster.sh start $cluster_dir     # prints TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/postgres
  psql postgresql://postgres@127.0.0.1:PORT/$database -c 'TABLE feedback_reminders_sent'
  database/test-cluster.sh stop $cluster_dir
EOF
