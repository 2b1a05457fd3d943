#!/usr/bin/env bash
# Load benchmark on loopback: a release build, the demo data plus a national-scale
# register and request history (benches/seed_national.py), then wrk against the pages
# people use most, each for SECONDS (default 10) with 2 threads and 16 connections.
# Prints requests/s, latency percentiles and the server's resident memory.
# Usage: benches/load.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
command -v wrk >/dev/null || { echo "benches/load.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet
work=$(mktemp -d /tmp/tilslutning-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TILSLUTNING_DATA_DIR=$work TILSLUTNING_BIND=127.0.0.1:$port TILSLUTNING_DEMO_PASSWORD=bench-password-2026 RUST_LOG=warn
target/release/tilslutning demo >/dev/null
python3 benches/seed_national.py --requests 140000 "$work/tilslutning.db"
target/release/tilslutning serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 1 50); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done

login() { # email -> cookie header value
  local jar=$work/jar-$1
  local token=$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "email=$1" \
    --data-urlencode "password=$TILSLUTNING_DEMO_PASSWORD" "$base/login"
  awk '$6 == "tilslutning_session" { print "tilslutning_session=" $7 }' "$jar"
}
officer=$(login kommune@demo.tilslutning.dk)
operator=$(login drift@demo.tilslutning.dk)
request=$(curl -s -H "Cookie: $officer" "$base/inbox" | sed -n 's/.*href="\/requests\/\([0-9a-f-]*\)".*/\1/p' | head -n 1)

run() { # label, cookie, path
  local out
  out=$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Cookie: $2" "$base$3")
  local rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  local p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  local p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  local errors=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  printf '%-44s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "${errors:-0}"
}
echo "wrk: 2 threads, 16 connections, ${seconds}s per page; server and load tool share this machine ($(nproc) cores)"
run "GET /healthz" "" /healthz
run "GET /login (anonymous page)" "" /login
run "GET / officer start page (3 counts)" "$officer" /
run "GET /inbox officer, København" "$officer" /inbox
run "GET /requests/{id} detail" "$officer" "/requests/$request"
run "GET /requests?status=pending operator, national" "$operator" "/requests?status=pending"
run "GET /agreements operator, national" "$operator" /agreements
run "GET /institutions?q=Skole operator" "$operator" "/institutions?q=Skole"
echo "server resident memory after the run: $(( $(ps -o rss= -p $server) / 1024 )) MiB"
