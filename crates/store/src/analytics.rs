//! Campaign analytics: rollups kept as relay events are applied, and the
//! queries every report widget reads (docs/analytics.md).
//!
//! Why rollups: a campaign's report must stay fast with millions of events,
//! so opens, clicks, deliveries, bounces... are counted per campaign × UTC
//! hour × metric (`campaign_hourly`), with unique sets per campaign × metric
//! (`campaign_uniques`) and per link (`campaign_link_*`), in the same
//! transaction that records the events ([`rollup::record`]). Sent, failed,
//! in doubt and excluded come from the send ledger and the campaign's
//! exclusions instead: they are not events. No query here reads
//! `relay_events`; only [`rebuild`] does.
//!
//! ```no_run
//! # async fn demo(store: herald_store::Store, id: herald_store::campaigns::CampaignId)
//! # -> herald_store::Result<()> {
//! let m = herald_store::analytics::campaign(&store, id).await?;
//! println!("{} unique human opens of {} sent", m.opened, m.sent);
//! # Ok(()) }
//! ```

mod compare;
mod dashboard;
mod export;
mod metrics;
pub mod rollup;
mod series;

use serde::{Deserialize, Serialize};

use crate::{settings, Result, Store};

pub use compare::{compare, AlignedSeries, Comparison};
pub use dashboard::{dashboard, Dashboard, GrowthWeek, RecentCampaign, SendingCampaign, Totals};
pub use export::{export_csv, metrics_csv, roster_csv, series_csv, ExportPart};
pub use metrics::{
    campaign, top_links, CampaignMetrics, Count, RateBasis, Rates, SmsMetrics, TopLink,
};
pub use rollup::rebuild;
pub use series::{series, Bucket, Point, Series};

/// The settings key holding the rollups' version: absent (a workspace from
/// before analytics, or whose rollups were never built) means
/// [`ensure`] rebuilds them from the recorded events.
pub const VERSION_KEY: &str = "analytics.version";
/// Bumped when a change of the rules needs every rollup recomputed.
pub const VERSION: i64 = 1;

/// What a rollup counts. Stored by name (`as_str`) in the rollup tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    OpenHuman,
    OpenMachine,
    ClickHuman,
    ClickScanner,
    Delivered,
    BounceHard,
    BounceSoft,
    Complaint,
    Unsubscribe,
    SmsDelivered,
    SmsUndelivered,
    SmsFailed,
    SmsOptOut,
}

impl Metric {
    pub const ALL: [Metric; 13] = [
        Metric::OpenHuman,
        Metric::OpenMachine,
        Metric::ClickHuman,
        Metric::ClickScanner,
        Metric::Delivered,
        Metric::BounceHard,
        Metric::BounceSoft,
        Metric::Complaint,
        Metric::Unsubscribe,
        Metric::SmsDelivered,
        Metric::SmsUndelivered,
        Metric::SmsFailed,
        Metric::SmsOptOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::OpenHuman => "open_human",
            Metric::OpenMachine => "open_machine",
            Metric::ClickHuman => "click_human",
            Metric::ClickScanner => "click_scanner",
            Metric::Delivered => "delivered",
            Metric::BounceHard => "bounce_hard",
            Metric::BounceSoft => "bounce_soft",
            Metric::Complaint => "complaint",
            Metric::Unsubscribe => "unsubscribe",
            Metric::SmsDelivered => "sms_delivered",
            Metric::SmsUndelivered => "sms_undelivered",
            Metric::SmsFailed => "sms_failed",
            Metric::SmsOptOut => "sms_opt_out",
        }
    }

    pub fn parse(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// One hour in milliseconds: the rollups' bucket.
pub(crate) const HOUR_MS: i64 = 3_600_000;

/// The first instant of the UTC hour holding `at_ms`.
pub(crate) fn hour_of(at_ms: i64) -> i64 {
    at_ms - at_ms.rem_euclid(HOUR_MS)
}

/// Builds the rollups from the recorded events when this workspace has
/// none of this version yet (first use after upgrading). Every query calls
/// it; once built it costs one settings read.
pub async fn ensure(store: &Store) -> Result<()> {
    let version: Option<i64> = settings::get(store, VERSION_KEY).await?;
    if version != Some(VERSION) {
        rebuild(store).await?;
    }
    Ok(())
}
