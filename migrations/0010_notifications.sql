-- Herald workspace schema, part 10: notifications (docs/notifications.md).
--
-- What the bell lists: one row per event worth telling the person about
-- (a campaign finished or failed, messages in doubt after a crash, a
-- complaint or bounce rate over its line, the relay unreachable, an import
-- finished). Every writer inserts with ON CONFLICT (dedupe_key) DO NOTHING,
-- so an event found again (each start and each sync look at the whole
-- workspace) is stored, and shown, once.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    -- campaign_completed | campaign_failed | in_doubt | complaint_rate |
    -- relay_unreachable | import_finished
    kind        TEXT NOT NULL CHECK (kind IN ('campaign_completed', 'campaign_failed', 'in_doubt',
                                              'complaint_rate', 'relay_unreachable', 'import_finished')),
    -- The campaign a click opens; a deleted campaign leaves its notices.
    campaign_id BLOB REFERENCES campaigns (id) ON DELETE SET NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- How it was delivered: 'os' (also a native notification) or 'in_app'.
    delivery    TEXT NOT NULL CHECK (delivery IN ('os', 'in_app')),
    -- ms since the epoch, UTC.
    created_at  INTEGER NOT NULL,
    read_at     INTEGER,
    -- Names the event, e.g. 'completed:<campaign>:<finished_at>'.
    dedupe_key  TEXT NOT NULL UNIQUE
) STRICT;
-- The bell: newest first, and the unread count.
CREATE INDEX notifications_by_created ON notifications (created_at DESC);
CREATE INDEX notifications_unread ON notifications (read_at) WHERE read_at IS NULL;
