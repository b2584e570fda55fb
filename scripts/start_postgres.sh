#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the corpus-store tests and print its URL.
#
#   export WHOSAID_TEST_PG="$(scripts/start_postgres.sh)"
#
# Installs Debian's postgresql when no server binaries are found (needs root and
# apt), creates a trust-auth cluster under $WHOSAID_PG_DIR (default
# /tmp/whosaid-pg), listens on 127.0.0.1:$WHOSAID_PG_PORT (default 55432) only,
# and is idempotent: a server already running there is reused. Logs go to
# stderr; only the URL goes to stdout. Stop it with: scripts/start_postgres.sh stop
#
#   scripts/start_postgres.sh run -- CMD ARGS...
#
# runs CMD with WHOSAID_TEST_PG set (unless it is set already) and stops the
# server afterwards if this call started it (`make test` uses this); when no
# server can be started, CMD runs without one (the tests that need it skip).
set -euo pipefail

DIR="${WHOSAID_PG_DIR:-/tmp/whosaid-pg}"
PORT="${WHOSAID_PG_PORT:-55432}"
URL="postgresql://postgres@127.0.0.1:${PORT}/postgres"

if [ "${1:-}" = run ]; then
    shift
    [ "${1:-}" = -- ] && shift
    if [ -n "${WHOSAID_TEST_PG:-}" ]; then
        exec "$@"
    fi
    started=0
    [ -e "$DIR/data/postmaster.pid" ] || started=1
    if url="$(bash "$0")"; then
        export WHOSAID_TEST_PG="$url"
    else
        echo "no PostgreSQL server: tests that need one will skip" >&2
        started=0
    fi
    rc=0
    "$@" || rc=$?
    if [ "$started" = 1 ]; then
        bash "$0" stop
    fi
    exit "$rc"
fi

find_bin() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
    return 1
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing postgresql (apt)" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        BIN="$(find_bin)"
    else
        echo "no PostgreSQL server binaries and cannot install them" >&2
        exit 1
    fi
fi

# initdb and postgres refuse to run as root: run them as the postgres user
RUN=()
OWNER="$(id -un)"
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    RUN=(runuser -u postgres --)
    OWNER=postgres
fi

if [ "${1:-}" = stop ]; then
    [ -d "$DIR/data" ] && "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2 || true
    exit 0
fi

mkdir -p "$DIR"
chown "$OWNER" "$DIR"
if [ ! -s "$DIR/data/PG_VERSION" ]; then
    "${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 >&2 2>&1 || "${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres \
        --auth=trust -E UTF8 >&2
fi
if ! "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off" start >&2
fi
for _ in $(seq 1 30); do
    "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q && { echo "$URL"; exit 0; }
    sleep 1
done
echo "PostgreSQL did not become ready; see $DIR/server.log" >&2
exit 1
