//! A campaign's report as the analytics page and the comparison view see it
//! (docs/analytics.md, "In the app"). Counts are contacts unless named
//! `total`; rates are shares (0.0 to 1.0) of the basis, `null` when the
//! basis is zero; instants are RFC 3339 in UTC, and series labels carry the
//! workspace zone's offset.

use herald_store::analytics::{
    AlignedSeries, Bucket, CampaignMetrics, Comparison, Count, Point, RateBasis, Rates, Series,
    SmsMetrics, TopLink,
};
use herald_store::campaigns::CampaignStatus as StoredStatus;
use serde::Serialize;
use ts_rs::TS;

use super::campaigns::CampaignStatus;
use super::contacts::Channel;
use crate::dto::instant;

/// Events of one metric: how many contacts, and how many events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct EventCount {
    pub unique: i64,
    pub total: i64,
}

impl From<Count> for EventCount {
    fn from(c: Count) -> Self {
        EventCount {
            unique: c.unique,
            total: c.total,
        }
    }
}

/// What the rates are divided by: contacts reported delivered when the
/// provider reported any delivery, else messages sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AnalyticsBasis {
    Delivered,
    Sent,
}

impl From<RateBasis> for AnalyticsBasis {
    fn from(b: RateBasis) -> Self {
        match b {
            RateBasis::Delivered => AnalyticsBasis::Delivered,
            RateBasis::Sent => AnalyticsBasis::Sent,
        }
    }
}

/// Shares of the basis, `null` when it is zero (never a false 0 %).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsRates {
    /// Contacts with a human open or click (the headline).
    pub open: Option<f64>,
    /// Unique human clickers.
    pub click: Option<f64>,
    /// Unique human clickers over the contacts who opened (not the basis).
    pub click_to_open: Option<f64>,
    /// Hard and soft bounces.
    pub bounce: Option<f64>,
    pub complaint: Option<f64>,
    /// Unsubscribes and SMS opt-outs.
    pub unsubscribe: Option<f64>,
}

impl From<Rates> for AnalyticsRates {
    fn from(r: Rates) -> Self {
        AnalyticsRates {
            open: r.open,
            click: r.click,
            click_to_open: r.click_to_open,
            bounce: r.bounce,
            complaint: r.complaint,
            unsubscribe: r.unsubscribe,
        }
    }
}

/// An SMS campaign's carrier reports and opt-outs (contacts, once each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SmsReport {
    pub delivered: i64,
    pub undelivered: i64,
    pub failed: i64,
    pub opt_outs: i64,
}

impl From<SmsMetrics> for SmsReport {
    fn from(s: SmsMetrics) -> Self {
        SmsReport {
            delivered: s.delivered,
            undelivered: s.undelivered,
            failed: s.failed,
            opt_outs: s.opt_outs,
        }
    }
}

/// Contacts left out when the audience was resolved, for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExcludedCount {
    /// The store's reason, e.g. `unsubscribed`, `no_email`.
    pub reason: String,
    pub count: i64,
}

/// Every number of one campaign's report.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignMetricsView {
    pub id: String,
    pub name: String,
    pub channel: Channel,
    pub status: CampaignStatus,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Ledger rows: who the audience resolved to.
    pub recipients: i64,
    /// By reason, in the store's order (by name).
    pub excluded: Vec<ExcludedCount>,
    pub excluded_total: i64,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub in_doubt: i64,
    pub suppressed: i64,
    /// Contacts reported delivered (email or SMS).
    pub delivered: i64,
    pub bounced_hard: i64,
    pub bounced_soft: i64,
    pub complained: i64,
    pub unsubscribed: i64,
    /// Contacts with a human open or a human click (the headline).
    pub opened: i64,
    pub opens_human: EventCount,
    /// Opens by image proxies and prefetchers: not counted as opens.
    pub opens_machine: EventCount,
    pub clicks_human: EventCount,
    /// Clicks by link scanners: not counted as clicks.
    pub clicks_scanner: EventCount,
    pub sms: SmsReport,
    pub basis: AnalyticsBasis,
    /// The basis's count (`delivered` or `sent`).
    pub basis_count: i64,
    pub rates: AnalyticsRates,
}

