//! What maintaining the rollups costs a sync: relay events applied to the
//! benchmark's full workspace the way the app's sync applies them
//! (`relay_events::apply_page`, pages of the relay's default size, one
//! write transaction each, the rollups kept in the same transaction), over
//! the newest campaign's recipients: opens (a fifth a proxy's), clicks on
//! 8 links, deliveries. Reported as events per second and milliseconds per
//! page (docs/benchmarks.md, "Campaign analytics").

use std::time::Instant;

use anyhow::Context;
use chrono::Duration;
use herald_core::Channel;
use herald_send::relay::DEFAULT_PAGE;
use herald_store::campaigns::CampaignId;
use herald_store::relay_events::{self, EventKind, RelayEvent};
use herald_store::{from_millis, Store};
use uuid::Uuid;

/// The sync phase's figures.
pub struct SyncFigures {
    pub events: usize,
    pub pages: usize,
    pub seconds: f64,
}

impl SyncFigures {
    pub fn events_per_second(&self) -> f64 {
        self.events as f64 / self.seconds.max(f64::EPSILON)
    }

    pub fn ms_per_page(&self) -> f64 {
        self.seconds * 1000.0 / self.pages.max(1) as f64
    }
}

/// `n` events for `campaign`'s ledger rows, hours after its start.
async fn events(store: &Store, campaign: CampaignId, n: usize) -> anyhow::Result<Vec<RelayEvent>> {
    let (started, contacts): (i64, Vec<Uuid>) = {
        let started: i64 = sqlx::query_scalar("SELECT started_at FROM campaigns WHERE id = ?")
            .bind(campaign.as_uuid())
            .fetch_one(store.pool())
            .await
            .context("reading the campaign's start")?;
        let contacts = sqlx::query_scalar(
            "SELECT contact_id FROM campaign_recipients WHERE campaign_id = ? ORDER BY contact_id",
        )
        .bind(campaign.as_uuid())
        .fetch_all(store.pool())
        .await
        .context("reading the campaign's recipients")?;
        (started, contacts)
    };
    anyhow::ensure!(!contacts.is_empty(), "the campaign has no recipients");
    let start = from_millis(started);
    Ok((0..n)
        .map(|i| {
            let contact = contacts[(i * 7_919) % contacts.len()];
            let at = start + Duration::minutes(10 + (i % 4_000) as i64);
            let kind = match i % 10 {
                0..=5 => EventKind::Open,
                6 | 7 => EventKind::Click,
                _ => EventKind::Delivered,
            };
            RelayEvent {
                campaign_id: Some(campaign.as_uuid()),
                recipient_id: Some(contact),
                channel: Some(Channel::Email),
                machine: kind == EventKind::Open && i % 5 == 0,
                url: (kind == EventKind::Click)
                    .then(|| format!("https://example.com/story/{}", i % 8)),
                ..RelayEvent::new(kind, at)
            }
        })
        .collect())
}

/// Applies `n` fresh events to `campaign` page by page and times it.
pub async fn measure(store: &Store, campaign: CampaignId, n: usize) -> anyhow::Result<SyncFigures> {
    let events = events(store, campaign, n).await?;
    let page = DEFAULT_PAGE as usize;
    let started = Instant::now();
    let mut pages = 0;
    let mut recorded = 0;
    for (i, chunk) in events.chunks(page).enumerate() {
        let report = relay_events::apply_page(store, chunk, &format!("bench-{i}")).await?;
        recorded += report.recorded;
        pages += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        recorded == n as u64,
        "{recorded} of {n} events were recorded"
    );
    Ok(SyncFigures {
        events: n,
        pages,
        seconds,
    })
}
