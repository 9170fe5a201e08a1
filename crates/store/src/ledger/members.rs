//! A segment's members who would receive a campaign, with the data a
//! message is personalised from, read without writing: what the SMS
//! composer's worst case is computed over before the audience is resolved.

use anyhow::Context;
use herald_core::{Channel, SegmentId};
use sqlx::{QueryBuilder, Row, Sqlite};

use super::{columns, require_consent, sendable_condition, BatchRow};
use crate::{segments, Result, Store};

/// Up to `limit` members of `segment` who may receive `channel`, in
/// contact id order, as the ledger would hand them to the composer.
pub async fn sendable_members(
    store: &Store,
    segment: SegmentId,
    channel: Channel,
    limit: u32,
) -> Result<Vec<BatchRow>> {
    let segment = segments::get(store, segment).await?;
    let (_, compiled) = segments::prepare(store, &segment.filter).await?;
    let consent = require_consent(store).await?;
    let address = columns(channel).address;
    let mut q = QueryBuilder::<Sqlite>::new(format!(
        "SELECT id, {address} AS address, first_name, last_name, email, phone, company, city,
                region, country, custom
         FROM contacts WHERE {} AND (",
        sendable_condition(channel, consent, "")
    ));
    compiled.push_to(&mut q);
    q.push(") ORDER BY id LIMIT ");
    q.push_bind(i64::from(limit));
    let rows = q
        .build()
        .fetch_all(store.pool())
        .await
        .context("reading a segment's members")?;
    rows.into_iter()
        .map(|row| {
            let custom: Option<String> = row.get("custom");
            let custom = custom
                .as_deref()
                .map(serde_json::from_str::<serde_json::Map<String, serde_json::Value>>)
                .transpose()
                .context("reading a contact's custom fields")?
                .unwrap_or_default();
            Ok(BatchRow {
                contact_id: row.get("id"),
                address: row.get("address"),
                attempts: 0,
                first_name: row.get("first_name"),
                last_name: row.get("last_name"),
                email: row.get("email"),
                phone: row.get("phone"),
                company: row.get("company"),
                city: row.get("city"),
                region: row.get("region"),
                country: row.get("country"),
                custom,
            })
        })
        .collect()
}
