-- Herald workspace schema, part 9: campaign analytics rollups
-- (docs/analytics.md).
--
-- Kept up to date as relay events are applied, in the page's own
-- transaction (herald_store::analytics::rollup::record), so a page is
-- all-or-nothing and an event id applied twice changes nothing. Rebuilt
-- from relay_events and the send ledger by analytics::rebuild. Every
-- campaign widget reads these tables, never relay_events.

-- Events per campaign x metric x UTC hour. `uniques` counts the contacts
-- whose first event of that metric (in campaign_uniques) fell in the hour,
-- so the hours' uniques add up to the campaign's unique count.
CREATE TABLE campaign_hourly (
    campaign_id   BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    metric        TEXT NOT NULL,
    -- The hour's first instant (ms since the epoch, UTC).
    hour_start_ms INTEGER NOT NULL,
    total         INTEGER NOT NULL DEFAULT 0,
    uniques       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, metric, hour_start_ms)
) STRICT, WITHOUT ROWID;
-- The dashboard's last-30-days totals across campaigns.
CREATE INDEX campaign_hourly_by_metric ON campaign_hourly (metric, hour_start_ms, uniques);

-- Who did what, once per campaign x metric, and when first.
CREATE TABLE campaign_uniques (
    campaign_id BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    metric      TEXT NOT NULL,
    contact_id  BLOB NOT NULL,
    first_at    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, metric, contact_id)
) STRICT, WITHOUT ROWID;

-- Human clicks per tracked link (top links by unique clicks).
CREATE TABLE campaign_link_clicks (
    campaign_id BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    total       INTEGER NOT NULL DEFAULT 0,
    uniques     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, url)
) STRICT, WITHOUT ROWID;

-- Who clicked which link, once.
CREATE TABLE campaign_link_uniques (
    campaign_id BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    contact_id  BLOB NOT NULL,
    PRIMARY KEY (campaign_id, url, contact_id)
) STRICT, WITHOUT ROWID;

-- The dashboard's audience growth per week (subscribed minus unsubscribed).
CREATE INDEX consent_events_by_at ON consent_events (channel, at, action);
