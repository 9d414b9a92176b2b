#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg-cluster.sh start DIR    creates a cluster in DIR (made if missing; must be empty),
#                                      starts it on a free 127.0.0.1 port and prints its URL,
#                                      postgres://USER@127.0.0.1:PORT/postgres, on stdout
#   scripts/pg-cluster.sh stop DIR     stops it (fast shutdown, bounded) and removes DIR
#
# The server runs as an unprivileged user: the `postgres` system user of Debian's postgresql
# package when run as root (through runuser; DIR must then be reachable by that user, e.g.
# under /tmp), else the current user.  It listens on 127.0.0.1 only, with its unix socket
# inside DIR; authentication is `trust` on loopback and the socket and nothing else is
# accepted.  fsync stays on, so timings are those of a real server.  The binaries come from
# /usr/lib/postgresql/<newest>/bin (or PG_BIN).
# Environment: PG_BIN (the bin directory), PG_START_TIMEOUT (seconds, default 60).
set -euo pipefail

PORT_LO=20000    # ports are drawn from [PORT_LO, PORT_LO + PORT_SPAN)
PORT_SPAN=40000
TRIES=8          # start attempts, each on another port
STOP_TIMEOUT=30  # seconds for a fast shutdown before the server is killed

die() { echo "pg-cluster: $*" >&2; exit 1; }

usage() {
    echo "usage: scripts/pg-cluster.sh start DIR | stop DIR" >&2
    exit 2
}

bin_dir() {
    local d=${PG_BIN:-}
    [ -n "$d" ] || d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
        die "no PostgreSQL server binaries in ${PG_BIN:-/usr/lib/postgresql/*/bin} (install Debian's postgresql: scripts/install-deps.sh check)"
    fi
    echo "$d"
}

# Runs a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

owner_name() {
    if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

port_taken() { # PORT: 0 when something listens on 127.0.0.1:PORT
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cmd_start() {
    local dir=$1 bin user data port url log
    bin=$(bin_dir)
    user=$(owner_name)
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user (Debian's postgresql package creates it)"
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
    # The unix socket path (DIR/.s.PGSQL.PORT) must fit in sun_path (107 bytes).
    [ ${#dir} -le 80 ] || die "$dir is too long for a unix socket path: use a shorter one"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    chmod 700 "$dir"
    data="$dir/data"
    log="$dir/server.log"
    as_owner "$bin/initdb" -D "$data" -U "$user" --encoding=UTF8 --locale=C \
        --auth-local=trust --auth-host=reject >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    # Only the owner's socket and loopback connections, without a password.
    as_owner tee "$data/pg_hba.conf" >/dev/null <<EOF
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
EOF
    as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# scripts/pg-cluster.sh: a throwaway cluster on loopback
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
max_connections = 200
shared_buffers = 128MB
log_min_messages = warning
log_min_error_statement = panic
EOF
    local try=0
    while [ $try -lt $TRIES ]; do
        try=$((try + 1))
        port=$((PORT_LO + (RANDOM * 32768 + RANDOM) % PORT_SPAN))
        port_taken "$port" && continue
        if as_owner "$bin/pg_ctl" -D "$data" -l "$log" -o "-p $port" -w \
               -t "${PG_START_TIMEOUT:-60}" start >/dev/null 2>&1; then
            echo "$port" >"$dir/port"
            break
        fi
        # Another process may have taken the port meanwhile: try another one.
        as_owner "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
        port=
    done
    if [ -z "${port:-}" ] || [ ! -f "$dir/port" ]; then
        tail -20 "$log" >&2 2>/dev/null || true
        die "the server did not start on any of $TRIES ports"
    fi
    local waited=0
    until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$user" -d postgres; do
        waited=$((waited + 1))
        [ $waited -le "${PG_START_TIMEOUT:-60}" ] || die "the server on port $port is not ready"
        sleep 1
    done
    url="postgres://$user@127.0.0.1:$port/postgres"
    echo "$url"
}

cmd_stop() {
    local dir=$1 bin
    [ -d "$dir" ] || return 0
    dir=$(cd "$dir" && pwd)
    bin=$(bin_dir)
    if [ -f "$dir/data/postmaster.pid" ]; then
        local run=()
        [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
        timeout $((STOP_TIMEOUT + 5)) "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w \
            -t "$STOP_TIMEOUT" stop >/dev/null 2>&1 ||
            timeout $((STOP_TIMEOUT + 5)) "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate \
                -w -t "$STOP_TIMEOUT" stop >/dev/null 2>&1 || {
            local pid
            pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
            case "$pid" in
            '' | *[!0-9]*) ;;
            *) kill -KILL "$pid" 2>/dev/null && sleep 1 ;;
            esac
        }
    fi
    rm -rf "$dir"
}

[ $# -eq 2 ] || usage
case "$1" in
start) cmd_start "$2" ;;
stop) cmd_stop "$2" ;;
*) usage ;;
esac
