//! The event columns both backends share, and turning a row back into an
//! [`Event`](crate::event::Event).

/// The columns `events` queries select, in the order `decode_event!` reads.
pub(super) const EVENT_COLUMNS: &str = "seq, id, kind, at, campaign_id, recipient_id, channel, \
     machine, url, ip, user_agent, provider, provider_event_id, provider_message_id, address, detail";

/// The columns an insert writes (after `id` and `received_ms`).
pub(super) const INSERT_COLUMNS: &str = "id, received_ms, kind, at, campaign_id, recipient_id, \
     channel, machine, url, ip, user_agent, provider, provider_event_id, provider_message_id, \
     address, detail";

/// Decodes one row selected with [`EVENT_COLUMNS`] into a `StoredEvent`.
/// A macro rather than a function: the two backends' row types share the
/// method names but not a trait bound that would be short to write.
macro_rules! decode_event {
    ($row:expr) => {{
        use anyhow::Context as _;
        use sqlx::Row as _;
        let row = $row;
        let kind: String = row.try_get(2)?;
        let channel: Option<String> = row.try_get(6)?;
        let provider: Option<String> = row.try_get(11)?;
        let detail: sqlx::types::Json<serde_json::Value> = row.try_get(15)?;
        let event = crate::event::NewEvent {
            kind: crate::event::EventKind::parse(&kind)
                .with_context(|| format!("unknown event kind {kind:?} in the store"))?,
            at: row.try_get(3)?,
            campaign_id: row.try_get(4)?,
            recipient_id: row.try_get(5)?,
            channel: channel
                .map(|c| herald_core::Channel::parse(&c))
                .transpose()
                .context("unknown channel in the store")?,
            machine: row.try_get(7)?,
            url: row.try_get(8)?,
            ip: row.try_get(9)?,
            user_agent: row.try_get(10)?,
            provider: provider
                .map(|p| {
                    crate::event::Provider::parse(&p)
                        .with_context(|| format!("unknown provider {p:?} in the store"))
                })
                .transpose()?,
            provider_event_id: row.try_get(12)?,
            provider_message_id: row.try_get(13)?,
            address: row.try_get(14)?,
            detail: detail.0,
        };
        anyhow::Ok(crate::store::StoredEvent {
            seq: row.try_get(0)?,
            event: crate::event::Event {
                id: row.try_get(1)?,
                event,
            },
        })
    }};
}

pub(super) use decode_event;
