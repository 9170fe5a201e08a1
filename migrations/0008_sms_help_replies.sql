-- Herald workspace schema, part 8: answers to SMS HELP / INFO replies
-- (docs/sms.md, "HELP replies").
--
-- One row per inbound `sms_inbound` relay event that asked for help, written
-- BEFORE the answer is handed to the provider, like the send ledger's
-- `sending` row: a row that exists means "never send this answer again".
-- A crash between the row and the send leaves it `sending`; the next run
-- turns it `in_doubt` (maybe answered, maybe not) and leaves it alone, so a
-- sender is never answered twice.
CREATE TABLE sms_help_replies (
    -- The relay event (an SMS reply saying HELP or INFO) this answers.
    event_id            BLOB PRIMARY KEY NOT NULL
                        REFERENCES relay_events (id) ON DELETE CASCADE,
    -- Where the answer goes: the sender's E.164 number (NULL when the
    -- event named no valid number, which is then skipped).
    number              TEXT,
    -- sending:  handed to the provider, outcome not recorded yet;
    -- sent:     the provider took it (provider_message_id);
    -- failed:   the provider refused it (error); not retried;
    -- in_doubt: Herald stopped mid-send, or the provider never answered;
    -- skipped:  not answered on purpose (error says why: too old, empty
    --           help text, no valid number).
    status              TEXT NOT NULL
                        CHECK (status IN ('sending', 'sent', 'failed', 'in_doubt', 'skipped')),
    provider_message_id TEXT,
    error               TEXT,
    -- ms since the epoch, UTC.
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
) STRICT;
