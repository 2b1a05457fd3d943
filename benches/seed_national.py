#!/usr/bin/env python3
"""Fills migrated Tilslutning databases that hold the demo data (`tilslutning demo`) with
the national data set the benchmarks measure, on SQLite and on PostgreSQL:

  98 municipalities, København (101) with 503 institutions (demo ones included: 151
  klynger of 2 anvisningsenheder and 50 schools), every other municipality 25 klynger x 2
  units + 21 schools, so ~9,900 institutions;
  100 suppliers x 2 services;
  REQUESTS requests (default 1,000,000), each on its own (service, institution) pair, filed
  in time order 2024-01-01 .. 2026-11-30; of those filed in the last 60 days 90 % are
  pending (~50k), the rest decided: approved 74 %, rejected 14 %, withdrawn 8 %,
  lapsed 4 %; three non-sensitive scopes each;
  one agreement per approved request (~700k: active 88 %, suspended 2 %, revoked 4 %,
  terminated 4 %, ended 2 %), three scopes each;
  one audit row per request (its latest event) in event-time order, appended to the demo
  chain with the portal's hash (src/db/audit/chain.rs), so `tilslutning audit verify`
  passes; audit_head and the DA-/AF- reference counters are moved on;
  one municipal officer per municipality (officer<code>@bench.example) with the demo
  officer's password, for concurrent approvals and sign-ins;
  MAIL_HISTORY (default 0) sent mails with their processed outbox events, for a mail
  history of national size.

The rows are generated once and written to every database named, so SQLite and PostgreSQL
get the same data. Secondary indexes of the big tables are dropped during the load and
rebuilt from their own definitions after it, so the schema is always today's. PostgreSQL is
written through `psql` (COPY), so nothing but Python's standard library is needed.
Deterministic (fixed seed).

Usage: seed_national.py [--requests N] [--mail-history N] URL [URL ...]
  URL: sqlite:///path/to/tilslutning.db (or a plain path), postgres://user@host:port/db
"""
import argparse
import hashlib
import json
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta

SCOPES = ["STAMDATA", "MEDARBEJDERE", "BOERN", "FORAELDRE", "GRUPPER", "UNILOGIN", "INDMELDELSER", "OEKONOMI"]
BIG_TABLES = ["institutions", "requests", "request_scopes", "agreements", "agreement_scopes", "audit_log",
              "outbox", "mail_messages"]
KOEBENHAVN, KOEBENHAVN_SIZE = "101", 503


def ts(d):
    """`2026-11-30 12:00:00.000000`, as both backends store a timestamp."""
    return d.isoformat(" ", "microseconds")


def ts_hash(d):
    """`2026-11-30T12:00:00.000000Z`, as src/db/audit/chain.rs hashes it."""
    return d.isoformat("T", "microseconds") + "Z"


class Sqlite:
    def __init__(self, path):
        self.name = f"sqlite {path}"
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA foreign_keys = OFF")
        self.db.execute("PRAGMA cache_size = -1000000")
        self.db.execute("BEGIN")
        self.indexes = []

    def query(self, sql):
        return self.db.execute(sql).fetchall()

    def execute(self, sql):
        self.db.execute(sql)

    def begin_load(self):
        names = ", ".join(f"'{t}'" for t in BIG_TABLES)
        self.indexes = self.query(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names})")
        for name, _ in self.indexes:
            self.db.execute(f'DROP INDEX "{name}"')

    def rows(self, table, columns, rows):
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        self.db.executemany(sql, rows)

    def end_load(self):
        for _, sql in self.indexes:
            self.db.execute(sql)

    def finish(self):
        self.db.execute("COMMIT")
        self.db.execute("ANALYZE")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()


def pg_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def copy_field(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if kind is bool:
        return "t" if value else "f"
    return str(value)


class Postgres:
    """Reads with `psql -c`; writes in one transaction through one `psql` fed on stdin."""

    def __init__(self, url):
        self.name = "postgres " + url.split("@")[-1]
        self.url = url
        self.indexes = []
        self.writer = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url],
                                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                       encoding="utf-8")
        superuser = self.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0][0] == "t"
        self.send("BEGIN;\n")
        if superuser:
            # Foreign keys are not checked row by row during the load (the data is consistent).
            self.send("SET LOCAL session_replication_role = replica;\n")

    def send(self, text):
        self.writer.stdin.write(text)

    def query(self, sql):
        out = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", self.url, "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def execute(self, sql):
        self.send(sql.rstrip(";") + ";\n")

    def begin_load(self):
        names = ", ".join(f"'{t}'" for t in BIG_TABLES)
        self.indexes = self.query(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            f"AND tablename IN ({names}) AND indexname NOT IN (SELECT conname FROM pg_constraint)")
        for name, _ in self.indexes:
            self.send(f'DROP INDEX "{name}";\n')

    def rows(self, table, columns, rows):
        self.send(f"COPY {table} ({', '.join(columns)}) FROM STDIN;\n")
        self.send("".join("\t".join(copy_field(v) for v in row) + "\n" for row in rows))
        self.send("\\.\n")

    def end_load(self):
        self.send("SET LOCAL maintenance_work_mem = '512MB';\n")
        for _, sql in self.indexes:
            self.send(sql + ";\n")

    def finish(self):
        self.send("COMMIT;\n")
        self.writer.stdin.close()
        if self.writer.wait() != 0:
            sys.exit(f"seed_national.py: psql failed writing {self.name}")
        subprocess.run(["psql", "-X", "-q", self.url, "-c", "VACUUM ANALYZE"], check=True)


