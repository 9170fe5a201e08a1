//! Committing ledger marks in groups, durably.
//!
//! Every message needs two ledger writes (`sending` before it goes out, the
//! outcome after), and the `sending` one must be on disk before the first
//! byte goes on the wire. One transaction per mark would cap a campaign at
//! the disk's commit rate; instead one task owns a connection, takes every
//! mark waiting when it wakes, commits them in one transaction with
//! `synchronous = FULL` (the commit returns after the WAL is synced), and
//! only then answers each caller. With N rows claimed at once (the
//! engine's window: its connections times its claim depth), a commit
//! carries up to N marks, `sending` and outcomes together. A group goes to
//! SQLite as one multi-statement query (one round trip to sqlx's thread),
//! and groups commit in the order their marks were queued, which the
//! engine relies on ([`LedgerWriter::enqueue`]).
//!
//! The usual group, claims and acceptances each of its own row, is appended
//! to the ledger's journal ([`super::journal`]) rather than updating the
//! rows, and the writer folds the journal into the rows every
//! [`FOLD_AFTER`] or [`FOLD_AT`] entries, before any other kind of mark,
//! when asked ([`LedgerWriter::settle`]) and when it stops.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments as _, Sqlite};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::journal::{FOLD_AFTER, FOLD_AT, FOLD_SQL, JOURNAL_INSERT};
use crate::{now_millis, Result, Store, StoreError};

/// A ledger row's next state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// About to go out (from `queued`). `message_id` is the message's own id
    /// (e.g. the email's Message-ID), the same on every attempt.
    Sending { message_id: String },
    /// Accepted by the server or provider (from `sending`), with the id it
    /// gave the message (an SMTP queue id, or its whole reply when it names
    /// none; a provider's message id).
    Sent { provider_message_id: Option<String> },
    /// Refused for good (from `sending`), with the reason.
    Failed { error: String },
    /// Refused for now (from `sending`): back to `queued`, due again at
    /// `next_attempt_at`.
    Retry { error: String, next_attempt_at: i64 },
    /// Maybe delivered, maybe not (from `sending`): never sent again
    /// automatically.
    InDoubt { detail: String },
    /// Not yet (from `queued`, nothing sent, no attempt counted): due again
    /// at `until`, e.g. when the recipient's sending hours open.
    Defer { until: i64, reason: String },
    /// Accepted like [`Mark::Sent`], with how many SMS parts the message
    /// took (what the provider bills).
    SentParts {
        provider_message_id: Option<String>,
        parts: u32,
    },
    /// Claimed but never sent (from `sending`): back to `queued` as before
    /// the claim, its attempt not counted. The engine claims a few messages
    /// ahead of the connections; a clean pause or stop gives those back, so
    /// only a crash leaves claimed rows in doubt.
    GiveBack,
}

impl Mark {
    /// Where the row must be for this mark to apply.
    fn moves_from(&self) -> &'static str {
        match self {
            Mark::Sending { .. } | Mark::Defer { .. } => "queued",
            _ => "sending",
        }
    }
}

/// Marks that commit together, and who waits for them.
struct Job {
    marks: Vec<(Uuid, Uuid, Mark)>,
    /// Fold the journal once these marks are committed, before answering.
    settle: bool,
    done: oneshot::Sender<Result<Vec<bool>>>,
}

/// The group-committing ledger writer of one send run. Cheap to clone.
#[derive(Debug, Clone)]
pub struct LedgerWriter {
    jobs: mpsc::Sender<Job>,
}

/// How long the writer waits before it folds, and before it gives up.
#[derive(Debug, Clone, Copy)]
pub struct WriterTiming {
    /// How long after the oldest entry committed the journal is folded.
    pub fold_after: Duration,
    /// How long a failing write (a group, a fold) is retried.
    pub retry_for: Duration,
}

