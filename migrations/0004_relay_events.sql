-- Herald workspace schema, part 4: the events pulled from the relay.
--
-- One row per relay event (docs/relay.md, "Events the relay hands out"),
-- whatever it did to a contact: opens and clicks for campaign analytics,
-- unsubscribes, bounces, complaints and SMS replies for the record. The
-- relay's event id is the primary key, so applying the same event twice
-- (a page pulled again after a crash before its cursor was saved) finds the
-- row and changes nothing. The IP address and user agent of a hit are not
-- kept here; a consent change keeps them in its consent_events row.
CREATE TABLE relay_events (
    -- The relay's event id (UUID v7).
    id                  BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    kind                TEXT NOT NULL,
    -- When the relay accepted the hit (ms since the epoch, UTC).
    at                  INTEGER NOT NULL,
    campaign_id         BLOB CHECK (campaign_id IS NULL OR length(campaign_id) = 16),
    -- The token's recipient id, or the contact found by the reported address.
    -- No foreign key: a contact may be deleted, or unknown to this workspace.
    contact_id          BLOB CHECK (contact_id IS NULL OR length(contact_id) = 16),
    channel             TEXT CHECK (channel IS NULL OR channel IN ('email', 'sms')),
    -- A privacy proxy's open or a link scanner's click.
    machine             INTEGER NOT NULL DEFAULT 0 CHECK (machine IN (0, 1)),
    url                 TEXT,
    provider            TEXT,
    provider_event_id   TEXT,
    provider_message_id TEXT,
    address             TEXT,
    detail              TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
    -- When this workspace applied it.
    applied_at          INTEGER NOT NULL
) STRICT;

-- Campaign reports: one campaign's opens, clicks, bounces... over time.
CREATE INDEX relay_events_by_campaign ON relay_events (campaign_id, kind, at);
-- Workspace-wide activity by kind ("unsubscribes this week").
CREATE INDEX relay_events_by_kind ON relay_events (kind, at);
-- A contact's timeline of opens and clicks.
CREATE INDEX relay_events_by_contact ON relay_events (contact_id, at);
