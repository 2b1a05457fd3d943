#!/usr/bin/env python3
"""The national benchmark's driver (benches/national.sh builds, seeds and calls it): for each
database given, starts `tilslutning serve` on it and measures, over loopback,

  the first page after `serve` starts (on the fresh data set, and again after a restart);
  the list pages (officer inbox, request list, agreements, audit log; operator national
  request list and pending list), request detail (pending and approved), agreement detail,
  the transparency page and /metrics, each with wrk for SECONDS, next to the baseline's
  page when one is given (A, B, A, B ... for PAIRS pairs; medians);
  approve POSTs (a CSRF token per officer, a distinct pending request per POST, officers of
  many municipalities at once) with wrk and a Lua script;
  one bulk approval of 1,000 requests and filings of 1,000 and 7,000 numbers, timed;
  the API's access check (one pair with wrk; batches of 1,000 pairs, timed) and its
  agreement change feed, with an access-check token made on the page;
  the officer inbox's p99 alone and while password sign-ins are offered at twice the
  measured hashing capacity, and the server's resident memory under that load;

and prints one table. Standard library only (plus wrk, and psql for PostgreSQL).

Usage: national.py --bin PATH --work DIR [--baseline-sqlite URL] [--baseline-pg URL] DB_URL...
Environment: SECONDS (default 10) per figure, PAIRS (default 1), THREADS (2), CONNS (16);
ONLY=api measures the API figures alone; ONLY=pages the GET pages alone (read-only, so one
seeded data set serves run after run).
"""
import argparse
import http.client
import json
import os
import queue
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

SECONDS = int(os.environ.get("SECONDS_PER_FIGURE", os.environ.get("SECONDS", "10")) or 10)
PAIRS = int(os.environ.get("PAIRS", "1"))
THREADS = int(os.environ.get("THREADS", "2"))
CONNS = int(os.environ.get("CONNS", "16"))
PASSWORD = os.environ.get("TILSLUTNING_DEMO_PASSWORD", "bench-password-2026")
OFFICER = "kommune@demo.tilslutning.dk"
OPERATOR = "drift@demo.tilslutning.dk"
SUPPLIER = "leverandoer@demo.tilslutning.dk"
KOEBENHAVN = "101"
UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}

rows = []  # (backend, figure, req/s, p50 ms, p99 ms, baseline req/s, ratio, note)


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- HTTP -----------------------------------------------------------------------------

class Client:
    """One keep-alive connection to the portal, remembering cookies it is given."""

    def __init__(self, base, keep_cookies=True):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.cookies = {}
        self.keep_cookies = keep_cookies
        self.conn = None

    def request(self, method, path, fields=None, headers=None, timeout=300, body=None):
        h = dict(headers or {})
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and self.keep_cookies:
                name, _, value = v.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if k == "tilslutning_session")


def csrf_in(html):
    m = re.search(r'name="csrf" value="([^"]*)"', html)
    return m.group(1) if m else None


def sign_in(base, email):
    c = Client(base)
    status, _, page = c.request("GET", "/login")
    token = csrf_in(page)
    status, headers, page = c.request("POST", "/login", {"csrf": token, "email": email, "password": PASSWORD, "next": "/"})
    if status != 303 or "tilslutning_session" not in c.cookies:
        sys.exit(f"national.py: signing in {email} failed ({status}): {page[:300]}")
    status, _, page = c.request("GET", "/")
    c.csrf = csrf_in(page)
    return c


# --- the database, read directly for ids ----------------------------------------------

class Database:
    def __init__(self, url):
        self.url = url
        self.sqlite = None if url.startswith("postgres") else sqlite3.connect(url[len("sqlite://"):])

    def query(self, sql):
        if self.sqlite:
            return [tuple(str(v) for v in r) for r in self.sqlite.execute(sql).fetchall()]
        out = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", self.url, "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]


# --- wrk ------------------------------------------------------------------------------

def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text or "")
    return float(m.group(1)) * UNIT[m.group(2)] if m else float("nan")


