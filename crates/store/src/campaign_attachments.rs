//! Files sent with every message of a campaign (`campaign_attachments`),
//! kept in the workspace so a campaign is one self-contained record.
//!
//! Limits (docs/campaigns.md): 5 MB per file and 10 MB per campaign, since
//! base64 makes a message about a third larger and most providers refuse
//! messages much past 20 MB. Attachments change only while the campaign
//! can be edited.

use anyhow::Context;

use crate::campaigns::{self, AttachmentId, CampaignId};
use crate::{now_millis, Result, Store, StoreError};

/// The largest file (the schema's CHECK holds the same number).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// The most a campaign's attachments may add up to.
pub const MAX_CAMPAIGN_BYTES: usize = 10 * 1024 * 1024;
/// The longest file name kept (most file systems allow 255 bytes).
const MAX_FILENAME_CHARS: usize = 255;

/// An attachment without its bytes, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub id: AttachmentId,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

/// An attachment with its bytes, for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub info: AttachmentInfo,
    pub bytes: Vec<u8>,
}

/// Sizes as people read them ("5 MB"), in the binary units the limits use.
fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 || mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// The last path component of `raw`, without control characters.
fn clean_filename(raw: &str) -> Result<String> {
    let name: String = raw
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::validation("file", "the file needs a name"));
    }
    Ok(name.chars().take(MAX_FILENAME_CHARS).collect())
}

/// Attaches a file to a campaign. Refused when the file is empty or over
/// 5 MB, when the campaign's files would pass 10 MB, or when the campaign
/// can no longer be edited; nothing is stored then.
pub async fn add(
    store: &Store,
    campaign: CampaignId,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> Result<AttachmentInfo> {
    let filename = clean_filename(filename)?;
    if bytes.is_empty() {
        return Err(StoreError::validation(
            "file",
            format!("\"{filename}\" is empty"),
        ));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(StoreError::validation(
            "file",
            format!(
                "\"{filename}\" is {}; an attachment can be at most {}",
                megabytes(bytes.len()),
                megabytes(MAX_FILE_BYTES)
            ),
        ));
    }
    let content_type = match content_type.trim() {
        "" => "application/octet-stream",
        other => other,
    };
    let info = AttachmentInfo {
        id: AttachmentId::new(),
        filename,
        content_type: content_type.to_owned(),
        size: i64::try_from(bytes.len()).context("an attachment's size")?,
    };
    let mut tx = store.begin_write().await?;
    let (_, status) = campaigns::lock(&mut tx, campaign).await?;
    campaigns::ensure_editable(status, "their attachments")?;
    let attached: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(size), 0) FROM campaign_attachments WHERE campaign_id = ?",
    )
    .bind(campaign.as_uuid())
    .fetch_one(&mut *tx)
    .await
    .context("adding up a campaign's attachments")?;
    let total = usize::try_from(attached).unwrap_or(usize::MAX) + bytes.len();
    if total > MAX_CAMPAIGN_BYTES {
        return Err(StoreError::validation(
            "file",
            format!(
                "with \"{}\" this campaign's attachments would add up to {}; the most is {} in all",
                info.filename,
                megabytes(total),
                megabytes(MAX_CAMPAIGN_BYTES)
            ),
        ));
    }
    sqlx::query(
        "INSERT INTO campaign_attachments
             (id, campaign_id, filename, content_type, size, bytes, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(info.id.as_uuid())
    .bind(campaign.as_uuid())
    .bind(&info.filename)
    .bind(&info.content_type)
    .bind(info.size)
    .bind(bytes)
    .bind(now_millis())
    .execute(&mut *tx)
    .await
    .context("saving an attachment")?;
    tx.commit().await.context("saving an attachment")?;
    Ok(info)
}

/// Removes one attachment from a campaign that can still be edited.
pub async fn remove(store: &Store, campaign: CampaignId, attachment: AttachmentId) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let (_, status) = campaigns::lock(&mut tx, campaign).await?;
    campaigns::ensure_editable(status, "their attachments")?;
    let deleted = sqlx::query("DELETE FROM campaign_attachments WHERE id = ? AND campaign_id = ?")
        .bind(attachment.as_uuid())
        .bind(campaign.as_uuid())
        .execute(&mut *tx)
        .await
        .context("removing an attachment")?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("attachment {attachment}")));
    }
    tx.commit().await.context("removing an attachment")?;
    Ok(())
}

type InfoRow = (uuid::Uuid, String, String, i64);

fn info(row: InfoRow) -> AttachmentInfo {
    AttachmentInfo {
        id: AttachmentId::from_uuid(row.0),
        filename: row.1,
        content_type: row.2,
        size: row.3,
    }
}

/// A campaign's attachments in the order they were added, without bytes.
pub async fn list(store: &Store, campaign: CampaignId) -> Result<Vec<AttachmentInfo>> {
    let rows: Vec<InfoRow> = sqlx::query_as(
        "SELECT id, filename, content_type, size FROM campaign_attachments
         WHERE campaign_id = ? ORDER BY created_at, rowid",
    )
    .bind(campaign.as_uuid())
    .fetch_all(store.pool())
    .await
    .context("listing a campaign's attachments")?;
    Ok(rows.into_iter().map(info).collect())
}

/// A campaign's attachments with their bytes (at most 10 MB), for sending.
pub async fn load_all(store: &Store, campaign: CampaignId) -> Result<Vec<Attachment>> {
    let rows: Vec<(uuid::Uuid, String, String, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT id, filename, content_type, size, bytes FROM campaign_attachments
         WHERE campaign_id = ? ORDER BY created_at, rowid",
    )
    .bind(campaign.as_uuid())
    .fetch_all(store.pool())
    .await
    .context("loading a campaign's attachments")?;
    Ok(rows
        .into_iter()
        .map(|(id, filename, content_type, size, bytes)| Attachment {
            info: info((id, filename, content_type, size)),
            bytes,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_megabytes() {
        assert_eq!(megabytes(MAX_FILE_BYTES), "5 MB");
        assert_eq!(megabytes(MAX_FILE_BYTES + 300 * 1024), "5.3 MB");
        assert_eq!(megabytes(12 * 1024 * 1024), "12 MB");
    }

    #[test]
    fn file_names_lose_their_folders() {
        assert_eq!(clean_filename("C:\\docs\\menu.pdf").unwrap(), "menu.pdf");
        assert_eq!(clean_filename("../../x.png").unwrap(), "x.png");
        assert!(clean_filename(" / ").is_err());
    }
}