impl Default for WriterTiming {
    fn default() -> WriterTiming {
        WriterTiming {
            fold_after: FOLD_AFTER,
            retry_for: RETRY_FOR,
        }
    }
}

/// The most marks one transaction carries (a job's marks are never split,
/// so a job larger than this is a transaction of its own).
const MAX_GROUP: usize = 128;

impl LedgerWriter {
    /// Starts the writer task on the current tokio runtime. It stops when the
    /// last clone of the writer is dropped.
    pub fn start(store: &Store) -> LedgerWriter {
        LedgerWriter::with_timing(store, WriterTiming::default())
    }

    /// [`LedgerWriter::start`] with other waits than the defaults (tests
    /// hold entries in the journal, or give up on a failing write sooner).
    pub fn with_timing(store: &Store, timing: WriterTiming) -> LedgerWriter {
        let (jobs, rx) = mpsc::channel(4 * MAX_GROUP);
        tokio::spawn(run(store.clone(), rx, timing));
        LedgerWriter { jobs }
    }

    /// Applies `mark` to the row (campaign, contact) and returns once it is
    /// committed to disk: `Ok(true)` when it applied, `Ok(false)` when the row
    /// was not in the state the mark moves from (e.g. no longer `queued`, or
    /// gone with its contact) and nothing changed.
    pub async fn mark(&self, campaign: Uuid, contact: Uuid, mark: Mark) -> Result<bool> {
        self.enqueue(campaign, contact, mark)
            .await?
            .committed()
            .await
    }

    /// Queues `mark` and returns as soon as it is in the writer's queue,
    /// before it commits; [`Queued::committed`] waits for the commit.
    ///
    /// Marks commit in the order they were queued: a mark queued after
    /// another commits in the same transaction or a later one, never
    /// before it. So once a recipient's outcome is queued, the next claim
    /// queued behind it can never be on disk without that outcome: the
    /// engine gives the outcome's slot to the next recipient at once
    /// instead of after the commit, and the ledger still never holds more
    /// rows `sending` than the engine has slots.
    pub async fn enqueue(&self, campaign: Uuid, contact: Uuid, mark: Mark) -> Result<Queued> {
        self.submit(vec![(campaign, contact, mark)]).await
    }

    /// Applies `marks` in order, in ONE transaction, and returns once it is
    /// committed: whether each applied (see [`LedgerWriter::mark`]).
    pub async fn mark_together(&self, marks: Vec<(Uuid, Uuid, Mark)>) -> Result<Vec<bool>> {
        if marks.is_empty() {
            return Ok(Vec::new());
        }
        self.submit(marks).await?.all_committed().await
    }

    /// Returns once every mark committed so far shows in
    /// `campaign_recipients`: the writer folds its journal now instead of
    /// within [`FOLD_AFTER`].
    pub async fn settle(&self) -> Result<()> {
        self.submit_job(Vec::new(), true)
            .await?
            .all_committed()
            .await?;
        Ok(())
    }

    /// Puts one job in the writer's queue.
    async fn submit(&self, marks: Vec<(Uuid, Uuid, Mark)>) -> Result<Queued> {
        self.submit_job(marks, false).await
    }

    async fn submit_job(&self, marks: Vec<(Uuid, Uuid, Mark)>, settle: bool) -> Result<Queued> {
        let (done, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                marks,
                settle,
                done,
            })
            .await
            .map_err(|_| anyhow::anyhow!("the ledger writer has stopped"))?;
        Ok(Queued { answer })
    }
}

/// A job of marks in the writer's queue (see [`LedgerWriter::enqueue`]).
#[derive(Debug)]
pub struct Queued {
    answer: oneshot::Receiver<Result<Vec<bool>>>,
}

impl Queued {
    /// Waits for the mark's commit: whether it applied.
    pub async fn committed(self) -> Result<bool> {
        let applied = self.all_committed().await?;
        Ok(applied.first().copied().unwrap_or(false))
    }