def wrk(url, headers=(), lua=None, lua_args=(), seconds=SECONDS, conns=CONNS):
    cmd = ["wrk", f"-t{THREADS}", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout=30s"]
    for h in headers:
        cmd += ["-H", h]
    if lua:
        cmd += ["-s", lua]
    cmd.append(url)
    if lua_args:
        cmd += ["--", *lua_args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 90).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": ms(lat.get("50")), "p99": ms(lat.get("99")),
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket": sock.group(1).strip() if sock else "",
            "lua": [l for l in out.splitlines() if l.startswith("lua:")], "raw": out}


def median_of(runs, key):
    return statistics.median(r[key] for r in runs)


def figure(backend, name, base, path, cookie, baseline, bearer=None):
    """A GET page next to the baseline: PAIRS interleaved pairs, medians."""
    c = Client(base)
    headers = [f"Cookie: {cookie}"] if cookie else []
    if bearer:
        headers.append(f"Authorization: Bearer {bearer}")
    status, _, body = c.request("GET", path, headers=dict(h.split(": ", 1) for h in headers))
    if status != 200:
        rows.append((backend, name, None, None, None, None, None, f"status {status}, not measured"))
        log(f"{backend} {name}: status {status}")
        return
    a, b = [], []
    for _ in range(PAIRS):
        a.append(wrk(base + path, headers))
        if baseline:
            b.append(wrk(baseline))
    note = []
    bad = sum(r["non2xx"] for r in a)
    if bad:
        note.append(f"{bad} non-2xx")
    sock = [r["socket"] for r in a if r["socket"]]
    if sock:
        note.append("socket " + sock[0])
    base_rps = median_of(b, "rps") if b else None
    rps = median_of(a, "rps")
    rows.append((backend, name, rps, median_of(a, "p50"), median_of(a, "p99"), base_rps,
                 rps / base_rps if base_rps else None, ", ".join(note)))
    log(f"{backend} {name}: {rps:.0f} req/s, p99 {median_of(a, 'p99'):.1f} ms"
        + (f", baseline {base_rps:.0f}" if base_rps else ""))


APPROVE_LUA = r"""
local threads = {}
function setup(thread) thread:set("id", #threads) table.insert(threads, thread) end
function init(args)
  lines = {}
  for line in io.lines(args[1]) do table.insert(lines, line) end
  n, ok, conflict, failed, other = id, 0, 0, 0, 0
  step = tonumber(args[2])
end
function request()
  local line = lines[(n % #lines) + 1]
  n = n + step
  local cookie, path, body = line:match("([^\t]*)\t([^\t]*)\t(.*)")
  return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie }, body)
end
function response(status)
  if status == 303 then ok = ok + 1
  elseif status == 409 then conflict = conflict + 1
  elseif status >= 500 then failed = failed + 1
  else other = other + 1 end
end
function done()
  local o, c, f, x = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    o, c, f, x = o + t:get("ok"), c + t:get("conflict"), f + t:get("failed"), x + t:get("other")
  end
  io.write(string.format("lua: approved %d conflict %d failed %d other %d\n", o, c, f, x))
end
"""


# --- the server -----------------------------------------------------------------------

class Server:
    def __init__(self, binary, url, work, port):
        self.binary, self.url, self.work, self.port = binary, url, work, port
        self.base = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self):
        env = dict(os.environ, TILSLUTNING_DATA_DIR=self.work, TILSLUTNING_DATABASE_URL=self.url,
                   TILSLUTNING_BIND=f"127.0.0.1:{self.port}", RUST_LOG="warn",
                   # One token drives every API figure: measure the work, not the 429s.
                   TILSLUTNING_API_CALLS_PER_MINUTE="100000000")
        self.log = open(os.path.join(self.work, "server.log"), "a")
        started = time.monotonic()
        self.process = subprocess.Popen([self.binary, "serve"], env=env, stdout=self.log, stderr=self.log)
        return started

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def rss_mib(self):
        try:
            with open(f"/proc/{self.process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except (OSError, AttributeError):
            pass
        return float("nan")

    def first_page(self, started, path="/login", cookie=None, limit=120):
        """Seconds from spawning `serve` until `path` answers 200."""
        while time.monotonic() - started < limit:
            if self.process.poll() is not None:
                sys.exit(f"national.py: serve exited; see {self.work}/server.log")
            try:
                status, _, _ = Client(self.base).request("GET", path, headers={"Cookie": cookie} if cookie else None,
                                                         timeout=limit)
                if status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.01)
        return float("nan")


