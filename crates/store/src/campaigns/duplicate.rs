//! Duplicating a campaign: a new draft with the same content, settings and
//! attachments, and nothing of the original's sending (no ledger, links,
//! schedule, times or error), so any campaign, even a sent one, can be the
//! start of the next.

use anyhow::Context;

use super::{fts, read, Campaign, MAX_NAME_CHARS};
use crate::{now_millis, Result, Store, StoreError};
use herald_core::{AttachmentId, CampaignId};

const COPY_SUFFIX: &str = " (copy)";

/// "<name> (copy)", shortening the name so the copy's fits the limit.
fn copy_name(name: &str) -> String {
    let keep = MAX_NAME_CHARS - COPY_SUFFIX.chars().count();
    let base: String = name.chars().take(keep).collect();
    format!("{}{COPY_SUFFIX}", base.trim_end())
}

/// Copies campaign `id` as a new draft named "<name> (copy)".
pub async fn duplicate(store: &Store, id: CampaignId) -> Result<Campaign> {
    let copy = CampaignId::new();
    let now = now_millis();
    let mut tx = store.begin_write().await?;
    let original = read(&mut *tx, id).await?;
    let name = copy_name(&original.name);
    let rowid: Option<i64> = sqlx::query_scalar(
        "INSERT INTO campaigns (id, channel, name, status, segment_id, segment_name, subject,
             preheader, from_name, from_address, reply_to, html, text_body, editor, template_id,
             tracking, sms_opt_out, rate, created_at, updated_at)
         SELECT ?, channel, ?, 'draft', segment_id, segment_name, subject, preheader, from_name,
             from_address, reply_to, html, text_body, editor, template_id, tracking, sms_opt_out,
             rate, ?, ?
         FROM campaigns WHERE id = ?
         RETURNING rowid",
    )
    .bind(copy.as_uuid())
    .bind(&name)
    .bind(now)
    .bind(now)
    .bind(id.as_uuid())
    .fetch_optional(&mut *tx)
    .await
    .context("copying a campaign")?;
    let rowid = rowid.ok_or_else(|| StoreError::NotFound(format!("campaign {id}")))?;
    let body = match original.channel {
        herald_core::Channel::Email => original.html.as_str(),
        herald_core::Channel::Sms => original.text_body.as_deref().unwrap_or(""),
    };
    fts::put(&mut tx, rowid, &name, &original.subject, body).await?;
    let attachments: Vec<uuid::Uuid> = sqlx::query_scalar(
        "SELECT id FROM campaign_attachments WHERE campaign_id = ? ORDER BY created_at, rowid",
    )
    .bind(id.as_uuid())
    .fetch_all(&mut *tx)
    .await
    .context("listing a campaign's attachments")?;
    for attachment in attachments {
        // The bytes are copied inside SQLite, never through this process.
        sqlx::query(
            "INSERT INTO campaign_attachments
                 (id, campaign_id, filename, content_type, size, bytes, created_at)
             SELECT ?, ?, filename, content_type, size, bytes, created_at
             FROM campaign_attachments WHERE id = ?",
        )
        .bind(AttachmentId::new().as_uuid())
        .bind(copy.as_uuid())
        .bind(attachment)
        .execute(&mut *tx)
        .await
        .context("copying a campaign's attachment")?;
    }
    tx.commit().await.context("copying a campaign")?;
    read(store.pool(), copy).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_names_stay_within_the_limit() {
        assert_eq!(copy_name("Spring news"), "Spring news (copy)");
        let long = "x".repeat(MAX_NAME_CHARS);
        let copy = copy_name(&long);
        assert_eq!(copy.chars().count(), MAX_NAME_CHARS);
        assert!(copy.ends_with(" (copy)"));
    }
}