    /// Waits for the job's commit: whether each of its marks applied.
    async fn all_committed(self) -> Result<Vec<bool>> {
        self.answer
            .await
            .map_err(|_| anyhow::anyhow!("the ledger writer stopped before answering"))?
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Job>, timing: WriterTiming) {
    let retry_for = timing.retry_for;
    let mut conn: Option<PoolConnection<Sqlite>> = None;
    let mut journal = Journal::new(timing.fold_after);
    // A job that did not fit in the last group starts the next one.
    let mut held: Option<Job> = None;
    // Once a group is lost, nothing queued after it may commit: a claim
    // behind a lost outcome would put a second row of the same slot on the
    // wire while the first still says `sending`.
    let mut lost: Option<String> = None;
    loop {
        let first = match held.take() {
            Some(job) => job,
            None => {
                let next = match journal.due() {
                    Some(due) => tokio::select! {
                        job = rx.recv() => job,
                        () = tokio::time::sleep_until(due) => {
                            // Nothing came for a while: fold what waits
                            // (committed marks, even behind a lost group).
                            fold_quietly(&store, &mut conn, &mut journal, retry_for).await;
                            continue;
                        }
                    },
                    None => rx.recv().await,
                };
                match next {
                    Some(job) => job,
                    None => break,
                }
            }
        };
        let mut size = first.marks.len();
        let mut settling = first.settle;
        let mut group = vec![first];
        while size < MAX_GROUP && !settling {
            match rx.try_recv() {
                Ok(job) if size + job.marks.len() > MAX_GROUP => {
                    held = Some(job);
                    break;
                }
                Ok(job) => {
                    size += job.marks.len();
                    settling = job.settle;
                    group.push(job);
                }
                Err(_) => break,
            }
        }
        if let Some(message) = &lost {
            for job in group {
                let _ = job
                    .done
                    .send(Err(StoreError::Internal(anyhow::anyhow!(message.clone()))));
            }
            continue;
        }
        let marks: Vec<(Uuid, Uuid, &Mark)> = group
            .iter()
            .flat_map(|j| j.marks.iter().map(|(c, r, m)| (*c, *r, m)))
            .collect();
        let outcome = if marks.is_empty() {
            Ok(Vec::new())
        } else {
            commit_with_retry(&store, &mut conn, &marks, &mut journal, retry_for).await
        };
        // A settle answers only once the fold committed. A fold that fails
        // loses nothing: the journal stays as it was, on disk, for the next.
        let mut unfolded: Option<String> = None;
        if outcome.is_ok() {
            if settling {
                if let Err(e) = fold_with_retry(&store, &mut conn, &mut journal, retry_for).await {
                    unfolded = Some(format!("the send ledger could not be folded: {e}"));
                }
            } else if journal.full() {
                fold_quietly(&store, &mut conn, &mut journal, retry_for).await;
            }
        }
        match outcome {
            Ok(applied) => {
                let mut applied = applied.into_iter();
                for job in group {
                    let mine: Vec<bool> = applied.by_ref().take(job.marks.len()).collect();
                    let answer = match &unfolded {
                        Some(message) if job.settle => {
                            Err(StoreError::Internal(anyhow::anyhow!(message.clone())))
                        }
                        _ => Ok(mine),
                    };
                    let _ = job.done.send(answer);
                }
            }
            Err(e) => {
                tracing::error!("the send ledger could not be written: {e:#}");
                let message = format!("the send ledger could not be written: {e}");
                for job in group {
                    let _ = job
                        .done
                        .send(Err(StoreError::Internal(anyhow::anyhow!(message.clone()))));
                }
                lost = Some(message);
            }
        }
    }
    if journal.entries > 0 {
        fold_quietly(&store, &mut conn, &mut journal, retry_for).await;
    }
    if let Some(mut c) = conn {
        let _ = sqlx::query("PRAGMA synchronous = NORMAL")
            .execute(&mut *c)
            .await;
    }
}

/// Folds the journal, or leaves it for another try one fold interval
/// (`WriterTiming::fold_after`) later: its entries are on disk either way,
/// and a workspace folds leftovers when it opens.
async fn fold_quietly(
    store: &Store,
    conn: &mut Option<PoolConnection<Sqlite>>,
    journal: &mut Journal,
    retry_for: Duration,
) {
    if let Err(e) = fold_with_retry(store, conn, journal, retry_for).await {
        tracing::warn!("the send ledger's journal is not folded yet: {e:#}");
        journal.since = Some(tokio::time::Instant::now());
    }
}

/// What the writer has put in the ledger's journal since its last fold.
#[derive(Debug)]
struct Journal {
    /// The rows with entries, by their last one: `true` for an acceptance.
    rows: HashMap<(Uuid, Uuid), bool>,
    entries: usize,
    /// When the oldest entry committed.
    since: Option<tokio::time::Instant>,
    fold_after: Duration,
}

/// What a usual mark appends to the journal, if anything.
struct Entry<'m> {
    index: usize,
    campaign: Uuid,
    contact: Uuid,
    status: &'static str,
    id_text: Option<&'m str>,
    parts: Option<i64>,
    /// The writer journaled this row's claim: no need to read the row.
    known: bool,
}