# --- the figures ----------------------------------------------------------------------

def run_backend(args, url, baseline):
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    work = os.path.join(args.work, "postgres" if url.startswith("postgres") else "sqlite")
    os.makedirs(work, exist_ok=True)
    db = Database(url)
    server = Server(args.bin, url, work, free_port())
    try:
        measure(backend, server, db, work, baseline)
    finally:
        server.stop()


def api_token(client, kind, permissions):
    """Makes an API token on the API-nøgler page as the signed-in `client`."""
    expires = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))
    fields = [("csrf", client.csrf), ("kind", kind), ("name", "benchmark"), ("expires_on", expires)]
    fields += [("permission", p) for p in permissions]
    status, _, page = client.request("POST", "/api-tokens", fields)
    m = re.search(r'value="(tsk_[0-9a-f]+)"', page)
    if status != 200 or not m:
        sys.exit(f"national.py: making a {kind} token failed ({status}): {page[:300]}")
    return m.group(1)


def api(backend, server, db, operator, baseline):
    """The access check (one pair; batches of 1,000) and the change feed, with a data
    provider's token, next to the baseline."""
    token = api_token(operator, "access_check", ["access"])
    service, number, scope = db.query(
        "SELECT a.service_id, a.institution_number, s.scope_code FROM agreements a "
        "JOIN agreement_scopes s ON s.agreement_id = a.id WHERE a.status = 'active' "
        "AND a.service_id LIKE 'bench-service-%' LIMIT 1")[0]
    figure(backend, "API access check, one pair", server.base,
           f"/api/v1/access?service={service}&scope={scope}&institution={number}", None, baseline, token)
    numbers = [r[0] for r in db.query(
        f"SELECT institution_number FROM agreements WHERE service_id = '{service}' LIMIT 1000")]
    numbers += [r[0] for r in db.query(
        f"SELECT number FROM institutions WHERE status = 'active' LIMIT {1000 - len(numbers)}")]
    body = json.dumps({"service": service, "scopes": [scope], "institutions": numbers[:1000]})
    c = Client(server.base, keep_cookies=False)
    took = []
    for _ in range(30):
        t = time.monotonic()
        status, _, answer = c.request("POST", "/api/v1/access", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"}, body=body)
        took.append((time.monotonic() - t) * 1000)
        if status != 200:
            sys.exit(f"national.py: the batch access check answered {status}: {answer[:300]}")
    took.sort()
    allowed = answer.count('"allowed":true')
    rows.append((backend, "API access check, batch of 1,000 (30 calls)", None, statistics.median(took),
                 took[-1], None, None, f"{allowed} of 1,000 allowed; p99 column is the slowest call"))
    log(f"{backend} access batch: p50 {statistics.median(took):.1f} ms, max {took[-1]:.1f} ms")
    head = int(db.query("SELECT COALESCE(MAX(seq), 0) FROM audit_log")[0][0])
    after = db.query(
        f"SELECT seq FROM audit_log WHERE target_type = 'agreement' AND seq < {head} "
        "ORDER BY seq DESC LIMIT 1 OFFSET 20000")
    after = after[0][0] if after else "0"
    figure(backend, "API change feed, 500 changes a page", server.base,
           f"/api/v1/agreements/changes?after={after}&limit=500", None, baseline, token)


def measure(backend, server, db, work, baseline):
    if os.environ.get("ONLY") == "api":
        server.first_page(server.start())
        api(backend, server, db, sign_in(server.base, OPERATOR), baseline)
        return
    log(f"{backend}: first start of serve on the national data set")
    started = server.start()
    first = server.first_page(started)
    officer = sign_in(server.base, OFFICER)
    status, _, _ = officer.request("GET", "/inbox")
    first_inbox = time.monotonic() - started
    rows.append((backend, "first page after serve starts (fresh data set)", None, first * 1000, None, None, None,
                 f"login form {first:.2f} s; signed in and inbox {first_inbox:.2f} s (status {status})"))
    operator = sign_in(server.base, OPERATOR)
    supplier = sign_in(server.base, SUPPLIER)

    kbh = (f"JOIN institutions i ON i.number = r.institution_number WHERE i.municipality_code = '{KOEBENHAVN}' "
           "AND r.service_id LIKE 'bench-service-%'")
    # Municipal institutions: the officer decides there (self-governing ones decide themselves).
    pending = [r[0] for r in db.query(f"SELECT r.id FROM requests r {kbh} AND r.status = 'pending' "
                                      "AND i.ownership_code = '1' ORDER BY r.filed_at LIMIT 1001")]
    approved = db.query(f"SELECT r.id FROM requests r {kbh} AND r.status = 'approved' LIMIT 1")[0][0]
    agreement = db.query(f"SELECT r.id FROM agreements r {kbh} AND r.status = 'active' LIMIT 1")[0][0]

    pages = [
        ("officer inbox", "/inbox", officer),
        ("officer request list", "/requests", officer),
        ("officer agreements", "/agreements", officer),
        ("officer audit log", "/audit", officer),
        ("operator national request list", "/requests", operator),
        ("operator national pending list", "/requests?status=pending", operator),
        ("request detail, pending", f"/requests/{pending[0]}", officer),
        ("request detail, approved", f"/requests/{approved}", officer),
        ("agreement detail", f"/agreements/{agreement}", officer),
        ("transparency page (/aabenhed)", "/aabenhed", None),
        ("GET /metrics (loopback)", "/metrics", None),
    ]
    for name, path, who in pages:
        figure(backend, name, server.base, path, who.cookie_header() if who else None, baseline)
    if os.environ.get("ONLY") == "pages":
        return

    approvals(backend, server, db, work, baseline)
    bulk(backend, officer, pending[1:])
    filings(backend, supplier, db)
    api(backend, server, db, operator, baseline)
    login_burst(backend, server, officer, work)

    log(f"{backend}: restart")
    server.stop()
    started = server.start()
    first = server.first_page(started)
    inbox = server.first_page(started, "/inbox", officer.cookie_header())
    rows.append((backend, "first page after serve restarts", None, first * 1000, None, None, None,
                 f"login form {first:.2f} s; signed-in inbox {inbox:.2f} s"))


def approvals(backend, server, db, work, baseline):
    log(f"{backend}: approve POSTs")
    codes = [r[0] for r in db.query(
        f"SELECT code FROM municipalities WHERE code <> '{KOEBENHAVN}' ORDER BY code LIMIT 32")]
    listed = ", ".join(f"'{c}'" for c in codes)
    found = db.query(
        "SELECT r.id, i.municipality_code, s.scope_code FROM requests r "
        "JOIN institutions i ON i.number = r.institution_number JOIN request_scopes s ON s.request_id = r.id "
        f"WHERE r.status = 'pending' AND i.municipality_code IN ({listed}) AND i.ownership_code = '1' "
        "AND r.service_id LIKE 'bench-service-%' "
        "ORDER BY i.municipality_code, r.filed_at, r.id")
    scopes, where = {}, {}
    for rid, code, scope in found:
        scopes.setdefault(rid, []).append(scope)
        where[rid] = code
    officers = {code: sign_in(server.base, f"officer{code}@bench.example") for code in codes}
    by_code = {}
    for rid in scopes:
        by_code.setdefault(where[rid], []).append(rid)
    lines = []
    # Round robin over the municipalities, so concurrent POSTs are different officers'.
    for i in range(max(len(v) for v in by_code.values())):
        for code in codes:
            if i < len(by_code.get(code, [])):
                rid = by_code[code][i]
                o = officers[code]
                body = urllib.parse.urlencode([("csrf", o.csrf), ("decision", "approve"), ("reason", "")]
                                              + [("scopes", s) for s in scopes[rid]])
                lines.append(f"{o.cookie_header()}\t/requests/{rid}/decision\t{body}")
    data = os.path.join(work, "approvals.tsv")
    with open(data, "w") as f:
        f.write("\n".join(lines) + "\n")
    lua = os.path.join(work, "approve.lua")
    with open(lua, "w") as f:
        f.write(APPROVE_LUA)
    a = wrk(server.base + "/", lua=lua, lua_args=[data, str(THREADS)])
    b = wrk(baseline) if baseline else None
    m = re.search(r"approved (\d+) conflict (\d+) failed (\d+) other (\d+)", " ".join(a["lua"]))
    ok, conflict, failed, other = (int(g) for g in m.groups()) if m else (0, 0, 0, 0)
    note = (f"{ok} approved, {failed} failed (5xx), {conflict} already decided, {other} other; "
            f"{len(lines)} pending requests of {len(codes)} officers")
    if a["socket"]:
        note += ", socket " + a["socket"]
    rows.append((backend, "approve POSTs (CSRF, distinct pending requests)", a["rps"], a["p50"], a["p99"],
                 b["rps"] if b else None, a["rps"] / b["rps"] if b else None, note))
    log(f"{backend} approvals: {a['rps']:.0f}/s, {note}")


def bulk(backend, officer, pending):
    log(f"{backend}: bulk approval of 1,000")
    ids = pending[:1000]
    # The confirmation step's answer: the approver has seen what happens, and confirms the
    # sensitive scopes of every chosen request.
    fields = ([("csrf", officer.csrf), ("decision", "approve"), ("reason", ""), ("confirmed", "yes")]
              + [("ids", i) for i in ids] + [("confirm_sensitive", i) for i in ids])
    t = time.monotonic()
    status, headers, body = officer.request("POST", "/inbox/decide", fields)
    took = time.monotonic() - t
    location = urllib.parse.parse_qs(urllib.parse.urlsplit(headers.get("location", "")).query)
    note = (f"status {status}, {location.get('done', ['?'])[0]} of {len(ids)} approved, "
            f"{location.get('skipped', ['?'])[0]} skipped")
    rows.append((backend, f"bulk approval of {len(ids):,} requests", None, took * 1000, None, None, None, note))
    log(f"{backend} bulk: {took:.2f} s, {note}")


def filings(backend, supplier, db):
    today = time.strftime("%Y-%m-%d")
    # Every open daycare unit and school the seeder made (G7xxxx, 3xxxxx: not the demo's, which
    # carry demo requests and A-numbers), as a national supplier would file.
    units = [r[0] for r in db.query(
        "SELECT number FROM institutions WHERE status = 'active' AND level IN ('anvisningsenhed', 'skole') "
        "AND (number LIKE 'G7%' OR number LIKE '3%') ORDER BY number LIMIT 8000")]
    for count, service in ((1000, "demo-service-app"), (7000, "demo-service-plads")):
        log(f"{backend}: filing for {count:,} numbers")
        fields = [("csrf", supplier.csrf), ("service_id", service), ("purpose", "Benchmark: national filing"),
                  ("wished_start", today), ("institutions", "\n".join(units[:count])), ("scopes", "STAMDATA")]
        t = time.monotonic()
        status, headers, body = supplier.request("POST", "/requests", fields)
        took = time.monotonic() - t
        if status == 303:
            note = "filed"
        else:
            summary = re.search(r'<div class="error-summary".*?</div>', body, re.S)
            html = summary.group(0) if summary else ""
            items = re.findall(r"<li>(.*?)</li>", html, re.S) or [html]
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "; ".join(items))).strip()
            note = f"status {status}" + (f": {text[:120]}" if text else "")
        rows.append((backend, f"filing for {count:,} numbers", None, took * 1000, None, None, None, note))
        log(f"{backend} filing {count}: {took:.2f} s, {note}")


