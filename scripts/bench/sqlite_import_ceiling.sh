#!/usr/bin/env bash
# How long SQLite alone needs to store what `herald bench import --rows N`
# stores, with no importer at all: the rows are already parsed, validated and
# merged (they are read from the workspace the import made), and one
# transaction copies them into a fresh workspace built from migrations/ and
# builds its indexes, the way the import's bulk-load mode does. Whatever an
# importer does besides (reading the CSV, validating, binding values, looking
# up existing contacts) comes on top of these figures.
#
#   scripts/bench/sqlite_import_ceiling.sh [ROWS] [CACHE_KIB]
#
# Two layouts, each timed (wall clock of the one transaction, WAL with
# synchronous = FULL, as Herald's workspaces are):
#   as-is   the schema of migrations/: UNIQUE email and phone in the column
#           definitions, so they are kept while the rows go in; the secondary
#           indexes are dropped first and built again inside the transaction.
#   unique-after
#           the same table without the two inline UNIQUE constraints; every
#           index, the two unique ones included, is built after the rows.
#
# Needs the release `herald` binary (make bench builds it), the sqlite3
# command-line shell for the setup, and a C compiler: the timed part runs on
# Herald's own SQLite, built once (scripts/bench/sqlite_exec.c with
# libsqlite3-sys's sources). Figures are in docs/benchmarks.md ("SQLite
# alone, with the import's own rows").
set -euo pipefail

rows=${1:-1000000}
cache_kib=${2:-8192}
here=$(cd "$(dirname "$0")/../.." && pwd)
herald=${HERALD:-${CARGO_TARGET_DIR:-$here/target}/release/herald}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt install sqlite3)" >&2; exit 1; }
[ -x "$herald" ] || { echo "no release herald at $herald: run make bench first" >&2; exit 1; }

# The timed transaction runs on the SQLite Herald bundles, not the system's
# (scripts/bench/herald_sqlite.sh); the shell only sets the workspaces up.
exec_tool=$("$here/scripts/bench/herald_sqlite.sh")

echo "importing $rows generated rows to get parsed contacts..."
"$herald" bench import --rows "$rows" --keep "$work" | grep -E "import:|imported"
source_db=$work/bench-import.sqlite3
tables="'contacts','contact_tags','consent_events'"

run() {
    local layout=$1 db=$work/$1.sqlite3
    for migration in "$here"/migrations/*.sql; do echo ".read $migration"; done | sqlite3 "$db"
    # Every index on the import's tables, as the migrations define it.
    local create drop unique=""
    create=$(sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ($tables)")
    drop=$(sqlite3 "$db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ($tables)")
    if [ "$layout" = unique-after ]; then
        local table
        table=$(sqlite3 "$db" "SELECT sql FROM sqlite_master WHERE name = 'contacts'" |
            sed 's/ UNIQUE / /g; s/CREATE TABLE contacts/CREATE TABLE contacts_rebuilt/')
        # Dropping the table drops its indexes too; the ones on other tables stay.
        sqlite3 "$db" "$table; DROP TABLE contacts; ALTER TABLE contacts_rebuilt RENAME TO contacts;"
        drop=$(sqlite3 "$db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ($tables)")
        unique="CREATE UNIQUE INDEX contacts_email_unique ON contacts (email);
CREATE UNIQUE INDEX contacts_phone_unique ON contacts (phone);"
    fi
    local started ended
    started=$(date +%s.%N)
    "$exec_tool" "$db" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -$cache_kib;
ATTACH '$source_db' AS source;
$drop
BEGIN IMMEDIATE;
INSERT INTO main.tags SELECT * FROM source.tags;
INSERT INTO main.contacts SELECT * FROM source.contacts ORDER BY rowid;
INSERT INTO main.contact_tags SELECT * FROM source.contact_tags;
INSERT INTO main.consent_events SELECT * FROM source.consent_events ORDER BY rowid;
$unique
$create
COMMIT;
SQL
    ended=$(date +%s.%N)
    local contacts
    contacts=$(sqlite3 "$db" "SELECT count(*) FROM contacts")
    python3 -c "import sys; s = $ended - $started; print(f'{sys.argv[1]:>12}: {int(sys.argv[2]):,} contacts in {s:.2f} s = {int(sys.argv[3]) / s:,.0f} CSV rows/s (page cache {int(sys.argv[4]) // 1024} MiB)')" \
        "$layout" "$contacts" "$rows" "$cache_kib"
    rm -f "$db" "$db-wal" "$db-shm"
}

run as-is
run unique-after