impl Journal {
    fn new(fold_after: Duration) -> Journal {
        Journal {
            rows: HashMap::new(),
            entries: 0,
            since: None,
            fold_after,
        }
    }

    /// When the entries must be folded, if there are any.
    fn due(&self) -> Option<tokio::time::Instant> {
        self.since.map(|since| since + self.fold_after)
    }

    fn full(&self) -> bool {
        self.entries >= FOLD_AT || self.due().is_some_and(|d| d <= tokio::time::Instant::now())
    }

    /// The entries of a usual group (see [`usual`]). A claim of a row
    /// already journaled, or a second acceptance, appends nothing and does
    /// not apply, as its UPDATE would not have.
    fn entries_for<'m>(&self, marks: &[(Uuid, Uuid, &'m Mark)]) -> Vec<Entry<'m>> {
        let mut entries = Vec::with_capacity(marks.len());
        for (index, &(campaign, contact, mark)) in marks.iter().enumerate() {
            let journaled = self.rows.get(&(campaign, contact)).copied();
            let (status, id_text, parts, known) = match (mark, journaled) {
                (Mark::Sending { message_id }, None) => {
                    ("sending", Some(message_id.as_str()), None, false)
                }
                (
                    Mark::Sent {
                        provider_message_id,
                    },
                    None | Some(false),
                ) => (
                    "sent",
                    provider_message_id.as_deref(),
                    None,
                    journaled.is_some(),
                ),
                (
                    Mark::SentParts {
                        provider_message_id,
                        parts,
                    },
                    None | Some(false),
                ) => (
                    "sent",
                    provider_message_id.as_deref(),
                    Some(i64::from(*parts)),
                    journaled.is_some(),
                ),
                _ => continue,
            };
            entries.push(Entry {
                index,
                campaign,
                contact,
                status,
                id_text,
                parts,
                known,
            });
        }
        entries
    }

    /// Notes the marks of a usual group that applied.
    fn record(&mut self, marks: &[(Uuid, Uuid, &Mark)], applied: &[bool]) {
        for (&(campaign, contact, mark), _) in marks.iter().zip(applied).filter(|(_, a)| **a) {
            let accepted = !matches!(mark, Mark::Sending { .. });
            self.rows.insert((campaign, contact), accepted);
            self.entries += 1;
        }
        if self.entries > 0 && self.since.is_none() {
            self.since = Some(tokio::time::Instant::now());
        }
    }

    fn clear(&mut self) {
        self.rows.clear();
        self.entries = 0;
        self.since = None;
    }
}

