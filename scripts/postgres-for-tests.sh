#!/usr/bin/env bash
# A throwaway PostgreSQL for the test suite: a private cluster in a temporary folder,
# listening on a free port of 127.0.0.1 only, with a database and a role named quizapp.
#
#   scripts/postgres-for-tests.sh [DIR]     start a cluster in DIR (default: a new temporary
#                                           folder) and print its URL for QUIZAPP_TEST_DATABASE_URL
#   scripts/postgres-for-tests.sh --durable [DIR]   the same, with fsync, synchronous_commit and
#                                           full_page_writes on, as production runs (for benchmarks)
#   scripts/postgres-for-tests.sh --stop DIR    stop that cluster and delete DIR
#
# Uses Debian's PostgreSQL packages, installing them with apt-get when run as root.
# The cluster trusts every connection and, unless --durable, skips fsync: it holds test data only.
set -euo pipefail

say() { echo "postgres-for-tests: $*" >&2; }

find_bindir() {
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$initdb" ] && dirname "$initdb"
}

# Run a command as the cluster's owner: root may not run PostgreSQL, so root hands it to
# the postgres account the Debian package creates.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "${1:-}" = "--stop" ]; then
  dir=${2:?"usage: $0 --stop DIR"}
  bindir=$(find_bindir)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
  fi
  rm -rf "$dir"
  exit 0
fi

durable=no
if [ "${1:-}" = "--durable" ]; then
  durable=yes
  shift
fi

bindir=$(find_bindir || true)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "PostgreSQL is not installed. Install it with: sudo apt-get install postgresql"
    exit 1
  fi
  say "installing PostgreSQL with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bindir=$(find_bindir)
fi

dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/quizapp-postgres.XXXXXX")}
mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
fi
chmod 700 "$dir"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_owner "$bindir/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }

# Only loopback TCP and a socket inside the private folder; durability switched off
# because nothing here outlives the test run, unless a benchmark asks for it: then every
# commit waits for its WAL to reach the disk, as with SQLite's synchronous=FULL.
options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
if [ "$durable" = yes ]; then
  options+=" -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=200"
else
  options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
fi
as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

as_owner "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE ROLE quizapp LOGIN" \
  -c "CREATE DATABASE quizapp OWNER quizapp" >&2

say "cluster in $dir, listening on 127.0.0.1:$port; stop it with: $0 --stop $dir"
echo "postgresql+psycopg://quizapp@127.0.0.1:$port/quizapp"