impl From<CampaignMetrics> for CampaignMetricsView {
    fn from(m: CampaignMetrics) -> Self {
        let status = match StoredStatus::parse(&m.status) {
            Ok(s) => s.into(),
            // The store only writes the statuses it knows; a row from a
            // newer version reads as what it most likely is.
            Err(_) => CampaignStatus::Sent,
        };
        CampaignMetricsView {
            id: m.id.to_string(),
            name: m.name,
            channel: if m.channel == "sms" {
                Channel::Sms
            } else {
                Channel::Email
            },
            status,
            started_at: m.started_at.map(instant),
            finished_at: m.finished_at.map(instant),
            recipients: m.recipients,
            excluded: m
                .excluded
                .into_iter()
                .map(|(reason, count)| ExcludedCount { reason, count })
                .collect(),
            excluded_total: m.excluded_total,
            queued: m.queued,
            sent: m.sent,
            failed: m.failed,
            in_doubt: m.in_doubt,
            suppressed: m.suppressed,
            delivered: m.delivered,
            bounced_hard: m.bounced_hard,
            bounced_soft: m.bounced_soft,
            complained: m.complained,
            unsubscribed: m.unsubscribed,
            opened: m.opened,
            opens_human: m.opens_human.into(),
            opens_machine: m.opens_machine.into(),
            clicks_human: m.clicks_human.into(),
            clicks_scanner: m.clicks_scanner.into(),
            sms: m.sms.into(),
            basis: m.basis.into(),
            basis_count: m.basis_count,
            rates: m.rates.into(),
        }
    }
}

/// A tracked link by its human clicks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TopLinkView {
    pub url: String,
    pub unique: i64,
    pub total: i64,
}

impl From<TopLink> for TopLinkView {
    fn from(l: TopLink) -> Self {
        TopLinkView {
            url: l.url,
            unique: l.unique,
            total: l.total,
        }
    }
}

/// The analytics page: the metrics, the top links, and whether opens and
/// clicks can arrive at all (they come only through the relay).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignReport {
    pub metrics: CampaignMetricsView,
    /// At most ten, by unique human clicks.
    pub top_links: Vec<TopLinkView>,
    /// Whether a relay is set up (without one, no event is ever reported).
    pub relay_configured: bool,
    /// When a sync with the relay last completed.
    pub last_sync_at: Option<String>,
}

/// A series' bucket size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SeriesBucket {
    Hour,
    Day,
}

/// One bucket: human opens and clicks (events) that fell in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SeriesPoint {
    /// UTC.
    pub start: String,
    /// `start` in the workspace zone, RFC 3339 with its offset.
    pub local: String,
    pub opens: i64,
    pub clicks: i64,
}

impl From<Point> for SeriesPoint {
    fn from(p: Point) -> Self {
        SeriesPoint {
            start: instant(p.start),
            local: p.local,
            opens: p.opens,
            clicks: p.clicks,
        }
    }
}

/// Opens and clicks over time: hourly up to 7 days, daily beyond.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SeriesView {
    pub bucket: SeriesBucket,
    /// The workspace zone's IANA name.
    pub zone: String,
    pub points: Vec<SeriesPoint>,
}

impl From<Series> for SeriesView {
    fn from(s: Series) -> Self {
        SeriesView {
            bucket: match s.bucket {
                Bucket::Hour => SeriesBucket::Hour,
                Bucket::Day => SeriesBucket::Day,
            },
            zone: s.zone,
            points: s.points.into_iter().map(Into::into).collect(),
        }
    }
}

/// One hour after a campaign's send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct HourPoint {
    /// Hours since the send (0 is the send's hour).
    pub hour: i64,
    pub opens: i64,
    pub clicks: i64,
}

/// One campaign's opens and clicks per hour since its send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlignedSeriesView {
    pub id: String,
    /// The hour that is hour 0, in the workspace zone; `null` for a
    /// campaign with no start and no events.
    pub start_local: Option<String>,
    pub points: Vec<HourPoint>,
}

impl From<AlignedSeries> for AlignedSeriesView {
    fn from(s: AlignedSeries) -> Self {
        AlignedSeriesView {
            id: s.id.to_string(),
            start_local: s.start_local,
            points: s
                .points
                .into_iter()
                .map(|(hour, opens, clicks)| HourPoint {
                    hour,
                    opens,
                    clicks,
                })
                .collect(),
        }
    }
}

/// Two to five campaigns side by side, in the order asked.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ComparisonView {
    pub campaigns: Vec<CampaignMetricsView>,
    /// As many as `campaigns`, all of the same length.
    pub series: Vec<AlignedSeriesView>,
}

impl From<Comparison> for ComparisonView {
    fn from(c: Comparison) -> Self {
        ComparisonView {
            campaigns: c.metrics.into_iter().map(Into::into).collect(),
            series: c.series.into_iter().map(Into::into).collect(),
        }
    }
}
