#!/usr/bin/env bash
# Audit log at scale, on loopback: a release build, the demo data plus ROWS audit rows
# (default 1,000,000) appended through the real chain, then
#   - the viewer with wrk (newest page; a filtered page; a deep keyset page), SECONDS each,
#   - the CSV and JSON-lines exports of everything, timed, with the server's peak memory,
#   - `tilslutning audit verify` over the whole chain, timed.
# Usage: benches/audit.sh [ROWS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
seconds=${2:-10}
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
command -v wrk >/dev/null || { echo "benches/audit.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet
work=$(mktemp -d /tmp/tilslutning-audit-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TILSLUTNING_DATA_DIR=$work TILSLUTNING_BIND=127.0.0.1:$port TILSLUTNING_DEMO_PASSWORD=bench-password-2026 RUST_LOG=warn
target/release/tilslutning demo >/dev/null
cargo bench --quiet --bench audit_seed -- "sqlite://$work/tilslutning.db" "$rows"
target/release/tilslutning serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 1 50); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done
jar=$work/jar
token=$(curl -s -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "email=drift@demo.tilslutning.dk" \
  --data-urlencode "password=$TILSLUTNING_DEMO_PASSWORD" "$base/login"
cookie=$(awk '$6 == "tilslutning_session" { print "tilslutning_session=" $7 }' "$jar")

run() { # label, path
  local out
  out=$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Cookie: $cookie" "$base$2")
  printf '%-52s %9s req/s   p50 %8s   p99 %8s\n' "$1" "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" \
    "$(awk '$1 == "50%" { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")"
}
echo "audit rows: $rows; wrk: 2 threads, 16 connections, ${seconds}s per page"
run "GET /audit (newest 50)" /audit
run "GET /audit?institution=G20101&action=request.approved" "/audit?institution=G20101&action=request.approved"
run "GET /audit?before=$((rows / 2)) (keyset, mid-log)" "/audit?before=$((rows / 2))"
peak() { awk '/VmHWM/ { print int($2 / 1024) " MiB" }' "/proc/$server/status"; }
for format in csv jsonl; do
  start=$(date +%s.%N)
  bytes=$(curl -s -H "Cookie: $cookie" "$base/audit/export.$format" | wc -c)
  end=$(date +%s.%N)
  printf 'export.%-6s %10d bytes in %6.1f s   server peak memory so far %s\n' "$format" "$bytes" "$(echo "$end - $start" | bc)" "$(peak)"
done
start=$(date +%s.%N)
target/release/tilslutning audit verify
printf 'audit verify took %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
