//! Campaign templates (`campaign_templates`): the built-in starters, which
//! Herald inserts and keeps up to date, and the user's own templates.
//!
//! The starters' HTML lives beside this file (`campaign_templates/*.html`):
//! table-based 600px layouts with inline styles, which is what email
//! clients render reliably, plus a media query for phones. Each has a small
//! SVG picture for the template picker.

use anyhow::Context;

use crate::campaigns::TemplateId;
use crate::error::is_unique_violation;
use crate::{now_millis, Result, Store, StoreError};

/// The longest template name.
const MAX_NAME_CHARS: usize = 120;
/// The largest template body: far beyond any hand-made email (Gmail clips
/// messages past 102 KB), small enough to keep the picker quick.
const MAX_HTML_BYTES: usize = 1024 * 1024;

/// A built-in starter. Ids are fixed so that a later release updates the
/// same rows instead of adding new ones.
struct Builtin {
    id: &'static str,
    name: &'static str,
    html: &'static str,
    thumbnail: &'static str,
}

const BUILTINS: [Builtin; 4] = [
    Builtin {
        id: "01900000-0000-7000-8000-00000000b001",
        name: "Newsletter",
        html: include_str!("campaign_templates/newsletter.html"),
        thumbnail: include_str!("campaign_templates/newsletter.svg"),
    },
    Builtin {
        id: "01900000-0000-7000-8000-00000000b002",
        name: "Announcement",
        html: include_str!("campaign_templates/announcement.html"),
        thumbnail: include_str!("campaign_templates/announcement.svg"),
    },
    Builtin {
        id: "01900000-0000-7000-8000-00000000b003",
        name: "Plain letter",
        html: include_str!("campaign_templates/plain_letter.html"),
        thumbnail: include_str!("campaign_templates/plain_letter.svg"),
    },
    Builtin {
        id: "01900000-0000-7000-8000-00000000b004",
        name: "Promotion",
        html: include_str!("campaign_templates/promotion.html"),
        thumbnail: include_str!("campaign_templates/promotion.svg"),
    },
];

/// A template as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSummary {
    pub id: TemplateId,
    pub name: String,
    /// An SVG picture of the layout (built-in starters only).
    pub thumbnail: Option<String>,
    pub builtin: bool,
}

/// A template with its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub summary: TemplateSummary,
    pub html: String,
    pub created_at: i64,
    pub updated_at: i64,
}

fn builtin_id(b: &Builtin) -> Result<TemplateId> {
    TemplateId::parse(b.id)
        .map_err(|e| anyhow::anyhow!("a built-in template id is broken: {e}").into())
}

/// Inserts the built-in starters, or brings them up to date, when they
/// differ from this release's. Reads only when they are current, so it is
/// cheap to call before every template read.
pub async fn ensure_builtins(store: &Store) -> Result<()> {
    let stored: Vec<(uuid::Uuid, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, name, html, thumbnail FROM campaign_templates WHERE builtin = 1",
    )
    .fetch_all(store.pool())
    .await
    .context("reading the built-in templates")?;
    let mut stale = Vec::new();
    for b in &BUILTINS {
        let id = builtin_id(b)?;
        let current = stored.iter().any(|(sid, name, html, thumbnail)| {
            *sid == id.as_uuid()
                && name == b.name
                && html == b.html
                && thumbnail.as_deref() == Some(b.thumbnail)
        });
        if !current {
            stale.push((id, b));
        }
    }
    if stale.is_empty() {
        return Ok(());
    }
    let now = now_millis();
    let mut tx = store.begin_write().await?;
    for (id, b) in stale {
        // A user template that took a starter's name first keeps its
        // content under a new name; the starter's name is reserved.
        sqlx::query(
            "UPDATE campaign_templates SET name = name || ' (mine)'
             WHERE builtin = 0 AND name = ? COLLATE NOCASE",
        )
        .bind(b.name)
        .execute(&mut *tx)
        .await
        .context("renaming a template that has a starter's name")?;
        sqlx::query(
            "INSERT INTO campaign_templates (id, name, html, thumbnail, builtin, created_at, updated_at)
             VALUES (?, ?, ?, ?, 1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, html = excluded.html,
                 thumbnail = excluded.thumbnail, builtin = 1, updated_at = excluded.updated_at",
        )
        .bind(id.as_uuid())
        .bind(b.name)
        .bind(b.html)
        .bind(b.thumbnail)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("saving a built-in template")?;
    }
    tx.commit().await.context("saving the built-in templates")?;
    Ok(())
}

/// Makes sure the starters exist before a read; while an import holds the
/// workspace the read goes on with what is there (the next one catches up).
async fn ensure_builtins_if_free(store: &Store) -> Result<()> {
    match ensure_builtins(store).await {
        Err(StoreError::Conflict(busy)) => {
            tracing::debug!("built-in templates not checked: {busy}");
            Ok(())
        }
        other => other,
    }
}

type Row = (uuid::Uuid, String, Option<String>, bool, String, i64, i64);

fn template(row: Row) -> Template {
    Template {
        summary: TemplateSummary {
            id: TemplateId::from_uuid(row.0),
            name: row.1,
            thumbnail: row.2,
            builtin: row.3,
        },
        html: row.4,
        created_at: row.5,
        updated_at: row.6,
    }
}

/// Every template: the starters first, in their own order, then the
/// user's by name.
pub async fn list(store: &Store) -> Result<Vec<TemplateSummary>> {
    ensure_builtins_if_free(store).await?;
    let rows: Vec<(uuid::Uuid, String, Option<String>, bool)> = sqlx::query_as(
        "SELECT id, name, thumbnail, builtin FROM campaign_templates
         ORDER BY builtin DESC, CASE WHEN builtin = 1 THEN id END, name COLLATE NOCASE",
    )
    .fetch_all(store.pool())
    .await
    .context("listing templates")?;
    Ok(rows
        .into_iter()
        .map(|(id, name, thumbnail, builtin)| TemplateSummary {
            id: TemplateId::from_uuid(id),
            name,
            thumbnail,
            builtin,
        })
        .collect())
}

/// One template with its HTML.
pub async fn get(store: &Store, id: TemplateId) -> Result<Template> {
    ensure_builtins_if_free(store).await?;
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, thumbnail, builtin, html, created_at, updated_at
         FROM campaign_templates WHERE id = ?",
    )
    .bind(id.as_uuid())
    .fetch_optional(store.pool())
    .await
    .context("reading a template")?;
    row.map(template)
        .ok_or_else(|| StoreError::NotFound(format!("template {id}")))
}

