//! The ledger's journal (`ledger_journal`, migration 0012): claims and
//! acceptances appended while a campaign sends, folded into
//! `campaign_recipients` in large batches.
//!
//! [`super::LedgerWriter`] appends a campaign's usual marks (a claim,
//! `queued -> sending`, and an acceptance, `sending -> sent`) here instead
//! of updating their rows: the commit every message waits for then writes
//! the end of one B-tree, where updating the rows rewrote each row, its
//! status index entry and, for an acceptance, the provider-id index, on
//! pages scattered over the table (docs/benchmarks.md, "The ledger's
//! journal"). [`fold`] applies the journal to the rows, one UPDATE per row
//! for its claim and acceptance together, and empties it.
//!
//! The rows are the truth once folded. Until then a reader of
//! `campaign_recipients` sees a message that went out in the last fraction
//! of a second as not yet claimed or not yet accepted. Whoever acts on a
//! row's send state folds first, inside its own write transaction: the
//! writer before any other kind of mark, [`super::next_batch`],
//! [`super::recover_in_doubt`], the relay events' apply path, and opening
//! a workspace ([`fold_leftovers`]). Screens and exports read without
//! folding and lag by at most [`FOLD_AFTER`].

use std::time::Duration;

use anyhow::Context;
use sqlx::SqliteConnection;

use crate::{Result, Store};

/// The longest a committed mark waits in the journal while its writer runs:
/// what a screen reading `campaign_recipients` can lag behind the sends.
pub const FOLD_AFTER: Duration = Duration::from_millis(250);

/// The most entries the writer lets the journal hold before it folds: a
/// fold's work, which every message waits for, stays in the milliseconds.
pub const FOLD_AT: usize = 4_096;

/// One UPDATE per journaled row, then the journal emptied (also the head
/// of the writer's transactions for marks that do not go to the journal).
///
/// A row's entries are a claim, an acceptance, or both (a claim folded
/// earlier, then its acceptance). The row must still be where its first
/// entry moves it from (`queued` for a claim, `sending` for an acceptance):
/// a row that moved on meanwhile, or went with its contact, is left as it
/// is, like an UPDATE of the mark itself would have left it. An acceptance
/// clears the error of an earlier attempt and keeps the SMS parts the row
/// had when the provider told none.
pub(super) const FOLD_SQL: &str = "UPDATE campaign_recipients AS r SET \
         status = j.status, \
         attempts = r.attempts + j.claims, \
         sending_at = coalesce(j.sending_at, r.sending_at), \
         message_id = coalesce(j.message_id, r.message_id), \
         sent_at = iif(j.accepted, j.sent_at, r.sent_at), \
         provider_message_id = iif(j.accepted, j.provider_id, r.provider_message_id), \
         error = iif(j.accepted, NULL, r.error), \
         parts = iif(j.accepted, coalesce(j.parts, r.parts), r.parts) \
     FROM (SELECT campaign_id, contact_id, \
               sum(status = 'sending') AS claims, \
               max(status = 'sent') AS accepted, \
               iif(max(status = 'sent'), 'sent', 'sending') AS status, \
               max(iif(status = 'sending', at, NULL)) AS sending_at, \
               max(iif(status = 'sending', id_text, NULL)) AS message_id, \
               max(iif(status = 'sent', at, NULL)) AS sent_at, \
               max(iif(status = 'sent', id_text, NULL)) AS provider_id, \
               max(iif(status = 'sent', parts, NULL)) AS parts \
           FROM ledger_journal GROUP BY campaign_id, contact_id) AS j \
     WHERE r.campaign_id = j.campaign_id AND r.contact_id = j.contact_id \
       AND r.status = iif(j.claims > 0, 'queued', 'sending'); \
     DELETE FROM ledger_journal";

/// Folds the whole journal into `campaign_recipients` inside the caller's
/// write transaction.
pub async fn fold(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query(FOLD_SQL)
        .execute(conn)
        .await
        .context("folding the ledger's journal")?;
    Ok(())
}

/// Folds what a process that stopped mid-send left in the journal, if
/// anything: opening a workspace leaves every row as its last committed
/// mark put it.
pub async fn fold_leftovers(store: &Store) -> Result<()> {
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM ledger_journal)")
        .fetch_one(store.pool())
        .await
        .context("reading the ledger's journal")?;
    if !any {
        return Ok(());
    }
    let mut tx = store.begin_write().await?;
    fold(&mut tx).await?;
    tx.commit().await.context("folding the ledger's journal")?;
    Ok(())
}

/// A claim or an acceptance appended to the journal, when the row is where
/// the mark moves it from: `status` is the mark's, `known` skips the check
/// (the writer journaled the row's claim itself), `from` is the status the
/// row must have otherwise. Returns the mark's index when it applied.
pub(super) const JOURNAL_INSERT: &str =
    "INSERT INTO ledger_journal (campaign_id, contact_id, status, at, id_text, parts) \
     SELECT ?, ?, ?, ?, ?, ? WHERE ? OR EXISTS (SELECT 1 FROM campaign_recipients \
     WHERE campaign_id = ? AND contact_id = ? AND status = ?) RETURNING ?";
