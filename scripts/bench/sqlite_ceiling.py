#!/usr/bin/env python3
"""How fast can SQLite itself insert contacts with Herald's schema?

A baseline for `herald bench import`: rows go straight from Python's sqlite3
`executemany` into a fresh WAL workspace with migrations/0001_contacts.sql,
in one transaction, with no parsing or validation at all. Run twice: with the
schema as it is, and without the six secondary indexes on contacts.

    python3 scripts/bench/sqlite_ceiling.py [ROWS]
"""
import os
import random
import sqlite3
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = open(os.path.join(ROOT, "migrations", "0001_contacts.sql")).read()
SECONDARY = ["contacts_country", "contacts_created_at", "contacts_last_interaction_at",
             "contacts_revenue", "contacts_email_status", "contacts_sms_status"]


def rows(n):
    rnd = random.Random(1)
    now = 1_700_000_000_000
    phones = set()
    for i in range(n):
        phone = None
        if i % 3:
            phone = f"+1415{rnd.randrange(10**7):07d}"
            if phone in phones:
                phone = None
            else:
                phones.add(phone)
        # Sequential ids, as UUID v7s minted during an import are.
        yield (i.to_bytes(16, "big"), "First", "Last", f"user{i}@example.com", phone, "Acme",
               "Austin", "TX", rnd.choice(["US", "GB", "DE", "FR"]), now - rnd.randrange(10**11),
               now, rnd.randrange(10**7), "USD", '{"plan":"pro","nps":7}', "subscribed", "subscribed")


def run(n, drop_secondary):
    with tempfile.TemporaryDirectory() as d:
        db = sqlite3.connect(os.path.join(d, "w.sqlite3"), isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(SCHEMA)
        if drop_secondary:
            for name in SECONDARY:
                db.execute(f"DROP INDEX {name}")
        data = list(rows(n))
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO contacts (id, first_name, last_name, email, phone, company, city, region,"
            " country, created_at, updated_at, revenue_minor, revenue_currency, custom,"
            " email_status, sms_status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", data)
        db.execute("COMMIT")
        return n / (time.perf_counter() - started)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"SQLite {sqlite3.sqlite_version}, {n} rows")
    print(f"schema as it is:          {run(n, False):,.0f} rows/s")
    print(f"without secondary indexes: {run(n, True):,.0f} rows/s")
