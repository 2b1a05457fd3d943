#!/usr/bin/env bash
# Mail worker throughput on loopback: a release build, the demo data, then MESSAGES queued
# messages (default 5,000) delivered by `tilslutning worker` to a local SMTP server
# (aiosmtpd, discarding what it receives), timed from start until the queue is empty.
# Usage: benches/mail.sh [MESSAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-5000}
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install --quiet aiosmtpd
cargo build --release --quiet
work=$(mktemp -d /tmp/tilslutning-mail-bench.XXXXXX)
smtp_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TILSLUTNING_DATA_DIR=$work TILSLUTNING_DEMO_PASSWORD=bench-password-2026 RUST_LOG=warn \
  TILSLUTNING_MAIL=smtp://127.0.0.1:$smtp_port TILSLUTNING_MAIL_POLL_MS=50
target/release/tilslutning demo >/dev/null
python3 -u -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Sink >/dev/null 2>&1 &
smtp=$!
trap 'kill $smtp 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
db=$work/tilslutning.db
python3 - "$db" "$messages" <<'PY'
import sqlite3, sys, uuid
from datetime import datetime
db, n = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
now = datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
text = "Nye anmodninger venter på afgørelse\n\n" + "- DA-2026-000001 – Tjeneste\n  Institution: G10101\n" * 5
html = "<html><body>" + "<p>DA-2026-000001 – Tjeneste</p>" * 5 + "</body></html>"
con.executemany(
    "INSERT INTO mail_messages (id, recipient, language, subject, text_body, html_body, status, attempts, next_attempt_at, created_at) "
    "VALUES (?, ?, 'da', ?, ?, ?, 'pending', 0, ?, ?)",
    [(str(uuid.uuid4()), f"modtager{i % 500}@example.org", f"Ny anmodning {i}", text, html, now, now) for i in range(n)],
)
con.commit()
PY
pending() { sqlite3 "$db" "SELECT COUNT(*) FROM mail_messages WHERE status IN ('pending')"; }
[ "$(pending)" -gt 0 ] || { echo "nothing queued" >&2; exit 1; }
start=$(date +%s.%N)
target/release/tilslutning worker >"$work/worker.log" 2>&1 &
worker=$!
while [ "$(pending)" -gt 0 ]; do sleep 0.2; done
end=$(date +%s.%N)
kill $worker
sent=$(sqlite3 "$db" "SELECT COUNT(*) FROM mail_messages WHERE status = 'sent'")
printf '%d mails delivered to a local SMTP server in %.1f s: %.0f mails/s (one worker, %s pooled SMTP connections)\n' \
  "$sent" "$(echo "$end - $start" | bc)" "$(echo "$sent / ($end - $start)" | bc -l)" "${TILSLUTNING_MAIL_CONNECTIONS:-16}"
