#!/usr/bin/env python3
"""What SQLite alone costs the relay per stored hit, by group-commit size.

Builds the relay's SQLite store from crates/relay/migrations/sqlite (WAL,
synchronous = FULL, as the relay opens it), then has Herald's own SQLite
(scripts/bench/herald_sqlite.sh builds a runner for it) commit EVENTS open
events in transactions of BATCH rows each: one multi-row
INSERT ... ON CONFLICT DO NOTHING and COMMIT per batch, as the relay's writer
does, with ids in time order as UUID v7s are. No HTTP, no token, no driver:
the time is SQLite's (and the shell generating the rows, a small part).

    python3 scripts/bench/relay_sqlite_ceiling.py [EVENTS] [BATCH ...]

Figures are in docs/benchmarks.md (Relay, "Where the ratio goes").
"""

import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
MIGRATIONS = sorted((ROOT / "crates/relay/migrations/sqlite").glob("*.sql"))

COLUMNS = (
    "id, received_ms, kind, at, campaign_id, recipient_id, channel, machine, url, ip, "
    "user_agent, provider, provider_event_id, provider_message_id, address, detail"
)
# A Safari open, as the bench sends: the user agent is the longest value.
ROW = (
    "CAST(printf('%016d', v) AS BLOB), 1764460000000 + v / 40, 'open', "
    "'2026-11-30T01:20:00.123Z', x'0193a1b2c3d4e5f60718293a4b5c6d7e', "
    "CAST(printf('r%015d', v) AS BLOB), 'email', 0, NULL, '127.0.0.1', "
    "'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', "
    "NULL, NULL, NULL, NULL, '{}'"
)


def script(events: int, batch: int) -> str:
    parts = ["PRAGMA journal_mode = WAL;", "PRAGMA synchronous = FULL;"]
    parts += [path.read_text() for path in MIGRATIONS]
    for first in range(0, events, batch):
        last = min(first + batch, events) - 1
        parts.append(
            "BEGIN IMMEDIATE;\n"
            f"WITH RECURSIVE s(v) AS (SELECT {first} UNION ALL SELECT v + 1 FROM s WHERE v < {last})\n"
            f"INSERT INTO events ({COLUMNS}) SELECT {ROW} FROM s WHERE true ON CONFLICT DO NOTHING;\n"
            "COMMIT;"
        )
    return "\n".join(parts) + "\n"


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 256_000
    batches = [int(b) for b in sys.argv[2:]] or [16, 64, 256, 1024]
    runner = subprocess.run(
        [str(ROOT / "scripts/bench/herald_sqlite.sh")], check=True, capture_output=True
    ).stdout.decode().strip()
    print(f"SQLite alone, {events:,} events into the relay's store (WAL, synchronous = FULL)")
    for batch in batches:
        sql = script(events, batch)
        with tempfile.TemporaryDirectory() as work:
            db = os.path.join(work, "relay.sqlite3")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run([runner, db], input=sql.encode(), check=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            stored = subprocess.run(
                ["sqlite3", db, "SELECT count(*) FROM events"], check=True, capture_output=True
            ).stdout.decode().strip()
        assert int(stored) == events, f"stored {stored} of {events}"
        print(
            f"  batches of {batch:>5}: {wall:6.2f} s, {wall / events * 1e6:5.1f} µs a hit "
            f"({cpu / events * 1e6:5.1f} µs of CPU), {wall / (events / batch) * 1e3:6.2f} ms a commit"
        )


if __name__ == "__main__":
    main()
