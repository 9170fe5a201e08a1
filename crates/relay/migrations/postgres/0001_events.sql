-- The relay's event log (PostgreSQL, shared by several relay instances).
-- Writers take a transaction-level advisory lock before inserting, so
-- sequence numbers become visible in commit order and a reader's cursor
-- never skips a row that commits later with a smaller number.
CREATE TABLE events (
    seq BIGSERIAL PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    received_ms BIGINT NOT NULL,
    kind TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    campaign_id UUID,
    recipient_id UUID,
    channel TEXT,
    machine BOOLEAN NOT NULL,
    url TEXT,
    ip TEXT,
    user_agent TEXT,
    provider TEXT,
    provider_event_id TEXT,
    provider_message_id TEXT,
    address TEXT,
    detail JSONB NOT NULL
);

-- Webhook idempotency: one event per provider event id (NULLs distinct).
CREATE UNIQUE INDEX events_provider_event ON events (provider, provider_event_id);
CREATE INDEX events_received ON events (received_ms);

-- Replay protection: same nonce and body = provider retry; other body = replay.
CREATE TABLE nonces (
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    body_sha256 BYTEA NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (provider, nonce)
);
CREATE INDEX nonces_received ON nonces (received_ms);

CREATE TABLE relay_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    acked_seq BIGINT NOT NULL
);
INSERT INTO relay_state (id, acked_seq) VALUES (1, 0);