def open_target(url):
    if url.startswith("postgres://") or url.startswith("postgresql://"):
        return Postgres(url)
    return Sqlite(url[len("sqlite://"):] if url.startswith("sqlite://") else url)


def chunks(iterable, n=50_000):
    buf = []
    for x in iterable:
        buf.append(x)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--requests", type=int, default=1_000_000)
    p.add_argument("--mail-history", type=int, default=0)
    p.add_argument("urls", nargs="+")
    args = p.parse_args()
    t0 = time.time()
    targets_db = [open_target(u) for u in args.urls]
    first = targets_db[0]
    rnd = random.Random(2026)
    now = datetime(2026, 11, 30, 12, 0, 0)
    start = datetime(2024, 1, 1, 0, 0, 0)

    # What the demo data left, read from the first database (every one holds the same demo).
    def one(sql):
        values = {tuple(str(v) for v in db.query(sql)[0]) for db in targets_db}
        if len(values) != 1:
            sys.exit(f"seed_national.py: the databases differ on {sql}: {values}")
        return first.query(sql)[0]

    municipalities = [r[0] for r in first.query("SELECT code FROM municipalities ORDER BY code")]
    # Any database's hash of the demo password serves them all.
    pw_hash = first.query("SELECT password_hash FROM users WHERE email = 'kommune@demo.tilslutning.dk'")[0][0]
    kbh_demo = int(one(f"SELECT COUNT(*) FROM institutions WHERE municipality_code = '{KOEBENHAVN}'")[0])
    one("SELECT COUNT(*), MAX(value) FROM counters")
    counters = {name: int(value) for name, value in first.query("SELECT name, value FROM counters")}
    # Each database's demo chain ends elsewhere: the new rows are hashed per database.
    heads = [db.query("SELECT seq, hash FROM audit_head WHERE id = 1")[0] for db in targets_db]
    for db in targets_db:
        db.begin_load()

    # --- register
    institutions, targets = [], []  # targets: (number, municipality)
    g, school = 70000, 300000
    for code in municipalities:
        if code == KOEBENHAVN:
            schools = 50
            klynger = (KOEBENHAVN_SIZE - kbh_demo - schools) // 3
            schools = KOEBENHAVN_SIZE - kbh_demo - 3 * klynger
        else:
            klynger, schools = 25, 21
        for k in range(klynger):
            owner = rnd.choices(["1", "2", "3", "4"], [75, 15, 8, 2])[0]
            klynge = f"G{g}"; g += 1
            institutions.append((klynge, f"Daginstitution {code}-{k}", "daginstitution", None, "107", owner, code, "active"))
            for u in range(2):
                unit = f"G{g}"; g += 1
                institutions.append((unit, f"Enhed {code}-{k}-{u}", "anvisningsenhed", klynge,
                                     rnd.choice(["101", "102", "103"]), owner, code, "active"))
                targets.append((unit, code))
        for s in range(schools):
            number = f"{school}"; school += 1
            institutions.append((number, f"Skole {code}-{s}", "skole", None, "1012", "1", code, "active"))
            targets.append((number, code))
    klynge_of = {row[0]: row[3] for row in institutions}  # number -> its klynge, or None
    services, suppliers = [], []  # services: (id, supplier)
    for s in range(100):
        supplier = f"bench-supplier-{s}"
        suppliers.append((supplier, f"Leverandør {s} A/S", f"{50000000 + s}", True, ts(now)))
        for v in range(2):
            services.append((f"bench-service-{s}-{v}", supplier))
    # The suppliers' filer, and one officer per municipality.
    filer = str(uuid.UUID(int=rnd.getrandbits(128)))
    users = [(filer, "filer@bench.example", "Leverandør Benchmark", pw_hash, "da", "active", ts(now))]
    roles = [(str(uuid.UUID(int=rnd.getrandbits(128))), filer, "supplier_admin", None, services[0][1], ts(now))]
    officers = {}
    for code in municipalities:
        uid = str(uuid.UUID(int=rnd.getrandbits(128)))
        officers[code] = uid
        users.append((uid, f"officer{code}@bench.example", f"Sagsbehandler {code}", pw_hash, "da", "active", ts(now)))
        roles.append((str(uuid.UUID(int=rnd.getrandbits(128))), uid, "municipal_officer", code, None, ts(now)))
    for db in targets_db:
        db.rows("institutions", ["number", "name", "level", "parent_number", "inst_type_code", "ownership_code",
                                 "municipality_code", "status"], institutions)
        db.rows("suppliers", ["id", "name", "cvr", "verified", "created_at"], suppliers)
        db.rows("services", ["id", "supplier_id", "name", "description", "status", "created_at"],
                [(sid, sup, f"Tjeneste {sid[14:]}", "Benchmark", "active", ts(now)) for sid, sup in services])
        db.rows("users", ["id", "email", "display_name", "password_hash", "language", "status", "created_at"], users)
        db.rows("role_assignments", ["id", "user_id", "role", "municipality_code", "supplier_id", "created_at"], roles)
    print(f"register: {len(institutions)} institutions ({KOEBENHAVN_SIZE} in København with the demo ones), "
          f"{len(services)} services, {len(users)} officers ({time.time() - t0:.0f}s)", flush=True)

    # --- requests in time order, each on its own (service, institution) pair
    n_requests = args.requests
    pairs = rnd.sample(range(len(services) * len(targets)), n_requests)
    step = (now - start).total_seconds() / n_requests
    recent = now - timedelta(days=60)
    next_value = {}

    def next_ref(prefix, year):
        name = f"{prefix}-{year}"
        value = next_value.get(name, counters.get(name, 0)) + 1
        next_value[name] = value
        return f"{prefix}-{year}-{value:06d}"

    audit = []  # (event time, request id, action, number, supplier, details, actor, role, municipality)
    stats = {}
    n_agreements = 0

    def generate():
        nonlocal n_agreements
        for i, pair in enumerate(pairs):
            service, supplier = services[pair % len(services)]
            number, code = targets[pair // len(services)]
            filed = start + timedelta(seconds=i * step + rnd.random() * step)
            rid = str(uuid.UUID(int=rnd.getrandbits(128)))
            if filed > recent and rnd.random() < 0.9:
                status = "pending"
            else:
                status = rnd.choices(["approved", "rejected", "withdrawn", "lapsed"], [74, 14, 8, 4])[0]
            stats[status] = stats.get(status, 0) + 1
            decided = None
            if status != "pending":
                decided = filed + timedelta(seconds=rnd.randrange(3600, 10 * 86400))
                if decided > now:
                    decided = filed + (now - filed) / 2
            reference = next_ref("DA", filed.year)
            decided_at = ts(decided) if decided else None
            scopes = rnd.sample(SCOPES, 3)
            decider, role = {
                "pending": (None, None), "approved": (officers[code], "municipal_officer"),
                "rejected": (officers[code], "municipal_officer"), "withdrawn": (filer, "supplier_admin"),
                "lapsed": (None, None)}[status]
            req = (rid, reference, rid, service, number, "new", "Benchmark", filed.date().isoformat(), status,
                   filer, ts(filed), decider, role, decided_at,
                   "Ikke relevant for institutionen" if status == "rejected" else None, code,
                   klynge_of.get(number) or "")
            rs = [(rid, s, None if status in ("pending", "withdrawn", "lapsed") else status == "approved")
                  for s in scopes]
            ag, ags, aref = None, [], None
            if status == "approved":
                aid = str(uuid.UUID(int=rnd.getrandbits(128)))
                aref = next_ref("AF", decided.year)
                astatus = rnd.choices(["active", "suspended", "revoked", "terminated", "ended"], [88, 2, 4, 4, 2])[0]
                closed = None if astatus in ("active", "suspended") else \
                    ts(min(now, decided + timedelta(days=rnd.randrange(1, 300))))
                ag = (aid, aref, rid, service, number, astatus, filed.date().isoformat(), decider, "municipal_officer",
                      decided_at, closed, decider if closed else None, "Benchmark" if astatus == "revoked" else None,
                      code)
                ags = [(aid, s, rid, decided_at) for s in scopes]
                n_agreements += 1
            details = {"reference": reference, "scopes": sorted(scopes)}
            if aref:
                details["agreement"] = aref
            actor, arole = (filer, "supplier_admin") if status == "pending" else (decider, role)
            audit.append((decided or filed, rid, "request." + ("filed" if status == "pending" else status), number,
                          supplier, json.dumps(details, separators=(",", ":"), sort_keys=True), actor, arole, code))
            yield req, rs, ag, ags

    for chunk in chunks(generate()):
        requests = [c[0] for c in chunk]
        scopes = [r for c in chunk for r in c[1]]
        agreements = [c[2] for c in chunk if c[2]]
        agreement_scopes = [r for c in chunk for r in c[3]]
        for db in targets_db:
            db.rows("requests", ["id", "reference", "batch_id", "service_id", "institution_number", "kind",
                                 "purpose", "wished_start", "status", "filed_by", "filed_at", "decided_by",
                                 "decided_role", "decided_at", "decision_reason", "municipality_code",
                                 "klynge_number"], requests)
            db.rows("request_scopes", ["request_id", "scope_code", "granted"], scopes)
            db.rows("agreements", ["id", "reference", "request_id", "service_id", "institution_number", "status",
                                   "starts_on", "approved_by", "approved_role", "created_at", "closed_at",
                                   "closed_by", "close_reason", "municipality_code"], agreements)
            db.rows("agreement_scopes", ["agreement_id", "scope_code", "request_id", "granted_at"],
                    agreement_scopes)
    print(f"requests: {n_requests} {stats}, agreements {n_agreements} ({time.time() - t0:.0f}s)", flush=True)

    # --- audit rows in event order, chained like src/db/audit/chain.rs, per database
    audit.sort(key=lambda a: a[0])
    ids = [str(uuid.UUID(int=rnd.getrandbits(128))) for _ in audit]
    ends = []
    for db, (head_seq, head_hash) in zip(targets_db, heads):
        seq, prev = int(head_seq), head_hash

        def audit_rows():
            nonlocal seq, prev
            for aid, (event, rid, action, number, supplier, details, actor, arole, code) in zip(ids, audit):
                seq += 1
                content = [seq, aid, ts_hash(event), actor, arole, None, action, "request", rid, number, supplier,
                           details, None, None]
                h = hashlib.sha256((prev + "\n" + json.dumps(content, separators=(",", ":"), ensure_ascii=False))
                                   .encode()).hexdigest()
                yield (seq, aid, ts(event), actor, arole, None, action, "request", rid, number, supplier, details,
                       None, None, prev, h, code)
                prev = h

        for chunk in chunks(audit_rows()):
            db.rows("audit_log", ["seq", "id", "occurred_at", "actor_user_id", "actor_role", "delegation", "action",
                                  "target_type", "target_id", "institution_number", "supplier_id", "details",
                                  "client_addr", "request_id", "prev_hash", "hash", "municipality_code"], chunk)
        ends.append((seq, prev))
    print(f"audit: {len(audit)} rows ({time.time() - t0:.0f}s)", flush=True)
    audit.clear()

    # --- mail history: sent mails and their processed events
    def mail_rows():
        for i in range(args.mail_history):
            at = start + timedelta(seconds=i * (now - start).total_seconds() / max(args.mail_history, 1))
            event = str(uuid.UUID(int=rnd.getrandbits(128)))
            message = str(uuid.UUID(int=rnd.getrandbits(128)))
            code = municipalities[i % len(municipalities)]
            yield ((event, ts(at), "request.decided", "{}", ts(at + timedelta(seconds=2))),
                   (message, event, f"officer{code}@bench.example", "da", "Anmodning afgjort", "Benchmark",
                    "<p>Benchmark</p>", "sent", 1, ts(at), None, ts(at), ts(at + timedelta(seconds=3)), None))

    for chunk in chunks(mail_rows()):
        for db in targets_db:
            db.rows("outbox", ["id", "created_at", "topic", "payload", "processed_at"], [c[0] for c in chunk])
            db.rows("mail_messages", ["id", "event_id", "recipient", "language", "subject", "text_body",
                                      "html_body", "status", "attempts", "next_attempt_at", "claimed_until",
                                      "created_at", "sent_at", "last_error"], [c[1] for c in chunk])
    if args.mail_history:
        print(f"mail history: {args.mail_history} sent mails ({time.time() - t0:.0f}s)", flush=True)

    for db, (seq, prev) in zip(targets_db, ends):
        db.execute(f"UPDATE audit_head SET seq = {seq}, hash = {pg_literal(prev)} WHERE id = 1")
        for name, value in next_value.items():
            if name in counters:
                db.execute(f"UPDATE counters SET value = {value} WHERE name = {pg_literal(name)}")
            else:
                db.execute(f"INSERT INTO counters (name, value) VALUES ({pg_literal(name)}, {value})")
        db.end_load()
    print(f"indexes rebuilt ({time.time() - t0:.0f}s)", flush=True)
    for db in targets_db:
        db.finish()
        print(f"{db.name}: done ({time.time() - t0:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