def login_burst(backend, server, officer, work):
    """Inbox p99 alone, then while sign-ins are offered at twice the hashing capacity."""
    log(f"{backend}: sign-in burst")
    anon = Client(server.base)
    _, _, page = anon.request("GET", "/login")
    token, cookie = csrf_in(page), "tilslutning_anon=" + anon.cookies.get("tilslutning_anon", "")
    accounts = [f"officer{code}@bench.example" for code in
                [r[0] for r in Database(server.url).query("SELECT code FROM municipalities ORDER BY code")]]
    counter = {"ok": 0, "other": 0, "n": 0}
    lock = threading.Lock()

    def sign_in_once(client):
        with lock:
            counter["n"] += 1
            email = accounts[counter["n"] % len(accounts)]
        try:
            status, _, _ = client.request("POST", "/login", {"csrf": token, "email": email, "password": PASSWORD,
                                                              "next": "/"}, headers={"Cookie": cookie}, timeout=60)
        except OSError:
            status = 0
        with lock:
            counter["ok" if status == 303 else "other"] += 1

    # Capacity: as many sign-ins at once as there are cores, twice over, for a few seconds.
    counter.update(ok=0, other=0)
    stop = time.monotonic() + 5

    def closed_loop():
        c = Client(server.base, keep_cookies=False)
        while time.monotonic() < stop:
            sign_in_once(c)

    workers = [threading.Thread(target=closed_loop) for _ in range(2 * (os.cpu_count() or 2))]
    t = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    capacity = counter["ok"] / (time.monotonic() - t)

    idle = wrk(server.base + "/inbox", [f"Cookie: {officer.cookie_header()}"])
    rss_idle = server.rss_mib()

    # Open loop: sign-ins offered at a fixed rate, whatever the server manages.
    rate = 2 * capacity
    counter.update(ok=0, other=0)
    tickets = queue.Queue()
    done = threading.Event()

    def paced_worker():
        c = Client(server.base, keep_cookies=False)
        while not done.is_set():
            try:
                tickets.get(timeout=0.2)
            except queue.Empty:
                continue
            sign_in_once(c)

    pool = [threading.Thread(target=paced_worker, daemon=True) for _ in range(64)]
    for w in pool:
        w.start()
    peak = [rss_idle]

    def pace():
        begin, sent = time.monotonic(), 0
        while not done.is_set():
            due = int((time.monotonic() - begin) * rate)
            while sent < due:
                tickets.put(1)
                sent += 1
            peak[0] = max(peak[0], server.rss_mib())
            time.sleep(0.02)

    pacer = threading.Thread(target=pace, daemon=True)
    pacer.start()
    time.sleep(1)
    t = time.monotonic()
    busy = wrk(server.base + "/inbox", [f"Cookie: {officer.cookie_header()}"])
    elapsed = time.monotonic() - t
    done.set()
    pacer.join()
    signed = counter["ok"]
    backlog = tickets.qsize()
    rows.append((backend, "officer inbox, no sign-in load", idle["rps"], idle["p50"], idle["p99"], None, None,
                 f"server RSS {rss_idle:.0f} MiB"))
    rows.append((backend, "officer inbox, sign-ins at 2x hashing capacity", busy["rps"], busy["p50"], busy["p99"],
                 None, None,
                 f"p99 {busy['p99'] / idle['p99']:.1f}x idle; capacity {capacity:.0f}/s, offered {rate:.0f}/s, "
                 f"{signed / (elapsed + 1):.0f}/s signed in, {counter['other']} refused/failed, {backlog} left "
                 f"waiting; peak RSS {peak[0]:.0f} MiB"))
    log(f"{backend} burst: idle p99 {idle['p99']:.1f} ms, busy p99 {busy['p99']:.1f} ms, peak RSS {peak[0]:.0f} MiB")
    # The queued sign-ins drain before the next figure.
    for w in pool:
        w.join(timeout=5)


