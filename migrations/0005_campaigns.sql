-- Herald workspace schema, part 5: campaigns, their templates, attachments,
-- tracked links, and the send ledger (docs/campaigns.md).

-- Reusable starting points for a campaign's HTML. Built-in starters are
-- inserted by the store (not here) so that their HTML can be improved in a
-- later release; `builtin` rows cannot be edited or deleted.
CREATE TABLE campaign_templates (
    id         BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    html       TEXT NOT NULL,
    -- A small SVG picture of the layout, shown in the template picker.
    thumbnail  TEXT,
    builtin    INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE campaigns (
    id            BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled', 'failed')),
    -- The audience. A segment can be deleted after a campaign used it: the
    -- ledger keeps who was sent to, and `segment_name` what it was called.
    segment_id    BLOB REFERENCES segments (id) ON DELETE SET NULL,
    segment_name  TEXT,
    subject       TEXT NOT NULL DEFAULT '',
    preheader     TEXT,
    from_name     TEXT,
    from_address  TEXT,
    reply_to      TEXT,
    html          TEXT NOT NULL DEFAULT '',
    -- NULL: the plain-text alternative is generated from the HTML.
    text_body     TEXT,
    -- How the body is edited: 'rich' (the visual editor) or 'html' (raw).
    editor        TEXT NOT NULL DEFAULT 'rich' CHECK (editor IN ('rich', 'html')),
    template_id   BLOB REFERENCES campaign_templates (id) ON DELETE SET NULL,
    -- Opens and clicks are tracked only with a relay configured.
    tracking      INTEGER NOT NULL DEFAULT 1 CHECK (tracking IN (0, 1)),
    -- Messages per second for this campaign; NULL: the email settings' rate.
    rate          REAL CHECK (rate IS NULL OR (rate > 0 AND rate <= 1000)),
    scheduled_at  INTEGER,
    started_at    INTEGER,
    finished_at   INTEGER,
    -- When the segment was resolved into the ledger, and what was left out
    -- (JSON: {"unsubscribed": n, "bounced": n, ...}).
    resolved_at   INTEGER,
    exclusions    TEXT CHECK (exclusions IS NULL OR json_valid(exclusions)),
    -- Why a campaign failed as a whole (e.g. the SMTP login was refused).
    last_error    TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX campaigns_by_status ON campaigns (status, scheduled_at);
CREATE INDEX campaigns_by_created ON campaigns (created_at);

-- Full-text search over campaigns: name, subject and the body's text. The
-- store keeps it in step with `campaigns` (rowid = campaigns.rowid); the
-- body text is extracted from the HTML in Rust, so no trigger can do it.
CREATE VIRTUAL TABLE campaigns_fts USING fts5 (
    name, subject, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Files sent with every message of a campaign, stored in the workspace so
-- that a campaign is one self-contained record (5 MB each, 10 MB in all:
-- docs/campaigns.md).
CREATE TABLE campaign_attachments (
    id           BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    campaign_id  BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    filename     TEXT NOT NULL CHECK (length(trim(filename)) > 0),
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0 AND size <= 5242880 AND size = length(bytes)),
    bytes        BLOB NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX campaign_attachments_by_campaign ON campaign_attachments (campaign_id);

-- The distinct links of a campaign's body that are tracked, in order of
-- first appearance (click reports group by them).
CREATE TABLE campaign_links (
    campaign_id BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    url         TEXT NOT NULL,
    PRIMARY KEY (campaign_id, position)
) STRICT, WITHOUT ROWID;

-- The send ledger: one row per campaign x contact. A row moves
--   queued -> sending -> sent | failed | in_doubt
-- and `sending` is committed before any byte goes on the wire, so after a
-- crash every row that might have been sent is `sending`, which the engine
-- turns into `in_doubt` and never sends again by itself. `suppressed`: the
-- contact opted out (or bounced) after the ledger was resolved and before
-- its turn came.
CREATE TABLE campaign_recipients (
    campaign_id         BLOB NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    -- Erasing a contact erases its ledger rows too.
    contact_id          BLOB NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    -- The address (email or E.164 phone) as it was when the ledger was resolved.
    address             TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'in_doubt', 'suppressed')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    -- A transient failure's retry is not claimed before this instant.
    next_attempt_at     INTEGER NOT NULL DEFAULT 0,
    message_id          TEXT,
    provider_message_id TEXT,
    -- The server's or provider's last reply for a failure (or acceptance).
    error               TEXT,
    queued_at           INTEGER NOT NULL,
    sending_at          INTEGER,
    sent_at             INTEGER,
    failed_at           INTEGER,
    delivered_at        INTEGER,
    opened_at           INTEGER,
    clicked_at          INTEGER,
    bounced_at          INTEGER,
    complained_at       INTEGER,
    unsubscribed_at     INTEGER,
    PRIMARY KEY (campaign_id, contact_id)
) STRICT, WITHOUT ROWID;
-- Claiming the next batch (status = 'queued', due) and the progress counts.
CREATE INDEX campaign_recipients_by_status ON campaign_recipients (campaign_id, status, next_attempt_at);
-- A contact's timeline: the campaigns sent to them.
CREATE INDEX campaign_recipients_by_contact ON campaign_recipients (contact_id);
