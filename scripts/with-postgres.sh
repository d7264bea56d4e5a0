#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster: a temporary folder, a free port on
# 127.0.0.1 only, password login. The command sees the cluster's admin URL in
# SHOWMATCH_TEST_POSTGRES_URL; the cluster is stopped and its folder removed afterwards, also
# when the command fails or is interrupted.
#
#   scripts/with-postgres.sh swift test --skip-build --disable-xctest
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
  echo "with-postgres: no PostgreSQL server found under /usr/lib/postgresql (make postgres-deps installs it)" >&2
  exit 1
fi

folder=$(mktemp -d "${TMPDIR:-/tmp}/showmatch-postgres.XXXXXX")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$folder"
  as_owner=(runuser -u postgres --)
fi

stop_cluster() {
  if [ -f "$folder/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$folder"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

printf '%s\n' "$password" > "$folder/password"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$folder/password"
"${as_owner[@]}" "$PG_BIN/initdb" -D "$folder/data" -U showmatch --pwfile="$folder/password" \
  --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 \
  || { cat "$folder/initdb.log" >&2; exit 1; }
rm -f "$folder/password"
# A throwaway cluster: room for every test's pool, and no fsync, unless WITH_POSTGRES_DURABLE=1
# (benchmarks compare it with SQLite, which commits durably).
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${WITH_POSTGRES_DURABLE:-0}" = 1 ] && durability=""
"${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$folder' -c max_connections=400 $durability" \
  start >/dev/null || { cat "$folder/server.log" >&2; exit 1; }

export SHOWMATCH_TEST_POSTGRES_URL="postgres://showmatch:$password@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port ($("$PG_BIN/postgres" --version))"
"$@"