/// How long the writer keeps trying while another writer (an import) holds
/// the workspace: outcomes in memory are lost if it gives up, and their rows
/// end `in_doubt`.
const RETRY_FOR: Duration = Duration::from_secs(120);

async fn commit_with_retry(
    store: &Store,
    conn: &mut Option<PoolConnection<Sqlite>>,
    marks: &[(Uuid, Uuid, &Mark)],
    journal: &mut Journal,
    retry_for: Duration,
) -> Result<Vec<bool>> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(20);
    loop {
        match commit(store, conn, marks, journal).await {
            Ok(applied) => return Ok(applied),
            Err(e) if started.elapsed() < retry_for => {
                tracing::warn!("retrying a ledger write: {e:#}");
                // A broken connection is replaced on the next try.
                *conn = None;
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Folds the journal in a transaction of its own (a commit of no marks).
async fn fold_with_retry(
    store: &Store,
    conn: &mut Option<PoolConnection<Sqlite>>,
    journal: &mut Journal,
    retry_for: Duration,
) -> Result<()> {
    commit_with_retry(store, conn, &[], journal, retry_for)
        .await
        .map(drop)
}

/// The writer's connection, made durable on first use.
async fn connection<'c>(
    store: &Store,
    conn: &'c mut Option<PoolConnection<Sqlite>>,
) -> Result<&'c mut PoolConnection<Sqlite>> {
    store.refuse_during_long_write()?;
    if conn.is_none() {
        let mut c = store
            .pool()
            .acquire()
            .await
            .context("connecting the ledger writer")?;
        sqlx::query("PRAGMA synchronous = FULL")
            .execute(&mut *c)
            .await
            .context("making ledger commits durable")?;
        *conn = Some(c);
    }
    Ok(conn.as_mut().expect("connected above"))
}

/// Commits `marks` in one transaction: a usual group as journal entries,
/// any other after folding the journal, as UPDATEs of the rows in order; no
/// marks at all folds the journal. Returns whether each mark applied.
async fn commit(
    store: &Store,
    conn: &mut Option<PoolConnection<Sqlite>>,
    marks: &[(Uuid, Uuid, &Mark)],
    journal: &mut Journal,
) -> Result<Vec<bool>> {
    let c = connection(store, conn).await?;
    let now = now_millis();
    // The whole group in ONE round trip to sqlx's SQLite thread: `BEGIN
    // IMMEDIATE`, a statement per mark, `COMMIT`, sent as a single
    // multi-statement query. A statement per round trip made the group's
    // commit, which every message waits for, scale with its size
    // (docs/benchmarks.md, "The ledger's group commit").
    let journaling = !marks.is_empty() && usual(marks);
    let returned = if journaling {
        let entries = journal.entries_for(marks);
        let sql = transaction_sql(&[(JOURNAL_INSERT, slots(entries.len()))]);
        run_group(c, bind_entries(&sql, &entries, now)).await?
    } else {
        // The rows' UPDATEs see every claim and acceptance committed
        // before them.
        let sql = transaction_sql(&[(FOLD_SQL, 1), (MARK_UPDATE, marks.len())]);
        let mut arguments = SqliteArguments::default();
        arguments.reserve(marks.len() * MARK_VALUES, 0);
        let mut query = sqlx::query_scalar_with::<_, i64, _>(&sql, arguments);
        for (index, &(campaign, contact, mark)) in marks.iter().enumerate() {
            query = bind_mark(query, mark, now)
                .bind(campaign)
                .bind(contact)
                .bind(mark.moves_from())
                .bind(i64::try_from(index).unwrap_or(i64::MAX));
        }
        run_group(c, query).await?
    };
    // Each statement returned its mark's index when it applied.
    let mut applied = vec![false; marks.len()];
    for index in returned {
        if let Some(slot) = usize::try_from(index).ok().and_then(|i| applied.get_mut(i)) {
            *slot = true;
        }
    }
    if journaling {
        journal.record(marks, &applied);
    } else {
        journal.clear();
    }
    Ok(applied)
}

/// Runs a group's query: every statement to the end, COMMIT included, or
/// up to the first error, after which whatever ran is rolled back.
async fn run_group(c: &mut PoolConnection<Sqlite>, query: GroupQuery<'_>) -> Result<Vec<i64>> {
    match query.fetch_all(&mut **c).await {
        Ok(indexes) => Ok(indexes),
        Err(error) => {
            // "No transaction is active" is fine.
            let _ = sqlx::query("ROLLBACK").execute(&mut **c).await;
            Err(StoreError::Internal(
                anyhow::Error::new(error).context("writing ledger marks"),
            ))
        }
    }
}

/// The usual group while a campaign sends: claims and acceptances only,
/// each for a different row (so their order within the group does not
/// matter). It goes to the journal; any other group goes mark by mark
/// through [`MARK_UPDATE`], in order, after a fold.
fn usual(marks: &[(Uuid, Uuid, &Mark)]) -> bool {
    let kinds = marks.iter().all(|(_, _, mark)| {
        matches!(
            mark,
            Mark::Sending { .. } | Mark::Sent { .. } | Mark::SentParts { .. }
        )
    });
    if !kinds {
        return false;
    }
    let mut rows: Vec<(Uuid, Uuid)> = marks.iter().map(|(c, r, _)| (*c, *r)).collect();
    rows.sort_unstable();
    rows.dedup();
    rows.len() == marks.len()
}

/// Statements in a journal group: its entries rounded up to a power of two
/// (the rest append nothing), so a run prepares a handful of group shapes,
/// not one per count.
fn slots(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        n.next_power_of_two()
    }
}

