#!/usr/bin/env bash
# Pages served while logins are hammered, on loopback: a release build and the demo data,
# then wrk (2 threads, 16 connections) on a signed-in page (GET /inbox as the officer) and
# on GET /healthz, each for SECONDS (default 10): first without login load, then while a
# second wrk POSTs /login with the correct password for 64 accounts over 64
# connections for the whole phase, far beyond the bound on concurrent argon2id hashes
# (src/auth/password.rs). Correct passwords keep the throttle (src/db/throttle.rs) out of
# the way: each success clears the account's failures and creates a session.
# Prints requests/s and latency for the pages, the login rate and latency (303 = signed
# in; other statuses and socket errors are counted) and the server's resident memory
# before and after the burst.
# Usage: benches/login_burst.sh [SECONDS]   (CARGO_TARGET_DIR is honoured for the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
command -v wrk >/dev/null || { echo "benches/login_burst.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/tilslutning
work=$(mktemp -d /tmp/tilslutning-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TILSLUTNING_DATA_DIR=$work TILSLUTNING_BIND=127.0.0.1:$port TILSLUTNING_DEMO_PASSWORD=bench-password-2026 RUST_LOG=warn
"$bin" demo >/dev/null
# As many accounts as login connections, so the burst is many people signing in at once
# (parallel attempts at one account are throttled as guessing, by design).
accounts=64
for n in $(seq 0 $((accounts - 1))); do
  TILSLUTNING_OPERATOR_PASSWORD=$TILSLUTNING_DEMO_PASSWORD "$bin" create-operator --email "burst$n@bench.example" >/dev/null
done
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server ${hammer:-} 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 1 50); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.1; done

csrf() { # cookie jar -> a CSRF token bound to the jar's tilslutning_anon cookie
  curl -s -c "$1" -b "$1" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1
}
token=$(csrf "$work/jar-officer")
curl -s -c "$work/jar-officer" -b "$work/jar-officer" -o /dev/null --data-urlencode "csrf=$token" \
  --data-urlencode "email=kommune@demo.tilslutning.dk" --data-urlencode "password=$TILSLUTNING_DEMO_PASSWORD" "$base/login"
officer=$(awk '$6 == "tilslutning_session" { print "tilslutning_session=" $7 }' "$work/jar-officer")
[ -n "$officer" ] || { echo "could not sign in the officer" >&2; exit 1; }
# One anonymous cookie and its token serve every hammer request: the token is an HMAC of the cookie.
hammer_token=$(csrf "$work/jar-hammer")
hammer_cookie=$(awk '$6 == "tilslutning_anon" { print "tilslutning_anon=" $7 }' "$work/jar-hammer")
password=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$TILSLUTNING_DEMO_PASSWORD")
cat >"$work/login.lua" <<'LUA'
local threads, accounts = {}, 64
function setup(thread) thread:set("id", #threads) table.insert(threads, thread) end
function init(args)
  csrf, cookie, password, n, ok, other = args[1], args[2], args[3], 0, 0, 0
end
function request()
  n = n + 1
  local body = "csrf=" .. csrf .. "&email=burst" .. ((n * 2 + id) % accounts) .. "%40bench.example"
    .. "&password=" .. password .. "&next=%2F"
  return wrk.format("POST", "/login", { ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie }, body)
end
function response(status) if status == 303 then ok = ok + 1 else other = other + 1 end end
function done()
  local o, x = 0, 0
  for _, t in ipairs(threads) do o, x = o + t:get("ok"), x + t:get("other") end
  io.write(string.format("signed-in %d other-status %d\n", o, x))
end
LUA

row() { # label, wrk output, errors -> one table line
  local rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$2")
  local p50=$(awk '$1 == "50%" { print $2 }' <<<"$2")
  local p99=$(awk '$1 == "99%" { print $2 }' <<<"$2")
  printf '%-40s %10s req/s   p50 %8s   p99 %8s   errors %s\n' "$1" "$rps" "$p50" "$p99" "$3"
}
page() { # label, cookie, path
  local out
  out=$(timeout $((seconds + 30)) wrk -t2 -c16 -d"${seconds}s" --latency -H "Cookie: $2" "$base$3")
  local bad=$(awk '/Non-2xx/ { print $NF }' <<<"$out") sock=$(awk '/Socket errors/ { sub(/.*errors: /, ""); print }' <<<"$out")
  row "$1" "$out" "${bad:-0} non-2xx${sock:+, socket $sock}"
}
echo "wrk: pages 2 threads, 16 connections, ${seconds}s each; logins 2 threads, 64 connections;"
echo "server and load tools share this machine ($(nproc) cores, hashing threads = cores - 1, at least 1, load average $(cut -d' ' -f1 /proc/loadavg))"
page "GET /inbox officer (no login load)" "$officer" /inbox
page "GET /healthz (no login load)" "" /healthz
rss_before=$(( $(ps -o rss= -p $server) / 1024 ))
# The hammer covers both burst measurements, with a second's head start to fill the queue.
timeout $((3 * seconds + 30)) wrk -t2 -c64 -d"$((2 * seconds + 2))s" --timeout 30s --latency -s "$work/login.lua" \
  "$base/login" -- "$hammer_token" "$hammer_cookie" "$password" >"$work/hammer.out" &
hammer=$!
sleep 1
page "GET /inbox officer (during login burst)" "$officer" /inbox
page "GET /healthz (during login burst)" "" /healthz
wait $hammer
out=$(cat "$work/hammer.out")
sock=$(awk '/Socket errors/ { sub(/.*errors: /, ", socket "); print }' <<<"$out")
row "POST /login burst ($((2 * seconds + 2))s, 64 conns)" "$out" \
  "$(awk '/^signed-in/ { print $2 " signed in, " $4 " other status" }' <<<"$out")$sock"
echo "server resident memory: ${rss_before} MiB before the login burst, $(( $(ps -o rss= -p $server) / 1024 )) MiB after"
