-- Herald workspace schema, part 1: contacts and everything hanging off them.
--
-- Conventions (see docs/architecture.md):
--   * ids are UUID v7 stored as 16-byte BLOBs (time-ordered, compact index keys);
--   * instants are INTEGER milliseconds since the Unix epoch, UTC: they sort and
--     compare as numbers, which the segment compiler relies on;
--   * optional text is NULL when absent, never '' (the store normalises);
--   * money is integer minor units plus an ISO 4217 code: no floats, ever.

-- One row. `data_generation` is bumped by every write that affects contacts,
-- their tags, interactions or projects; cached segment counts remember the
-- generation they were computed at and are stale once it moves.
CREATE TABLE workspace_meta (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    data_generation INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO workspace_meta (id, data_generation) VALUES (1, 0);

-- Non-secret workspace settings as JSON values. Secrets live in the OS keychain.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;
INSERT INTO settings (key, value) VALUES
    ('workspace_name', '"My workspace"'),
    ('default_region', 'null'),
    ('default_currency', '"USD"'),
    ('time_zone', '"UTC"');

CREATE TABLE contacts (
    id                   BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    first_name           TEXT,
    last_name            TEXT,
    -- Normalised to lower case by herald-core's EmailAddress: the unique index
    -- is therefore case-insensitive identity.
    email                TEXT UNIQUE CHECK (email IS NULL OR email = lower(email)),
    phone                TEXT UNIQUE CHECK (phone IS NULL OR phone GLOB '+[1-9]*'),
    company              TEXT,
    city                 TEXT,
    region               TEXT,
    country              TEXT CHECK (country IS NULL OR (length(country) = 2 AND country = upper(country))),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    -- Kept equal to MAX(interactions.occurred_at) by the interactions module.
    last_interaction_at  INTEGER,
    revenue_minor        INTEGER NOT NULL DEFAULT 0,
    revenue_currency     TEXT NOT NULL DEFAULT 'USD' CHECK (length(revenue_currency) = 3),
    custom               TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom) AND json_type(custom) = 'object'),
    email_status         TEXT NOT NULL DEFAULT 'subscribed'
                         CHECK (email_status IN ('subscribed', 'unsubscribed', 'bounced', 'complained')),
    sms_status           TEXT NOT NULL DEFAULT 'subscribed'
                         CHECK (sms_status IN ('subscribed', 'opted_out', 'invalid')),
    email_consent_at     INTEGER,
    email_consent_source TEXT,
    email_consent_method TEXT,
    sms_consent_at       INTEGER,
    sms_consent_source   TEXT,
    sms_consent_method   TEXT,
    -- A contact is reachable somehow: phone-only contacts are fine.
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
) STRICT;

-- Indexes the segment filters and the contact list need.
CREATE INDEX contacts_country ON contacts (country);
CREATE INDEX contacts_created_at ON contacts (created_at);
CREATE INDEX contacts_last_interaction_at ON contacts (last_interaction_at);
CREATE INDEX contacts_revenue ON contacts (revenue_minor);
CREATE INDEX contacts_email_status ON contacts (email_status);
CREATE INDEX contacts_sms_status ON contacts (sms_status);

CREATE TABLE tags (
    id         BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE contact_tags (
    contact_id BLOB NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    tag_id     BLOB NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) STRICT, WITHOUT ROWID;
-- "contacts with tag X" walks this index instead of the whole join table.
CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id, contact_id);

CREATE TABLE interactions (
    id          BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    contact_id  BLOB NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    summary     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX interactions_by_contact ON interactions (contact_id, occurred_at);

-- The user-editable list of project statuses, in display order.
CREATE TABLE project_statuses (
    name     TEXT PRIMARY KEY NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
    position INTEGER NOT NULL
) STRICT;
INSERT INTO project_statuses (name, position) VALUES
    ('lead', 0), ('active', 1), ('on_hold', 2), ('won', 3), ('lost', 4);

CREATE TABLE projects (
    id             BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    contact_id     BLOB NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
    status         TEXT NOT NULL REFERENCES project_statuses (name) ON UPDATE CASCADE,
    value_minor    INTEGER NOT NULL DEFAULT 0,
    value_currency TEXT NOT NULL DEFAULT 'USD' CHECK (length(value_currency) = 3),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX projects_by_contact ON projects (contact_id);
-- project_status filters look up contacts by status.
CREATE INDEX projects_by_status ON projects (status, contact_id);

-- Append-only consent ledger: one row per subscription status change or
-- consent grant, per channel. Rows are never updated; they go only when their
-- contact is erased.
CREATE TABLE consent_events (
    id           BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    contact_id   BLOB NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    action       TEXT NOT NULL CHECK (action IN ('granted', 'withdrawn')),
    -- The subscription status the contact has after this event.
    status       TEXT NOT NULL,
    source       TEXT NOT NULL,
    method       TEXT NOT NULL,
    text_version TEXT,
    ip           TEXT,
    user_agent   TEXT,
    at           INTEGER NOT NULL
) STRICT;
CREATE INDEX consent_events_by_contact ON consent_events (contact_id, at);

CREATE TRIGGER consent_events_are_append_only
BEFORE UPDATE ON consent_events
BEGIN
    SELECT RAISE(ABORT, 'consent_events is append-only');
END;