/// `BEGIN IMMEDIATE`, each statement as many times as its count, `COMMIT`:
/// one multi-statement query.
fn transaction_sql(statements: &[(&str, usize)]) -> String {
    let size: usize = statements.iter().map(|(s, n)| n * (s.len() + 2)).sum();
    let mut sql = String::with_capacity(32 + size);
    sql.push_str("BEGIN IMMEDIATE; ");
    for &(statement, count) in statements {
        for _ in 0..count {
            sql.push_str(statement);
            sql.push_str("; ");
        }
    }
    sql.push_str("COMMIT");
    sql
}

/// Binds a journal group's entries in their slots ([`JOURNAL_INSERT`]);
/// each returns its mark's index.
fn bind_entries<'q>(sql: &'q str, entries: &[Entry<'q>], now: i64) -> GroupQuery<'q> {
    const VALUES: usize = 11;
    let mut arguments = SqliteArguments::default();
    arguments.reserve(VALUES * slots(entries.len()), 0);
    let mut query = sqlx::query_scalar_with::<_, i64, _>(sql, arguments);
    for entry in entries {
        let from = if entry.status == "sending" {
            "queued"
        } else {
            "sending"
        };
        query = query
            .bind(entry.campaign)
            .bind(entry.contact)
            .bind(entry.status)
            .bind(now)
            .bind(entry.id_text)
            .bind(entry.parts)
            .bind(entry.known)
            .bind(entry.campaign)
            .bind(entry.contact)
            .bind(from)
            .bind(i64::try_from(entry.index).unwrap_or(i64::MAX));
    }
    // A slot with no entry: a row that cannot exist (ids are UUID v7).
    let nil = Uuid::nil();
    for _ in entries.len()..slots(entries.len()) {
        query = query
            .bind(nil)
            .bind(nil)
            .bind("sending")
            .bind(now)
            .bind(None::<&str>)
            .bind(None::<i64>)
            .bind(false)
            .bind(nil)
            .bind(nil)
            .bind("queued")
            .bind(-1i64);
    }
    query
}

/// Values one mark binds in [`MARK_UPDATE`].
const MARK_VALUES: usize = 16;

/// One mark, whatever its kind: each SET keeps the column unless the mark
/// gives it a value (`coalesce`), or, for the two columns a mark may set to
/// NULL, unless its flag says so (`iif`). The groups that are not
/// [`usual`] (a failure, a retry, a deferral, a row marked twice) go
/// through it mark by mark, in order: one statement for every kind keeps
/// their SQL the same for any mix of marks.
const MARK_UPDATE: &str = "UPDATE campaign_recipients SET \
     status = coalesce(?, status), \
     attempts = max(attempts + ?, 0), \
     sending_at = coalesce(?, sending_at), \
     message_id = coalesce(?, message_id), \
     sent_at = coalesce(?, sent_at), \
     provider_message_id = iif(?, ?, provider_message_id), \
     failed_at = coalesce(?, failed_at), \
     next_attempt_at = coalesce(?, next_attempt_at), \
     error = iif(?, ?, error), \
     parts = coalesce(?, parts) \
     WHERE campaign_id = ? AND contact_id = ? AND status = ? RETURNING ?";

type GroupQuery<'q> = sqlx::query::QueryScalar<'q, Sqlite, i64, SqliteArguments<'q>>;

/// Binds the first twelve values of [`MARK_UPDATE`] for `mark`.
fn bind_mark<'q>(query: GroupQuery<'q>, mark: &'q Mark, now: i64) -> GroupQuery<'q> {
    // (status, attempts delta, sending_at, message_id, sent_at,
    //  set provider id?, provider id, failed_at, next_attempt_at,
    //  set error?, error, parts)
    let (status, delta, sending_at, message_id, sent_at) = match mark {
        Mark::Sending { message_id } => (
            Some("sending"),
            1,
            Some(now),
            Some(message_id.as_str()),
            None,
        ),
        Mark::Sent { .. } | Mark::SentParts { .. } => (Some("sent"), 0, None, None, Some(now)),
        Mark::Failed { .. } => (Some("failed"), 0, None, None, None),
        Mark::Retry { .. } | Mark::GiveBack => (Some("queued"), 0, None, None, None),
        Mark::InDoubt { .. } => (Some("in_doubt"), 0, None, None, None),
        Mark::Defer { .. } => (None, 0, None, None, None),
    };
    let delta = if matches!(mark, Mark::GiveBack) {
        -1
    } else {
        delta
    };
    let provider_id = match mark {
        Mark::Sent {
            provider_message_id,
        }
        | Mark::SentParts {
            provider_message_id,
            ..
        } => Some(provider_message_id.as_deref()),
        _ => None,
    };
    let failed_at = matches!(mark, Mark::Failed { .. }).then_some(now);
    let next_attempt_at = match mark {
        Mark::Retry {
            next_attempt_at, ..
        } => Some(*next_attempt_at),
        Mark::Defer { until, .. } => Some(*until),
        _ => None,
    };
    // Sent clears the error of an earlier attempt; GiveBack and Sending
    // leave it.
    let error: Option<Option<&str>> = match mark {
        Mark::Sent { .. } | Mark::SentParts { .. } => Some(None),
        Mark::Failed { error } | Mark::Retry { error, .. } => Some(Some(error.as_str())),
        Mark::InDoubt { detail } => Some(Some(detail.as_str())),
        Mark::Defer { reason, .. } => Some(Some(reason.as_str())),
        Mark::Sending { .. } | Mark::GiveBack => None,
    };
    let parts = match mark {
        Mark::SentParts { parts, .. } => Some(i64::from(*parts)),
        _ => None,
    };
    query
        .bind(status)
        .bind(delta)
        .bind(sending_at)
        .bind(message_id)
        .bind(sent_at)
        .bind(provider_id.is_some())
        .bind(provider_id.flatten())
        .bind(failed_at)
        .bind(next_attempt_at)
        .bind(error.is_some())
        .bind(error.flatten())
        .bind(parts)
}
