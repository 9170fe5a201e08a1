-- How fast can SQLite itself put 1,000,000 contacts into Herald's table,
-- with no importer at all: no parsing, no binding, no lookups, just one
-- INSERT ... SELECT in SQLite's own VM, in one transaction, WAL with
-- synchronous = FULL, the six secondary indexes dropped (as the import's
-- bulk-load mode does) and the UNIQUE email and phone kept. Ids are
-- sequential (as UUID v7s minted during an import are), emails arrive in
-- scattered order, two rows in three have a phone.
--
--   rm -f /tmp/ceiling.db*; sqlite3 /tmp/ceiling.db < scripts/bench/sqlite_ceiling.sql
--
-- Prepend `PRAGMA cache_size=-65536;` for a 64 MiB page cache instead of
-- SQLite's default 8 MiB (Herald's connections use 8 MiB). Figures are in
-- docs/benchmarks.md ("Phone validation, and SQLite's own ceiling").
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
.read migrations/0001_contacts.sql
DROP INDEX contacts_country;
DROP INDEX contacts_created_at;
DROP INDEX contacts_last_interaction_at;
DROP INDEX contacts_revenue;
DROP INDEX contacts_email_status;
DROP INDEX contacts_sms_status;
.timer on
BEGIN;
WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 1000000)
INSERT INTO contacts (id, first_name, last_name, email, phone, company, city, region,
                      country, created_at, updated_at, revenue_minor, revenue_currency,
                      custom, email_status, sms_status)
SELECT CAST(printf('%016d', v) AS BLOB), 'First', 'Last',
       printf('user%d@example.com', (v * 7919) % 1000003),
       CASE WHEN v % 3 THEN '+1415' || printf('%07d', (v * 104729) % 10000000) END,
       'Acme', 'Austin', 'TX', 'US', 1700000000000 - v, 1700000000000, v % 100000, 'USD',
       '{"plan":"pro","nps":7}', 'subscribed', 'subscribed'
FROM s;
COMMIT;
