#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests, the demo and the benchmark.
#
#   database/test-cluster.sh run CMD...   start a cluster, run CMD with TEST_DATABASE_URL set, stop it
#   database/test-cluster.sh start DIR    start a cluster whose files live in DIR (kept until `stop DIR`)
#   database/test-cluster.sh stop DIR
#
# The cluster listens on 127.0.0.1 at a free port and on a private Unix socket, never on the
# machine's usual port. As root, the server runs as the unprivileged user `postgres` (PostgreSQL
# refuses to run as root). The superuser `postgres` connects without a password; other roles
# connecting over TCP must give theirs (so tests can exercise a wrong password).
# After `start`, DIR/env holds `TEST_DATABASE_URL=...` (an admin URL to the `postgres` database).
set -euo pipefail

pg_bin() {
    if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir; return
    fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || { echo "test-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
    echo "$dir"
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

start() {
    local dir=$1 bin port
    bin=$(pg_bin)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/env" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        return 0   # already running
    fi
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/false postgres
        chown postgres "$dir"
        # The server user must be able to reach DIR.
        chmod o+x "$(dirname "$dir")" 2>/dev/null || true
    fi
    if [ ! -d "$dir/data" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
        # The superuser may connect over loopback without a password; everyone else needs theirs.
        as_owner sh -c "printf 'host all postgres 127.0.0.1/32 trust\n' | cat - '$dir/data/pg_hba.conf' > '$dir/data/pg_hba.new' && mv '$dir/data/pg_hba.new' '$dir/data/pg_hba.conf'"
    fi
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/env"
    echo "PGTEST_SOCKET_DIR=$dir" >>"$dir/env"
    echo "PGTEST_PORT=$port" >>"$dir/env"
}

stop() {
    local dir=$1
    [ -d "$dir/data" ] || return 0
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
    start) start "${2:?usage: test-cluster.sh start DIR}"; cat "$2/env" ;;
    stop) stop "${2:?usage: test-cluster.sh stop DIR}" ;;
    run)
        shift
        dir=$(mktemp -d /tmp/ashby-feedback-pgtest.XXXXXX)
        trap 'stop "$dir"; rm -rf "$dir"' EXIT
        start "$dir"
        set -a; . "$dir/env"; set +a
        # The cluster speaks no GSSAPI: without this, libpq initialises Kerberos on every connection, and
        # Kerberos' exit-time teardown can abort a test process whose last connections close as it exits.
        export PGGSSENCMODE=disable
        "$@"
        ;;
    *) echo "usage: test-cluster.sh run CMD... | start DIR | stop DIR" >&2; exit 64 ;;
esac
