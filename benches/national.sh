#!/usr/bin/env bash
# The national benchmark, rerunnable by anyone with the project: a release build, the national
# data set (benches/seed_national.py: 1,000,000 requests, ~50k pending, ~700k agreements,
# 1M audit rows, ~9,900 institutions, København 503, a mail history of 1M sent mails) on
# SQLite and on PostgreSQL, then every figure of benches/national.py on each, for a bounded
# time, and one table with req/s, p50, p99 and, when a baseline URL is given, the ratio.
#
# Usage: benches/national.sh [SECONDS]
# Environment:
#   SECONDS              per figure (default 10); PAIRS (default 1) A/B pairs per page
#   BACKENDS             "sqlite postgres" (default) or one of them
#   PG_URL               a PostgreSQL server admin URL to create the database on; without it
#                        a throwaway cluster is started on a free loopback port
#   BASELINE_SQLITE_URL  e.g. http://127.0.0.1:18480/fortunes, the bare stack on SQLite
#   BASELINE_PG_URL      the same on PostgreSQL (see ../shared/bench/fortunes or any server)
#   REQUESTS             size of the data set (default 1000000); MAIL_HISTORY (1000000)
#   KEEP=1               keep the work folder (databases, server logs) afterwards
# About 35 minutes on a 2-core machine for both backends, seeding included.
figure_seconds=${1:-${SECONDS:-0}}
[ "$figure_seconds" -ge 1 ] 2>/dev/null || figure_seconds=10
set -euo pipefail
cd "$(dirname "$0")/.."
export SECONDS_PER_FIGURE=$figure_seconds
backends=${BACKENDS:-sqlite postgres}
requests=${REQUESTS:-1000000}
mail_history=${MAIL_HISTORY:-1000000}
export TILSLUTNING_DEMO_PASSWORD=${TILSLUTNING_DEMO_PASSWORD:-bench-password-2026}

install_package() { # Debian package
  [ "$(id -u)" = 0 ] || { echo "benches/national.sh needs $1 (apt-get install $1)" >&2; exit 1; }
  apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }
}
need() { command -v "$1" >/dev/null || install_package "$2"; } # command, Debian package
need wrk wrk
need python3 python3
need curl curl
case " $backends " in *" postgres "*) need psql postgresql-client ;; esac

echo "building (release)" >&2
cargo build --release --bins --quiet
bin=${CARGO_TARGET_DIR:-target}/release/tilslutning

work=$(mktemp -d /tmp/tilslutning-national.XXXXXX)
pg_ctl=""
cleanup() {
  [ -n "$pg_ctl" ] && as_pg "$pg_ctl -D $work/pg/data -m fast stop" >/dev/null 2>&1
  [ "${KEEP:-}" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then as_pg() { su postgres -s /bin/bash -c "$1"; }; else as_pg() { bash -c "$1"; }; fi

urls=()
for backend in $backends; do
  mkdir -p "$work/$backend"
  case $backend in
    sqlite) url="sqlite://$work/sqlite/tilslutning.db" ;;
    postgres)
      admin=${PG_URL:-}
      if [ -z "$admin" ]; then
        pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
        if [ -z "$pg_bin" ]; then install_package postgresql; pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
        [ "$(id -u)" != 0 ] || { id postgres >/dev/null 2>&1 || useradd --system postgres; }
        mkdir -p "$work/pg" && { [ "$(id -u)" != 0 ] || chown postgres "$work" "$work/pg"; }
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        as_pg "$pg_bin/initdb -D $work/pg/data -A trust -U postgres >$work/pg/initdb.log 2>&1"
        pg_ctl=$pg_bin/pg_ctl
        as_pg "$pg_ctl -D $work/pg/data -l $work/pg/server.log -w -o \"-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB\" start" >/dev/null
        admin="postgres://postgres@127.0.0.1:$port/postgres"
      fi
      psql -X -q "$admin" -c "DROP DATABASE IF EXISTS tilslutning_national" -c "CREATE DATABASE tilslutning_national"
      url="${admin%/*}/tilslutning_national" ;;
    *) echo "unknown backend $backend (sqlite, postgres)" >&2; exit 1 ;;
  esac
  TILSLUTNING_DATA_DIR=$work/$backend TILSLUTNING_DATABASE_URL=$url RUST_LOG=warn "$bin" demo >/dev/null
  urls+=("$url")
done

echo "seeding the national data set ($requests requests) into: $backends" >&2
start=$(date +%s)
python3 benches/seed_national.py --requests "$requests" --mail-history "$mail_history" "${urls[@]}" >&2
echo "seeded in $(( $(date +%s) - start )) s" >&2

args=(--bin "$bin" --work "$work")
[ -n "${BASELINE_SQLITE_URL:-}" ] && args+=(--baseline-sqlite "$BASELINE_SQLITE_URL")
[ -n "${BASELINE_PG_URL:-}" ] && args+=(--baseline-pg "$BASELINE_PG_URL")
python3 benches/national.py "${args[@]}" "${urls[@]}"