/// Saves `html` as the user's template `name`: a new template, or the new
/// content of the user's template of that name (names ignore case). A
/// starter's name is refused.
pub async fn save(store: &Store, name: &str, html: &str) -> Result<Template> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::validation("name", "a template needs a name"));
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(StoreError::validation(
            "name",
            format!("a template name is one line of at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if html.trim().is_empty() {
        return Err(StoreError::validation("html", "the template is empty"));
    }
    if html.len() > MAX_HTML_BYTES {
        return Err(StoreError::validation(
            "html",
            "a template can be at most 1 MB of HTML",
        ));
    }
    ensure_builtins(store).await?;
    let now = now_millis();
    let mut tx = store.begin_write().await?;
    let existing: Option<(uuid::Uuid, bool)> =
        sqlx::query_as("SELECT id, builtin FROM campaign_templates WHERE name = ? COLLATE NOCASE")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await
            .context("finding a template by name")?;
    let id = match existing {
        Some((_, true)) => {
            return Err(StoreError::Conflict(format!(
                "\"{name}\" is a built-in template; save yours under another name"
            )))
        }
        Some((id, false)) => {
            sqlx::query(
                "UPDATE campaign_templates SET name = ?, html = ?, updated_at = ? WHERE id = ?",
            )
            .bind(name)
            .bind(html)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("saving a template")?;
            TemplateId::from_uuid(id)
        }
        None => {
            let id = TemplateId::new();
            let inserted = sqlx::query(
                "INSERT INTO campaign_templates (id, name, html, thumbnail, builtin, created_at, updated_at)
                 VALUES (?, ?, ?, NULL, 0, ?, ?)",
            )
            .bind(id.as_uuid())
            .bind(name)
            .bind(html)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::Conflict(format!(
                        "a template named \"{name}\" already exists"
                    )))
                }
                other => {
                    other.context("saving a template")?;
                }
            }
            id
        }
    };
    tx.commit().await.context("saving a template")?;
    get(store, id).await
}

/// Deletes one of the user's templates (campaigns made from it keep their
/// content); the starters cannot be deleted.
pub async fn delete(store: &Store, id: TemplateId) -> Result<()> {
    let mut tx = store.begin_write().await?;
    let builtin: Option<bool> =
        sqlx::query_scalar("SELECT builtin FROM campaign_templates WHERE id = ?")
            .bind(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .context("reading a template")?;
    match builtin {
        None => return Err(StoreError::NotFound(format!("template {id}"))),
        Some(true) => {
            return Err(StoreError::Conflict(
                "built-in templates cannot be deleted".to_owned(),
            ))
        }
        Some(false) => {}
    }
    sqlx::query("DELETE FROM campaign_templates WHERE id = ?")
        .bind(id.as_uuid())
        .execute(&mut *tx)
        .await
        .context("deleting a template")?;
    tx.commit().await.context("deleting a template")?;
    Ok(())
}
