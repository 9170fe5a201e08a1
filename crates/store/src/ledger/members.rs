//! A segment's members who would receive a campaign, with the data a
//! message is personalised from, read without writing: what the SMS
//! composer's worst case is computed over before the audience is resolved.

use anyhow::Context;
use herald_core::{Channel, SegmentId};
use sqlx::{QueryBuilder, Sqlite};

use super::{batch_row, columns, require_consent, sendable_condition, BatchRow};
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
        "SELECT id AS contact_id, {address} AS address, 0 AS attempts, first_name, last_name,
                email, phone, company, city, region, country, custom
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
    rows.iter().map(batch_row).collect()
}
