-- Herald workspace schema, part 11: why a scheduled campaign could not
-- start (docs/email.md, "Scheduling").
--
-- When a due campaign cannot start (no SMTP settings, the relay refused
-- its web version, the segment is gone, the keychain is locked...), the
-- scheduler (the app's, or `herald campaigns run-due`) keeps the reason
-- here, at most one row per campaign, so the campaign page, the list and
-- the bell can say why a campaign is still "Scheduled" after its time.
-- The campaign stays scheduled; the scheduler tries again every few
-- minutes (herald_store::start_failures::RETRY_AFTER_MS).
CREATE TABLE campaign_start_failures (
    campaign_id BLOB PRIMARY KEY NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    -- What the person would see for a manual start: the error's kind
    -- ('validation', 'relay', 'keychain', ...) and its message. Errors
    -- never carry secrets; neither does this.
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL,
    -- When this failure (this kind and message) was first met, in ms since
    -- the epoch: a retry that fails the same way keeps it, so the failure
    -- is told once (notification key 'not_started:<campaign>:<failed_at>').
    failed_at   INTEGER NOT NULL,
    -- The latest attempt; the scheduler waits RETRY_AFTER_MS after it.
    tried_at    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Forgotten as soon as the person changes something that could be its
-- cause or its answer: the campaign starts or leaves `scheduled` (status),
-- is rescheduled (scheduled_at), or is edited. A trigger, so every writer
-- (the app, the CLI, a future command) clears it without having to know.
-- The run's own columns (started_at, last_error, resolved_at...) are not
-- listed: they change only with the status.
CREATE TRIGGER campaign_start_failures_cleared
AFTER UPDATE OF status, scheduled_at, channel, name, segment_id, subject, preheader,
    from_name, from_address, reply_to, html, text_body, editor, template_id, tracking,
    sms_opt_out, rate
ON campaigns
BEGIN
    DELETE FROM campaign_start_failures WHERE campaign_id = NEW.id;
END;
