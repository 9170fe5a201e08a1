-- The relay's event log (SQLite). `seq` is the order the desktop pulls in:
-- AUTOINCREMENT so that a pruned sequence number is never handed out again
-- (a reused number could sit below a cursor the desktop already holds).
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id BLOB NOT NULL UNIQUE,
    received_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    campaign_id BLOB,
    recipient_id BLOB,
    channel TEXT,
    machine INTEGER NOT NULL,
    url TEXT,
    ip TEXT,
    user_agent TEXT,
    provider TEXT,
    provider_event_id TEXT,
    provider_message_id TEXT,
    address TEXT,
    detail TEXT NOT NULL
);

-- Webhook idempotency: one event per provider event id. NULLs are
-- distinct, so token events (no provider) never collide.
CREATE UNIQUE INDEX events_provider_event ON events (provider, provider_event_id);
CREATE INDEX events_received ON events (received_ms);

-- Replay protection for providers that sign a one-time value (Mailgun's
-- token, ...): the same nonce with the same body is the provider retrying;
-- with another body it is a replay.
CREATE TABLE nonces (
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    body_sha256 BLOB NOT NULL,
    received_ms INTEGER NOT NULL,
    PRIMARY KEY (provider, nonce)
);
CREATE INDEX nonces_received ON nonces (received_ms);

-- What the desktop has acknowledged (one row).
CREATE TABLE relay_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    acked_seq INTEGER NOT NULL
);
INSERT INTO relay_state (id, acked_seq) VALUES (1, 0);
