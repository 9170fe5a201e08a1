//! The `campaigns` table: creating, reading, editing, listing (with search
//! and ledger counts), deleting and duplicating campaigns.
//!
//! Every write also keeps `campaigns_fts` in step, in the same transaction,
//! so the list's search never sees a campaign the table does not hold.
//! Sending (the ledger, the engine) lives elsewhere; it reuses [`counts`].
//!
//! ```no_run
//! # async fn demo(store: &herald_store::Store) -> herald_store::Result<()> {
//! use herald_store::campaigns::{self, CampaignInput, CampaignQuery};
//!
//! let draft = campaigns::create(store, &CampaignInput::draft("Spring news")).await?;
//! let found = campaigns::list(store, &CampaignQuery::search("spring")).await?;
//! assert_eq!(found[0].id, draft.id);
//! # Ok(()) }
//! ```

mod counts;
mod duplicate;
mod fts;
mod model;

use anyhow::Context;
use herald_core::{Channel, EmailAddress, SegmentId};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqliteExecutor};

/// What the audience left out when resolved (written by the ledger).
pub use crate::ledger::Exclusions;
pub use counts::{counts, counts_of, CampaignCounts};
pub use duplicate::duplicate;
pub use fts::{html_text, match_expression};
pub use herald_core::{AttachmentId, CampaignId, TemplateId};
pub use model::{
    Campaign, CampaignInput, CampaignStatus, Editor, UnknownStatus, MAX_NAME_CHARS, MAX_RATE,
    MAX_SMS_CHARS, MAX_SUBJECT_CHARS,
};

use model::CleanInput;

use crate::{now_millis, Result, Store, StoreError};

/// A campaign as the list shows it: no body, with its ledger counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignSummary {
    pub id: CampaignId,
    pub channel: Channel,
    pub name: String,
    pub status: CampaignStatus,
    pub segment_id: Option<SegmentId>,
    pub segment_name: Option<String>,
    pub subject: String,
    pub scheduled_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub counts: CampaignCounts,
}

/// Which campaigns the list shows. Empty `statuses`: all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CampaignQuery {
    /// What the user typed in the search box (any text; see
    /// [`match_expression`]).
    pub search: Option<String>,
    pub statuses: Vec<CampaignStatus>,
    pub channel: Option<Channel>,
}

impl CampaignQuery {
    /// Every campaign matching `typed`.
    pub fn search(typed: &str) -> CampaignQuery {
        CampaignQuery {
            search: Some(typed.to_owned()),
            ..CampaignQuery::default()
        }
    }
}

/// The segment's current name, falling back to the one saved with the
/// campaign once the segment is deleted (`segment_id` is then NULL).
const COLUMNS: &str = "c.id, c.channel, c.name, c.status, c.segment_id,
    coalesce(s.name, c.segment_name) AS segment_name, c.subject, c.preheader, c.from_name,
    c.from_address, c.reply_to, c.html, c.text_body, c.editor, c.template_id, c.tracking,
    c.sms_opt_out, c.rate, c.scheduled_at, c.started_at, c.finished_at, c.resolved_at, c.exclusions,
    c.last_error, c.created_at, c.updated_at
    FROM campaigns c LEFT JOIN segments s ON s.id = c.segment_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: uuid::Uuid,
    channel: String,
    name: String,
    status: String,
    segment_id: Option<uuid::Uuid>,
    segment_name: Option<String>,
    subject: String,
    preheader: Option<String>,
    from_name: Option<String>,
    from_address: Option<String>,
    reply_to: Option<String>,
    html: String,
    text_body: Option<String>,
    editor: String,
    template_id: Option<uuid::Uuid>,
    tracking: bool,
    sms_opt_out: bool,
    rate: Option<f64>,
    scheduled_at: Option<i64>,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    resolved_at: Option<i64>,
    exclusions: Option<String>,
    last_error: Option<String>,
    created_at: i64,
    updated_at: i64,
}

/// A channel read back from the `campaigns` table (its CHECK allows only
/// the two), or an internal error naming it.
pub(crate) fn stored_channel(raw: &str) -> Result<Channel> {
    Channel::parse(raw)
        .map_err(|e| anyhow::anyhow!("a campaign holds an unknown channel: {e}").into())
}

fn stored_status(raw: &str) -> Result<CampaignStatus> {
    CampaignStatus::parse(raw).map_err(|e| anyhow::anyhow!("a campaign holds {e}").into())
}

fn stored_address(raw: Option<String>) -> Result<Option<EmailAddress>> {
    raw.map(|a| {
        EmailAddress::parse(&a).context("a campaign holds an address that no longer parses")
    })
    .transpose()
    .map_err(StoreError::from)
}