# --- the table ------------------------------------------------------------------------

def fmt(value, spec):
    return "—" if value is None or value != value else format(value, spec)


def table():
    head = ("backend", "figure", "req/s", "p50 ms", "p99 ms", "baseline req/s", "ratio", "notes")
    body = [(b, f, fmt(r, ",.0f"), fmt(p50, ",.1f"), fmt(p99, ",.1f"), fmt(br, ",.0f"),
             fmt(ratio, ".3f") + ("×" if ratio else ""), n) for b, f, r, p50, p99, br, ratio, n in rows]
    print()
    print(f"wrk -t{THREADS} -c{CONNS}, {SECONDS} s per figure, {PAIRS} pair(s) with the baseline; "
          f"{os.cpu_count()} cores shared by server, load and database; load average "
          f"{open('/proc/loadavg').read().split()[0]} at the end. Single timings (first page, bulk, filing) "
          "are in the p50 column.")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in body:
        print("| " + " | ".join(r) + " |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--baseline-sqlite")
    p.add_argument("--baseline-pg")
    p.add_argument("urls", nargs="+")
    args = p.parse_args()
    for url in args.urls:
        baseline = args.baseline_pg if url.startswith("postgres") else args.baseline_sqlite
        run_backend(args, url, baseline or None)
    table()


if __name__ == "__main__":
    main()
