#!/usr/bin/env python3
"""Fills a Tilslutning SQLite database (already migrated, with the demo data loaded) with a
national-scale register and request history, for benchmarks:

  98 municipalities, ~2,550 klynger with ~5,100 anvisningsenheder, ~1,960 schools,
  40 services of 20 suppliers, ~20 requests per institution (~140,000 requests:
  70 % approved with an agreement, 15 % pending, 10 % rejected, 5 % withdrawn),
  three scopes each.

Deterministic (fixed seed). Usage: seed_national.py PATH/TO/tilslutning.db
"""
import random
import sqlite3
import sys
import uuid
from datetime import datetime, timedelta

SCOPES = ["STAMDATA", "MEDARBEJDERE", "BOERN", "FORAELDRE", "GRUPPER", "UNILOGIN", "INDMELDELSER", "OEKONOMI"]


def main(path: str) -> None:
    rnd = random.Random(2026)
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous = OFF")
    now = datetime(2026, 11, 1, 12, 0, 0)
    ts = lambda d: d.strftime("%Y-%m-%d %H:%M:%S.%f")
    municipalities = [r[0] for r in db.execute("SELECT code FROM municipalities ORDER BY code")]
    officer = db.execute("SELECT id FROM users WHERE email = 'kommune@demo.tilslutning.dk'").fetchone()[0]
    filer = db.execute("SELECT id FROM users WHERE email = 'leverandoer@demo.tilslutning.dk'").fetchone()[0]

    institutions, targets = [], []
    g, school = 70000, 300000
    for code in municipalities:
        for k in range(26):
            owner = rnd.choices(["1", "2", "3", "4"], [75, 15, 8, 2])[0]
            klynge = f"G{g}"; g += 1
            institutions.append((klynge, f"Daginstitution {code}-{k}", "daginstitution", None, "107", owner, code, "active"))
            for u in range(2):
                unit = f"G{g}"; g += 1
                institutions.append((unit, f"Enhed {code}-{k}-{u}", "anvisningsenhed", klynge, rnd.choice(["101", "102", "103"]), owner, code, "active"))
                targets.append(unit)
        for s in range(20):
            number = f"{school}"; school += 1
            institutions.append((number, f"Skole {code}-{s}", "skole", None, "1012", "1", code, "active"))
            targets.append(number)
    db.executemany(
        "INSERT INTO institutions (number, name, level, parent_number, inst_type_code, ownership_code, municipality_code, status) VALUES (?,?,?,?,?,?,?,?)",
        institutions,
    )

    services = []
    for s in range(20):
        supplier = f"bench-supplier-{s}"
        db.execute("INSERT INTO suppliers VALUES (?,?,?,?,?)", (supplier, f"Leverandør {s} A/S", f"{50000000 + s}", True, ts(now)))
        for v in range(2):
            service = f"bench-service-{s}-{v}"
            db.execute(
                "INSERT INTO services (id, supplier_id, name, description, status, created_at) VALUES (?,?,?,?,?,?)",
                (service, supplier, f"Tjeneste {s}.{v}", "Benchmark", "active", ts(now)),
            )
            services.append(service)

    requests, request_scopes, agreements, agreement_scopes = [], [], [], []
    counter = 0
    for number in targets:
        for service in rnd.sample(services, 20):
            counter += 1
            rid = str(uuid.UUID(int=rnd.getrandbits(128)))
            filed = now - timedelta(minutes=rnd.randrange(0, 500_000))
            status = rnd.choices(["approved", "pending", "rejected", "withdrawn"], [70, 15, 10, 5])[0]
            decided = None if status == "pending" else ts(filed + timedelta(days=2))
            scopes = rnd.sample(SCOPES, 3)
            requests.append((rid, f"DA-2025-{counter:06d}", rid, service, number, "new", "Benchmark", filed.date().isoformat(),
                             status, filer, ts(filed), None if status == "pending" else officer, decided))
            for scope in scopes:
                request_scopes.append((rid, scope, None if status == "pending" else status == "approved"))
            if status == "approved":
                aid = str(uuid.UUID(int=rnd.getrandbits(128)))
                agreements.append((aid, f"AF-2025-{len(agreements) + 1:06d}", rid, service, number, "active",
                                   filed.date().isoformat(), officer, "municipal_officer", decided))
                for scope in scopes:
                    agreement_scopes.append((aid, scope, rid, decided))
    db.executemany(
        "INSERT INTO requests (id, reference, batch_id, service_id, institution_number, kind, purpose, wished_start, status, filed_by, filed_at, decided_by, decided_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        requests,
    )
    db.executemany("INSERT INTO request_scopes VALUES (?,?,?)", request_scopes)
    db.executemany(
        "INSERT INTO agreements (id, reference, request_id, service_id, institution_number, status, starts_on, approved_by, approved_role, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        agreements,
    )
    db.executemany("INSERT INTO agreement_scopes VALUES (?,?,?,?)", agreement_scopes)
    db.commit()
    db.execute("ANALYZE")
    print(f"institutions {len(institutions)}, requests {len(requests)}, agreements {len(agreements)}, "
          f"scope rows {len(request_scopes) + len(agreement_scopes)}")


if __name__ == "__main__":
    main(sys.argv[1])