impl Row {
    fn into_campaign(self) -> Result<Campaign> {
        let exclusions = self
            .exclusions
            .map(|raw| serde_json::from_str(&raw))
            .transpose()
            .context("a campaign holds unreadable exclusions")?;
        Ok(Campaign {
            id: CampaignId::from_uuid(self.id),
            channel: stored_channel(&self.channel)?,
            name: self.name,
            status: stored_status(&self.status)?,
            segment_id: self.segment_id.map(SegmentId::from_uuid),
            segment_name: self.segment_name,
            subject: self.subject,
            preheader: self.preheader,
            from_name: self.from_name,
            from_address: stored_address(self.from_address)?,
            reply_to: stored_address(self.reply_to)?,
            html: self.html,
            text_body: self.text_body,
            editor: Editor::from_stored(&self.editor),
            template_id: self.template_id.map(TemplateId::from_uuid),
            tracking: self.tracking,
            sms_opt_out: self.sms_opt_out,
            rate: self.rate,
            scheduled_at: self.scheduled_at,
            started_at: self.started_at,
            finished_at: self.finished_at,
            resolved_at: self.resolved_at,
            exclusions,
            last_error: self.last_error,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

async fn read<'e>(executor: impl SqliteExecutor<'e>, id: CampaignId) -> Result<Campaign> {
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} WHERE c.id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(executor)
        .await
        .context("reading a campaign")?;
    row.ok_or_else(|| StoreError::NotFound(format!("campaign {id}")))?
        .into_campaign()
}

/// One campaign.
pub async fn get(store: &Store, id: CampaignId) -> Result<Campaign> {
    read(store.pool(), id).await
}

/// A campaign's rowid (its search index key) and status, inside a write.
pub(crate) async fn lock(
    tx: &mut SqliteConnection,
    id: CampaignId,
) -> Result<(i64, CampaignStatus)> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT rowid, status FROM campaigns WHERE id = ?")
            .bind(id.as_uuid())
            .fetch_optional(tx)
            .await
            .context("reading a campaign's status")?;
    let (rowid, status) = row.ok_or_else(|| StoreError::NotFound(format!("campaign {id}")))?;
    Ok((rowid, stored_status(&status)?))
}

/// Refuses changes to a campaign that is not a draft, scheduled or paused.
pub(crate) fn ensure_editable(status: CampaignStatus, what: &str) -> Result<()> {
    if status.is_editable() {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "this campaign is {status}: only draft, scheduled and paused campaigns can have {what} changed; duplicate it to make a new draft"
        )))
    }
}

