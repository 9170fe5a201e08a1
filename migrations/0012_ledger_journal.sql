-- Herald workspace schema, part 12: the send ledger's journal
-- (docs/email.md, "The ledger's journal").
--
-- While a campaign sends, its claims (`sending`) and acceptances (`sent`)
-- are appended here, in the order they commit, instead of updating
-- `campaign_recipients` row by row: an append touches the end of one
-- B-tree, where an update rewrites the row, its status index entry and,
-- for an acceptance, the provider-id index, on pages scattered over the
-- table. The send ledger writer folds the journal into
-- `campaign_recipients` (one UPDATE per row for the claim and the
-- acceptance together, then DELETE) within a fraction of a second, before
-- any other kind of mark, and whenever the engine reads the ledger for its
-- next batch. Whoever else reads a row's send state to act on it (crash
-- recovery, the relay events' apply path, opening a workspace) folds it
-- first (herald_store::ledger::journal::fold).
--
-- Rows here are durable marks like any other: a crash leaves them to the
-- next fold, which runs before `sending` rows are put in doubt.
CREATE TABLE ledger_journal (
    seq         INTEGER PRIMARY KEY,
    campaign_id BLOB NOT NULL,
    contact_id  BLOB NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sending', 'sent')),
    -- When the mark was made, in ms since the epoch.
    at          INTEGER NOT NULL,
    -- A claim's message id (the email's Message-ID); an acceptance's
    -- provider message id (an SMTP queue id, a provider's message id), or
    -- NULL when it named none.
    id_text     TEXT,
    -- An acceptance's SMS parts, when the provider told them.
    parts       INTEGER
) STRICT;