/// Checks the segment and template exist; returns the segment's name, which
/// is saved with the campaign (the ledger outlives a deleted segment).
async fn check_references(tx: &mut SqliteConnection, input: &CleanInput) -> Result<Option<String>> {
    let mut segment_name = None;
    if let Some(segment) = input.segment_id {
        let name: Option<String> = sqlx::query_scalar("SELECT name FROM segments WHERE id = ?")
            .bind(segment.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .context("finding a campaign's segment")?;
        segment_name = Some(name.ok_or_else(|| {
            StoreError::validation("segmentId", "this segment no longer exists; choose another")
        })?);
    }
    if let Some(template) = input.template_id {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM campaign_templates WHERE id = ?")
                .bind(template.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .context("finding a campaign's template")?;
        if found.is_none() {
            return Err(StoreError::validation(
                "templateId",
                "this template no longer exists",
            ));
        }
    }
    Ok(segment_name)
}

/// Saves a new draft.
pub async fn create(store: &Store, input: &CampaignInput) -> Result<Campaign> {
    let clean = input.clean()?;
    let id = CampaignId::new();
    let now = now_millis();
    let mut tx = store.begin_write().await?;
    let segment_name = check_references(&mut tx, &clean).await?;
    let rowid: i64 = sqlx::query_scalar(
        "INSERT INTO campaigns (id, channel, name, status, segment_id, segment_name, subject,
             preheader, from_name, from_address, reply_to, html, text_body, editor, template_id,
             tracking, sms_opt_out, rate, created_at, updated_at)
         VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING rowid",
    )
    .bind(id.as_uuid())
    .bind(clean.channel.as_str())
    .bind(&clean.name)
    .bind(clean.segment_id.map(|s| s.as_uuid()))
    .bind(&segment_name)
    .bind(&clean.subject)
    .bind(&clean.preheader)
    .bind(&clean.from_name)
    .bind(clean.from_address.as_ref().map(EmailAddress::as_str))
    .bind(clean.reply_to.as_ref().map(EmailAddress::as_str))
    .bind(&clean.html)
    .bind(&clean.text_body)
    .bind(clean.editor.as_str())
    .bind(clean.template_id.map(|t| t.as_uuid()))
    .bind(clean.tracking)
    .bind(clean.sms_opt_out)
    .bind(clean.rate)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .context("saving a campaign")?;
    fts::put(
        &mut tx,
        rowid,
        &clean.name,
        &clean.subject,
        clean.searchable_body(),
    )
    .await?;
    tx.commit().await.context("saving a campaign")?;
    get(store, id).await
}

/// Replaces a campaign's content and settings; refused (conflict) unless it
/// is a draft, scheduled or paused. Status and times are not touched.
pub async fn update(store: &Store, id: CampaignId, input: &CampaignInput) -> Result<Campaign> {
    let clean = input.clean()?;
    let mut tx = store.begin_write().await?;
    let (rowid, status) = lock(&mut tx, id).await?;
    ensure_editable(status, "their content and settings")?;
    let segment_name = check_references(&mut tx, &clean).await?;
    sqlx::query(
        "UPDATE campaigns SET channel = ?, name = ?, segment_id = ?, segment_name = ?,
             subject = ?, preheader = ?, from_name = ?, from_address = ?, reply_to = ?,
             html = ?, text_body = ?, editor = ?, template_id = ?, tracking = ?, sms_opt_out = ?,
             rate = ?,
             updated_at = ?
         WHERE id = ?",
    )
    .bind(clean.channel.as_str())
    .bind(&clean.name)
    .bind(clean.segment_id.map(|s| s.as_uuid()))
    .bind(&segment_name)
    .bind(&clean.subject)
    .bind(&clean.preheader)
    .bind(&clean.from_name)
    .bind(clean.from_address.as_ref().map(EmailAddress::as_str))
    .bind(clean.reply_to.as_ref().map(EmailAddress::as_str))
    .bind(&clean.html)
    .bind(&clean.text_body)
    .bind(clean.editor.as_str())
    .bind(clean.template_id.map(|t| t.as_uuid()))
    .bind(clean.tracking)
    .bind(clean.sms_opt_out)
    .bind(clean.rate)
    .bind(now_millis())
    .bind(id.as_uuid())
    .execute(&mut *tx)
    .await
    .context("saving a campaign")?;
    fts::put(
        &mut tx,
        rowid,
        &clean.name,
        &clean.subject,
        clean.searchable_body(),
    )
    .await?;
    tx.commit().await.context("saving a campaign")?;
    get(store, id).await
}

/// Deletes a campaign with its ledger, links and attachments (by cascade);
/// refused while it is sending.
pub async fn delete(store: &Store, id: CampaignId) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let (rowid, status) = lock(&mut tx, id).await?;
    if status == CampaignStatus::Sending {
        return Err(StoreError::Conflict(
            "this campaign is sending: pause or cancel it before deleting it".to_owned(),
        ));
    }
    fts::remove(&mut tx, rowid).await?;
    sqlx::query("DELETE FROM campaigns WHERE id = ?")
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .context("deleting a campaign")?;
    tx.commit().await.context("deleting a campaign")?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: uuid::Uuid,
    channel: String,
    name: String,
    status: String,
    segment_id: Option<uuid::Uuid>,
    segment_name: Option<String>,
    subject: String,
    scheduled_at: Option<i64>,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

/// The campaigns `query` asks for, newest first, each with its counts.
pub async fn list(store: &Store, query: &CampaignQuery) -> Result<Vec<CampaignSummary>> {
    let mut q = QueryBuilder::<Sqlite>::new(
        "SELECT c.id, c.channel, c.name, c.status, c.segment_id,
             coalesce(s.name, c.segment_name) AS segment_name, c.subject, c.scheduled_at,
             c.started_at, c.finished_at, c.created_at, c.updated_at
         FROM campaigns c LEFT JOIN segments s ON s.id = c.segment_id WHERE 1",
    );
    if let Some(expr) = query.search.as_deref().and_then(match_expression) {
        q.push(" AND c.rowid IN (SELECT rowid FROM campaigns_fts WHERE campaigns_fts MATCH ")
            .push_bind(expr)
            .push(")");
    }
    if !query.statuses.is_empty() {
        q.push(" AND c.status IN (");
        let mut list = q.separated(", ");
        for status in &query.statuses {
            list.push_bind(status.as_str());
        }
        q.push(")");
    }
    if let Some(channel) = query.channel {
        q.push(" AND c.channel = ").push_bind(channel.as_str());
    }
    // rowid breaks ties between campaigns created in the same millisecond.
    q.push(" ORDER BY c.created_at DESC, c.rowid DESC");
    let rows: Vec<SummaryRow> = q
        .build_query_as()
        .fetch_all(store.pool())
        .await
        .context("listing campaigns")?;
    let ids: Vec<CampaignId> = rows.iter().map(|r| CampaignId::from_uuid(r.id)).collect();
    let counts = counts_of(store, &ids).await?;
    rows.into_iter()
        .map(|r| {
            let id = CampaignId::from_uuid(r.id);
            Ok(CampaignSummary {
                id,
                channel: stored_channel(&r.channel)?,
                name: r.name,
                status: stored_status(&r.status)?,
                segment_id: r.segment_id.map(SegmentId::from_uuid),
                segment_name: r.segment_name,
                subject: r.subject,
                scheduled_at: r.scheduled_at,
                started_at: r.started_at,
                finished_at: r.finished_at,
                created_at: r.created_at,
                updated_at: r.updated_at,
                counts: counts.get(&id).copied().unwrap_or_default(),
            })
        })
        .collect()
}
